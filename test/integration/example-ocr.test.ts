import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { CAPTION_TOP, LABEL_PX } from '../../src/post/sheet-cell.js';
import { planSheets, sheetFileName } from '../../src/post/sheet-layout.js';
import { OCR_LANGUAGES, ocrLanguageOf, readRegion, similarity } from '../helpers/ocr.js';
import { cli } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The example sweep as built: every locale's headline, read back by OCR from the delivered asset,
 * is the copy the campaign wrote. Skips, saying how to install it, without tesseract.
 */
const repo = join(import.meta.dirname, '../..');
const CAMPAIGN = 'lumen-global-sweep';

if (!OCR_LANGUAGES) console.warn('OCR check of the example campaign skipped: tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-<lang>...)');

describe.skipIf(!OCR_LANGUAGES)(`OCR of ${CAMPAIGN}`, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let manifest: CampaignManifest;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('pressroom-example-ocr-'));
    const run = await cli(repo, ['build', join('campaigns', CAMPAIGN), '--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), '--size', 'portrait']);
    expect(run.code, run.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, 'out', CAMPAIGN, 'manifest.json'), 'utf8')) as CampaignManifest;
  }, 120_000);
  afterAll(() => cleanup());

  it('delivers every locale with its headline typeset', () => {
    expect(manifest.assets.length).toBeGreaterThanOrEqual(10);
    for (const asset of manifest.assets) expect(asset.layers?.[0]?.field).toBe('headline');
  });

  it('reads back each locale\'s headline from the delivered asset', async () => {
    const scores: string[] = [];
    for (const asset of manifest.assets) {
      const lang = ocrLanguageOf(asset.locale);
      if (!lang || !OCR_LANGUAGES!.has(lang)) {
        console.warn(`OCR of ${asset.locale} skipped: tesseract language pack "${lang ?? '?'}" is not installed`);
        continue;
      }
      const layer = asset.layers![0]!;
      const read = await readRegion(join(dir, 'out', CAMPAIGN, asset.file), layer.box, lang, join(dir, `${asset.locale}.png`));
      const score = similarity(read, layer.text);
      scores.push(`${asset.locale} ${score.toFixed(2)} "${read.replace(/\s+/g, ' ')}"`);
      expect(score, `OCR (${lang}) read "${read}" for "${layer.text}"`).toBeGreaterThanOrEqual(0.6);
    }
    console.log(`OCR similarity per locale:\n${scores.join('\n')}`);
    expect(scores.length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('labels the contact sheet legibly in every script', async () => {
    // Where the sheet put each tile, from the same layout; the caption (up to two lines) sits under the locale line.
    const tiles = manifest.assets.map((a) => ({ variant: a.variant, locale: a.locale, size: a.size, width: a.width, height: a.height }));
    const pages = planSheets(tiles);
    let read = 0;
    for (const [n, page] of pages.entries()) {
      const sheet = join(dir, 'out', CAMPAIGN, sheetFileName(n + 1));
      for (const at of page.tiles) {
        const asset = manifest.assets[at.index]!;
        const lang = ocrLanguageOf(asset.locale);
        if (!lang || !OCR_LANGUAGES!.has(lang)) continue;
        const region = { x: at.x, y: at.labelTop + CAPTION_TOP, width: at.cellWidth, height: Math.ceil(2 * LABEL_PX.caption * 1.35) + 4 };
        const text = await readRegion(sheet, region, lang, join(dir, `caption-${asset.locale}.png`), { invert: false, margin: 0, width: 4 * at.cellWidth });
        expect(similarity(text, asset.layers![0]!.text), `${asset.locale} caption read as "${text}"`).toBeGreaterThanOrEqual(0.6);
        read++;
      }
    }
    expect(read).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
