import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesProject } from '../helpers/examples.js';
import { HAVE_CHROMIUM, NO_CHROMIUM_MESSAGE, launchChromium } from '../helpers/browser.js';
import { cli } from '../helpers/project.js';

if (!HAVE_CHROMIUM) console.warn(NO_CHROMIUM_MESSAGE);

/** How the gallery pages read in a real browser: card heights, the index's thumbnails, free proofs. */
describe.skipIf(!HAVE_CHROMIUM)('gallery layout in Chromium (the shipped social-kit: square, story, link-ad, mrec, billboard)', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let chromium: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const out = (...parts: string[]) => join(project.dir, 'out', ...parts);

  beforeAll(async () => {
    project = await examplesProject();
    const run = await cli(project.dir, ['build', 'campaigns/social-kit', 'campaigns/aqua-one-launch']);
    expect(run.code, run.stderr).toBe(0);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await project?.cleanup();
  });

  it('keeps each card its own height: a billboard is not stretched to the story beside it', async () => {
    await page.goto(pathToFileURL(out('social-kit', 'index.html')).href);
    await page.waitForLoadState('load');
    const box = async (size: string) => (await page.locator(`.card[data-variant="summer"][data-locale="en-US"][data-size="${size}"]`).boundingBox())!;
    const story = await box('story');
    // A wide card in the story's row of the grid stays under half the story's height.
    const cards = await page.$$eval('.card', (els) => els.map((e) => ({ size: e.getAttribute('data-size'), y: e.getBoundingClientRect().y, height: e.getBoundingClientRect().height })));
    const sameRow = cards.filter((c) => c.size !== 'story' && Math.abs(c.y - story.y) < 2);
    expect(sameRow.some((c) => c.size === 'link-ad' || c.size === 'billboard')).toBe(true);
    // Each as tall as its own picture: shorter than the story, and no two shapes stretched to one height.
    for (const c of sameRow) expect(c.height).toBeLessThan(story.height - 50);
    expect(new Set(sameRow.map((c) => Math.round(c.height))).size).toBe(sameRow.length);
    // A story's picture is capped, so one row stays within a laptop screen.
    const storyImage = (await page.locator('.card[data-size="story"] img').first().boundingBox())!;
    expect(storyImage.height).toBeLessThanOrEqual(22 * 16 + 1);
    await expect(page.locator('header .meta').textContent()).resolves.toContain('· free ·');
  });

  it('out/index.html shows each campaign with thumbnails, all loaded, each strip linking to its gallery, and cost free', async () => {
    await page.goto(pathToFileURL(out('index.html')).href);
    await page.waitForLoadState('load');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const images = await page.$$eval('tbody img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0 })));
    // social-kit: its 5 sizes, then es-ES; aqua-one-launch: its 2 sizes, then de-DE and fr-FR.
    expect(images.map((i) => i.loaded)).toEqual(Array(10).fill(true));
    expect(images.every((i) => /^(social-kit|aqua-one-launch)\/thumbs\/[0-9a-f]{32}\.webp$/.test(i.src ?? ''))).toBe(true);
    expect(await page.$$eval('tbody tr td:last-child', (tds) => tds.map((t) => t.textContent))).toEqual(['free', 'free']);
    await page.locator('a.previews').nth(1).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(pathToFileURL(out('social-kit', 'index.html')).href);
  });
});
