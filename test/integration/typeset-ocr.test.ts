import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crop, headline, SCRIPT_SAMPLES } from '../helpers/typeset.js';
import { tempDir } from '../helpers/tmp.js';
import { OCR_LANGUAGES, similarity } from '../helpers/ocr.js';

/**
 * Reads every typeset headline back with tesseract: wrong shaping, tofu, reversed RTL or a wrong
 * regional font all lower the similarity. Needs tesseract and its language packs (Debian:
 * tesseract-ocr tesseract-ocr-ara ...); skips, saying so, without them.
 */
const langs = OCR_LANGUAGES;

describe.skipIf(!langs)('typeset headlines read back by OCR', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('pressroom-ocr-')));
  afterAll(() => cleanup());

  it.each(SCRIPT_SAMPLES)('$locale ($ocr)', async ({ locale, ocr, text }) => {
    if (!langs!.has(ocr)) {
      console.warn(`OCR for ${locale} skipped: tesseract language pack "${ocr}" is not installed`);
      return;
    }
    const { image, layer } = await headline(text, locale);
    // Settings that read best: the ink crop with a margin, greyscale, inverted (dark on light), ~600 px wide.
    const margin = 16;
    const cut = await sharp(await crop(image, { x: layer.ink.x - margin, y: layer.ink.y - margin, width: layer.ink.width + 2 * margin, height: layer.ink.height + 2 * margin }))
      .greyscale()
      .negate({ alpha: false })
      .resize({ width: 600 })
      .png()
      .toBuffer();
    const file = join(dir, `${locale}.png`);
    await writeFile(file, cut);
    const read = spawnSync('tesseract', [file, 'stdout', '-l', ocr, '--psm', '6'], { encoding: 'utf8' });
    expect(read.status, read.stderr).toBe(0);
    const score = similarity(read.stdout.trim(), text);
    console.log(`OCR ${locale}: similarity ${score.toFixed(2)}, read "${read.stdout.trim()}"`);
    expect(score, `OCR read "${read.stdout.trim()}" for "${text}"`).toBeGreaterThanOrEqual(0.6);
  });
});

describe.skipIf(!!langs)('typeset headlines read back by OCR', () => {
  it.skip('skipped: tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-<lang>)', () => {});
});
