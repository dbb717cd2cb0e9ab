import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, NO_CHROMIUM_MESSAGE, launchChromium } from '../helpers/browser.js';
import { campaignsReady, REVIEW, startDev, TEMPLATE, until, type DevRun } from '../helpers/dev.js';
import { examplesProject, REPO } from '../helpers/examples.js';
import { cli } from '../helpers/project.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

/**
 * The designer's loop in a real browser: pressroom dev's page approves a cell and picks a
 * candidate (the approved.lock is the CLI's, byte for byte), draws every script of the examples
 * with its own fonts, and follows a saved copy edit without a reload. Makes docs/dev.png.
 */

/** The review campaign with its own template, and lumen-global-sweep's 35 locales at one size: every script of the examples. */
function setUp(dir: string): void {
  for (const name of ['aqua-one-launch', 'social-kit']) rmSync(join(dir, 'campaigns', name), { recursive: true, force: true });
  const sweep = join(dir, 'campaigns', 'lumen-global-sweep', 'campaign.yaml');
  const text = readFileSync(sweep, 'utf8');
  writeFileSync(sweep, `${text.slice(0, text.indexOf('\nsizes:'))}\nsizes:\n  - { id: portrait, width: 1080, height: 1350 }\n`);
  mkdirSync(join(dir, 'campaigns', 'review'), { recursive: true });
  writeFileSync(join(dir, 'campaigns', 'review', 'review.hbs'), TEMPLATE);
  writeFileSync(join(dir, 'campaigns', 'review', 'campaign.yaml'), REVIEW.replace('template: poster', 'template: review.hbs'));
}

describe.skipIf(!HAVE_CHROMIUM)('pressroom dev in Chromium', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let twin: { dir: string; cleanup: () => Promise<void> };
  let dev: DevRun;
  let chromium: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const problems: string[] = [];
  const failed: string[] = [];
  const lock = (dir: string) => join(dir, 'campaigns', 'review', 'approved.lock');
  const card = (cell: string) => page.locator(`figure[data-cell="${cell}"]`);

  beforeAll(async () => {
    project = await examplesProject();
    twin = await examplesProject();
    setUp(project.dir);
    setUp(twin.dir);
    dev = await startDev(project.dir);
    const built = await cli(twin.dir, ['build', 'campaigns/review']);
    expect(built.code, built.stderr).toBe(0);
    await campaignsReady(dev.port, ['review', 'lumen-global-sweep']);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => failed.push(r.url()));
  }, 600_000);

  afterAll(async () => {
    await chromium?.close();
    if (dev) {
      dev.stop();
      expect(await dev.exited).toBe(130);
    }
    await project?.cleanup();
    await twin?.cleanup();
  });

  it('shows every cell with its candidates numbered, composed with their copy', async () => {
    await page.goto(`${dev.url}c/review/`);
    await until(async () => (await page.locator('figure[data-cell]').count()) === 6 || undefined, 'the cells');
    expect(await card('hero/en-US/portrait').locator('.shot .pick').allTextContents()).toEqual(['0', '1']);
    // Every picture loaded: the delivered thumbnails and the composed candidate previews.
    await until(async () => (await page.$$eval('img', (imgs) => imgs.every((i) => (i as unknown as { complete: boolean }).complete))) || undefined, 'the pictures');
    const broken = await page.$$eval('img[src]', (imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth === 0).map((i) => i.getAttribute('src')));
    expect(broken).toEqual([]);
    const candidate = await card('hero/en-US/portrait').locator('.shot[data-pick="1"] img').evaluate((i) => [(i as unknown as { naturalWidth: number }).naturalWidth, (i as unknown as { naturalHeight: number }).naturalHeight]);
    // The candidate cut to the cell's 480×600, not the generated image's shape.
    expect(candidate[0]! / candidate[1]!).toBeCloseTo(480 / 600, 2);
  });

  it('approves a cell and picks a candidate through the page, writing the approved.lock the CLI writes', async () => {
    await page.evaluate(() => ((globalThis as { __stay?: number }).__stay = 1));
    await card('hero/en-US/portrait').locator('button[data-action="pick"][data-pick="1"]').click();
    await until(async () => (await page.getAttribute('body', 'data-last-action')) === 'approve:ok' || undefined, 'the pick');
    await card('hero/de-DE/story').locator('button[data-action="approve"]').click();
    await until(async () => (await card('hero/de-DE/story').getAttribute('class'))?.includes('approved') || undefined, 'the approved outline');
    await until(async () => (await card('hero/en-US/portrait').getAttribute('class'))?.includes('approved') || undefined, 'the picked candidate delivered and approved');
    for (const args of [['--cell', 'hero/en-US/portrait', '--pick', '1'], ['--cell', 'hero/de-DE/story']]) {
      const run = await cli(twin.dir, ['approve', 'review', ...args]);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(readFileSync(lock(project.dir), 'utf8')).toBe(readFileSync(lock(twin.dir), 'utf8'));
    expect(await page.evaluate(() => (globalThis as { __stay?: number }).__stay)).toBe(1);
  });

  it('shows one cell in two locales side by side', async () => {
    await card('hero/ar-SA/portrait').locator('button[data-action="compare"]').click();
    const figures = page.locator('#compare-row figure');
    await until(async () => (await figures.count()) === 2 || undefined, 'two locales side by side');
    expect(await figures.evaluateAll((fs) => fs.map((f) => f.getAttribute('data-locale')))).toEqual(['en-US', 'ar-SA']);
    await page.locator('#compare button[data-close]').click();
  });

  it('follows a saved copy edit: the edited cells are redrawn in place, no reload', async () => {
    const yaml = join(project.dir, 'campaigns', 'review', 'campaign.yaml');
    const before = await card('hero/de-DE/portrait').getAttribute('data-sha');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('Licht, das deinem Tag folgt', 'Licht für jeden Abend'));
    await until(async () => ((await card('hero/de-DE/portrait').getAttribute('data-sha')) !== before ? true : undefined), 'the edited cell in the page');
    expect(await card('hero/de-DE/portrait').locator('.field-headline').textContent()).toBe('Licht für jeden Abend');
    // Approved before the edit, changed since: said in the page as diff says it.
    expect(await card('hero/de-DE/story').locator('.changes').textContent()).toMatch(/^changed since approval: headline text/);
    expect(await page.evaluate(() => (globalThis as { __stay?: number }).__stay)).toBe(1);
    const shot = join(project.dir, 'dev.png');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await until(async () => (await page.$$eval('img[src]', (imgs) => imgs.every((i) => (i as unknown as { complete: boolean }).complete))) || undefined, 'the pictures of the edited cells');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env['PRESSROOM_UPDATE_SCREENSHOT'] === '1') copyFileSync(shot, join(REPO, 'docs', 'dev.png'));
  });

  it('draws every script of the examples with the Noto faces the page ships', async () => {
    await page.goto(`${dev.url}c/lumen-global-sweep/`);
    const locales = readdirSync(join(project.dir, 'campaigns', 'lumen-global-sweep', 'locales')).length;
    await until(async () => (await page.locator('figure[data-cell]').count()) === locales || undefined, 'the sweep');
    const drawn = await page.evaluate(async () => {
      const d = (globalThis as unknown as { document: { fonts: { ready: Promise<unknown>; load(font: string, text: string): Promise<unknown[]>; check(font: string, text: string): boolean; values(): Iterable<{ family: string; status: string }> }; querySelectorAll(s: string): Iterable<{ textContent: string | null; getAttribute(n: string): string | null }> } }).document;
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } };
      const texts = [...d.querySelectorAll('.field-headline')];
      for (const el of texts) {
        const family = view.getComputedStyle(el).fontFamily.split(',')[0]!.replace(/"/g, '');
        await d.fonts.load(`16px "${family}"`, el.textContent ?? '');
      }
      await d.fonts.ready;
      return {
        faces: [...d.fonts.values()].map((f) => [f.family, f.status]),
        headlines: texts.map((el) => {
          const family = view.getComputedStyle(el).fontFamily.split(',')[0]!.replace(/"/g, '');
          return [el.getAttribute('lang'), family, d.fonts.check(`16px "${family}"`, el.textContent ?? '')];
        }),
      };
    });
    expect(drawn.headlines).toHaveLength(locales);
    for (const [lang, family, covered] of drawn.headlines) {
      expect(family, String(lang)).toMatch(/^pr-noto-/);
      expect(covered, String(lang)).toBe(true);
    }
    const used = new Set(drawn.headlines.map(([, family]) => family));
    expect(used.size).toBeGreaterThanOrEqual(20);
    for (const [family, status] of drawn.faces) if (used.has(family as string)) expect(status, String(family)).toBe('loaded');
  });

  it('logged no console error and no failed request (the page policy allowed all it needed)', () => {
    expect(problems).toEqual([]);
    expect(failed.filter((u) => !u.includes('/_dev/events'))).toEqual([]);
  });
});
