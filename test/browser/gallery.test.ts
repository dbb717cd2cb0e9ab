import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_MESSAGE, launchChromium } from '../helpers/browser.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

/** The scripts the issue found as boxes on a machine with DejaVu alone: Amharic, Bengali, Japanese, Korean, Khmer, Tamil, Chinese. */
const SCRIPTS: Readonly<Record<string, string>> = {
  'am-ET': 'ውሃ፣ በጥራት',
  'bn-BD': 'জল, পরিশীলিত',
  'ja-JP': '洗練された水分補給',
  'ko-KR': '세련된 수분 공급',
  'km-KH': 'ជាតិទឹក ដែលចម្រាញ់',
  'ta-IN': 'நீரேற்றம், சுத்திகரிக்கப்பட்டது',
  'zh-CN': '精致的补水',
};
const SCRIPTS_CAMPAIGN = `template: poster
vars: { brand: "AQUA//ONE" }
variants: [{ id: hero, scene: "the bottle on wet stone" }]
locales:
${Object.entries(SCRIPTS)
  .map(([tag, headline]) => `  ${tag}: { headline: "${headline}", copy: "-" }`)
  .join('\n')}
sizes: [{ id: thumb, width: 320, height: 320 }]
`;

// A headline that would run script if the page did not escape it.
const HOSTILE = `HYDRATION <script>window.__pwned = 1</script> & "more"`;
const CAMPAIGN = DEMO_CAMPAIGN.replace('headline: "HYDRATION, REFINED"', `headline: '${HOSTILE}'`);

describe.skipIf(!HAVE_CHROMIUM)('gallery in a real browser (Chromium, file://)', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let chromium: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const problems: string[] = [];
  const failedRequests: string[] = [];
  const out = (...parts: string[]) => join(project.dir, 'out', ...parts);

  beforeAll(async () => {
    project = await makeProject({ demo: CAMPAIGN, 'aqua-review': `candidates: 2\n${DEMO_CAMPAIGN}`, scripts: SCRIPTS_CAMPAIGN });
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code, run.stderr).toBe(0);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => failedRequests.push(r.url()));
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await project?.cleanup();
  });

  const visibleCards = () => page.locator('.card:visible');
  async function brokenImages(): Promise<string[]> {
    return page.$$eval('img', (imgs) => imgs.filter((i) => i.getAttribute('src') && (!i.complete || i.naturalWidth === 0)).map((i) => i.getAttribute('src') ?? ''));
  }

  it('lists every asset with its thumbnail, all loaded from file://, and runs no injected script', async () => {
    await page.goto(pathToFileURL(out('demo', 'index.html')).href);
    await page.waitForLoadState('load');
    const manifest = JSON.parse(readFileSync(out('demo', 'manifest.json'), 'utf8')) as CampaignManifest;
    await expect(page.locator('.card').count()).resolves.toBe(manifest.assets.length);
    expect(await page.locator('.card img').count()).toBe(manifest.assets.length);
    expect(await brokenImages()).toEqual([]);
    // Thumbnails, not the delivered files: small WebP under thumbs/.
    const srcs = await page.$$eval('.card img', (imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
    for (const src of srcs) {
      expect(src).toMatch(/^thumbs\/[0-9a-f]{32}\.webp$/);
      expect(statSync(out('demo', src)).size).toBeLessThan(60_000);
    }
    // The hostile headline is shown as text and never ran.
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(page.locator('.card[data-locale="en-US"] .headline').first().textContent()).resolves.toBe(HOSTILE);
    // Each card names variant, size, provider and model, and carries its prompt.
    const first = page.locator('.card').first();
    const text = (await first.textContent()) ?? '';
    for (const part of [manifest.assets[0]!.variant, manifest.assets[0]!.size, 'local', manifest.model]) expect(text).toContain(part);
    expect(await first.locator('details p').first().textContent()).toBe(manifest.assets[0]!.prompt);
  });

  it('shows RTL locales with dir="rtl" labels', async () => {
    const dirs = await page.$$eval('.card[data-locale="ar-SA"] [lang="ar-SA"]', (els) => els.map((e) => e.getAttribute('dir')));
    expect(dirs.length).toBeGreaterThan(0);
    expect(new Set(dirs)).toEqual(new Set(['rtl']));
    const ltr = await page.$$eval('.card[data-locale="de-DE"] [lang="de-DE"]', (els) => els.map((e) => e.getAttribute('dir')));
    expect(new Set(ltr)).toEqual(new Set(['ltr']));
  });

  it('filters by locale, size and variant', async () => {
    await page.selectOption('select[name="locale"]', 'ar-SA');
    await expect(visibleCards().count()).resolves.toBe(3);
    expect(new Set(await visibleCards().evaluateAll((els) => els.map((e) => e.getAttribute('data-locale'))))).toEqual(new Set(['ar-SA']));
    await page.selectOption('select[name="size"]', 'story');
    await expect(visibleCards().count()).resolves.toBe(1);
    await expect(page.locator('#count').textContent()).resolves.toBe('1');
    await page.selectOption('select[name="variant"]', 'hero');
    await expect(visibleCards().count()).resolves.toBe(1);
    await page.selectOption('select[name="locale"]', '');
    await page.selectOption('select[name="size"]', '');
    // The demo has one variant: filtering by it alone shows everything.
    await expect(visibleCards().count()).resolves.toBe(9);
    await page.selectOption('select[name="size"]', 'thumb');
    await expect(visibleCards().count()).resolves.toBe(3);
    await page.selectOption('select[name="size"]', '');
    await page.selectOption('select[name="variant"]', '');
    await expect(visibleCards().count()).resolves.toBe(9);
  });

  it('opens an asset at full size', async () => {
    await page.selectOption('select[name="locale"]', 'de-DE');
    await page.selectOption('select[name="size"]', 'story');
    await visibleCards().first().locator('button[data-full]').click();
    const full = page.locator('#viewer-image');
    await full.waitFor({ state: 'visible' });
    // The project compiles without the DOM library: the image is typed by what is read of it.
    type Img = { complete: boolean; naturalWidth: number; naturalHeight: number; getAttribute(n: string): string | null };
    await full.evaluate((img) => new Promise<void>((done) => ((img as unknown as Img).complete ? done() : img.addEventListener('load', () => done()))));
    const size = await full.evaluate((el) => {
      const img = el as unknown as Img;
      return [img.naturalWidth, img.naturalHeight, img.getAttribute('src')];
    });
    expect(size).toEqual([540, 960, 'de-DE/hero-story.jpg']);
    await expect(page.locator('#viewer-caption').textContent()).resolves.toContain('hero/de-DE/story');
    await page.locator('#viewer button').click();
    await expect(page.locator('#viewer').isVisible()).resolves.toBe(false);
    await page.selectOption('select[name="locale"]', '');
    await page.selectOption('select[name="size"]', '');
  });

  it('out/index.html lists every campaign and links to its gallery', async () => {
    await page.goto(pathToFileURL(out('index.html')).href);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.locator('a', { hasText: 'aqua-review' }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(pathToFileURL(out('aqua-review', 'index.html')).href);
    // candidates: 2 shows two images per cell, side by side, every one loaded.
    const shots = await page.$$eval('.card .shots', (els) => els.map((e) => e.querySelectorAll('img').length));
    expect(shots).toEqual(Array(9).fill(2));
    expect(await brokenImages()).toEqual([]);
  });

  it('marks the approved candidate, links diff.html once a copy edit changed approved cells, and makes the README screenshot', async () => {
    const approve = async (...args: string[]) => expect((await cli(project.dir, ['approve', 'aqua-review', ...args])).code).toBe(0);
    await approve();
    await approve('--cell', 'hero/en-US/square', '--pick', '1');
    const yaml = join(project.dir, 'campaigns', 'aqua-review', 'campaign.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('HYDRATION, VERFEINERT', 'FRISCH, DEN GANZEN TAG'));
    expect((await cli(project.dir, ['build', 'aqua-review'])).code).toBe(0);
    const diff = await cli(project.dir, ['diff', 'aqua-review', '--json']);
    expect(diff.code, diff.stderr).toBe(0);
    expect((JSON.parse(diff.stdout) as { campaigns: { changed: unknown[] }[] }).campaigns[0]!.changed).toHaveLength(3);

    await page.goto(pathToFileURL(out('aqua-review', 'index.html')).href);
    await page.waitForLoadState('load');
    expect(await brokenImages()).toEqual([]);
    // Approved: the delivered file of every unchanged cell; en-US square delivers its approved pick, candidate 1 (picks stick).
    const approvedTitles = await page.$$eval('.card[data-locale="en-US"][data-size="square"] .approved', (els) => els.map((e) => e.getAttribute('title')));
    expect(approvedTitles).toEqual(['1080×1080 jpeg · approved']);
    expect(await page.locator('.card[data-locale="de-DE"] .approved').count()).toBe(0);
    expect(await page.locator('.card[data-locale="ar-SA"] .approved').count()).toBe(3);

    const shot = out('gallery.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    // Refreshing the README picture is a deliberate act, not a side effect of every test run.
    if (process.env['PRESSROOM_UPDATE_SCREENSHOT'] === '1') copyFileSync(shot, join(import.meta.dirname, '..', '..', 'docs', 'gallery.png'));

    await page.locator('a.diff-link').click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(pathToFileURL(out('aqua-review', 'diff.html')).href);
    expect(await brokenImages()).toEqual([]);
    // Approved beside new for each changed cell, with its score.
    expect(await page.locator('img').count()).toBe(6);
    expect(await page.locator('.score').count()).toBe(3);
  });

  it('draws the copy of every script with the faces shipped beside the page, on a machine with no font for them', async () => {
    await page.goto(pathToFileURL(out('scripts', 'index.html')).href);
    await page.waitForLoadState('load');
    const drawn = await page.evaluate(async () => {
      const d = (globalThis as unknown as { document: { fonts: { ready: Promise<unknown>; check(font: string, text: string): boolean; values(): Iterable<{ family: string; status: string }> }; querySelectorAll(s: string): Iterable<{ textContent: string | null; getAttribute(n: string): string | null }> } }).document;
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } };
      await d.fonts.ready;
      return {
        faces: [...d.fonts.values()].map((f) => [f.family, f.status]),
        headlines: [...d.querySelectorAll('.headline')].map((el) => {
          const family = view.getComputedStyle(el).fontFamily.split(',')[0]!.replace(/"/g, '');
          return [el.getAttribute('lang'), family, d.fonts.check(`16px "${family}"`, el.textContent ?? '')];
        }),
      };
    });
    // Each headline is set in a shipped face that has its characters, loaded from out/scripts/fonts/.
    expect(drawn.headlines).toHaveLength(Object.keys(SCRIPTS).length);
    for (const [lang, family, covered] of drawn.headlines) {
      expect(family, String(lang)).toMatch(/^pr-noto-sans-/);
      expect(covered, String(lang)).toBe(true);
    }
    const used = new Set(drawn.headlines.map(([, family]) => family));
    for (const [family, status] of drawn.faces) if (used.has(family as string)) expect(status, String(family)).toBe('loaded');
    await page.screenshot({ path: out('scripts.png'), fullPage: true });
  });

  it('logged no console error and requested nothing that failed', () => {
    expect(problems).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
