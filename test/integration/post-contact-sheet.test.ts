import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeContactSheets, type SheetTile } from '../../src/post/contact-sheet.js';
import { cellOverlays } from '../../src/post/sheet-cell.js';
import { planSheets, SHEET, type PlacedTile } from '../../src/post/sheet-layout.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { OCR_LANGUAGES, readRegion, similarity } from '../helpers/ocr.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-sheet-')));
afterEach(() => cleanup());

interface LocaleCase {
  readonly locale: string;
  readonly caption: string;
  readonly direction: 'ltr' | 'rtl';
}

const LOCALES: readonly LocaleCase[] = [
  { locale: 'en-US', caption: 'HYDRATION, REFINED', direction: 'ltr' },
  { locale: 'ja-JP', caption: 'ハイドレーション、洗練。', direction: 'ltr' },
  { locale: 'zh-CN', caption: '补水，更精致', direction: 'ltr' },
  { locale: 'ar-SA', caption: 'ترطيب، بإتقان', direction: 'rtl' },
];

/** Real asset files, one per (variant, locale), all `width` x `height`. */
async function tiles(variants: readonly string[], width = 600, height = 400, locales = LOCALES): Promise<SheetTile[]> {
  const out: SheetTile[] = [];
  let seed = 1;
  await mkdir(join(dir, 'assets'), { recursive: true });
  for (const variant of variants) {
    for (const { locale, caption, direction } of locales) {
      const file = join(dir, 'assets', `${variant}-${locale}.jpg`);
      await writeFile(file, await makeImage(width, height, 'jpeg', seed++));
      out.push({ file, variant, locale, size: 'banner', width, height, caption, direction });
    }
  }
  return out;
}

const sheetFiles = async () => (await readdir(dir)).filter((n) => n.startsWith('contact-sheet')).sort();

describe('writeContactSheets', () => {
  it('writes one page, the size the layout planned: two short sections of four locales share one row', async () => {
    const input = await tiles(['hero', 'night']);
    const written = await writeContactSheets(input, { title: 'summer', outDir: dir });
    expect(written.map((w) => w.file)).toEqual([join(dir, 'contact-sheet.png')]);
    const { width, height, format } = await imageSize(await readFile(join(dir, 'contact-sheet.png')));
    expect(format).toBe('png');
    const [page] = planSheets(input);
    expect([width, height]).toEqual([page!.width, page!.height]);
    // Eight columns wide, one row of 600x400 pictures (120 px tall) tall: fits any laptop screen.
    expect(width).toBe(2 * SHEET.pad + 8 * SHEET.unit + 7 * SHEET.gap);
    expect(height).toBeLessThan(SHEET.box + 2 * SHEET.label + SHEET.title + 2 * SHEET.pad);
  });

  it('adds page 2 once the tiles pass the limit, and sizes each page to its rows', async () => {
    const input = await tiles(['a', 'b', 'c']);
    const written = await writeContactSheets(input, { title: 'summer', outDir: dir, maxTilesPerPage: 8 });
    expect(written.map((w) => w.file)).toEqual([join(dir, 'contact-sheet.png'), join(dir, 'contact-sheet-2.png')]);
    const first = await imageSize(await readFile(written[0]!.file));
    const second = await imageSize(await readFile(written[1]!.file));
    expect(second.width).toBe(first.width);
    expect(second.height).toBeLessThanOrEqual(first.height);
  });

  it('stays on one page at exactly the limit', async () => {
    const written = await writeContactSheets(await tiles(['a', 'b']), { title: 't', outDir: dir, maxTilesPerPage: 8 });
    expect(written).toHaveLength(1);
  });

  it('removes pages a bigger earlier build left behind, and nothing else', async () => {
    // Two sections of four locales per row, a page per row.
    await writeContactSheets(await tiles(['a', 'b', 'c', 'd', 'e']), { title: 't', outDir: dir, maxTilesPerPage: 8 });
    await writeFile(join(dir, 'contact-sheet-notes.txt'), 'keep');
    expect(await sheetFiles()).toEqual(['contact-sheet-2.png', 'contact-sheet-3.png', 'contact-sheet-notes.txt', 'contact-sheet.png']);
    await writeContactSheets(await tiles(['a']), { title: 't', outDir: dir, maxTilesPerPage: 4 });
    expect(await sheetFiles()).toEqual(['contact-sheet-notes.txt', 'contact-sheet.png']);
  });

  it('writes the same bytes for the same tiles', async () => {
    const input = await tiles(['hero']);
    const [first] = await writeContactSheets(input, { title: 'summer', outDir: dir });
    const [second] = await writeContactSheets(input, { title: 'summer', outDir: dir });
    expect(second!.sha256).toBe(first!.sha256);
    const [retitled] = await writeContactSheets(input, { title: 'autumn', outDir: dir });
    expect(retitled!.sha256).not.toBe(first!.sha256);
  });

  it('draws a marked placeholder for a failed job and for an unreadable asset', async () => {
    const [ok] = await tiles(['hero'], 600, 400, LOCALES.slice(0, 1));
    const failed: SheetTile = { variant: 'hero', locale: 'de-DE', size: 'banner', width: 600, height: 400, error: 'E_PROVIDER_MODERATION <rejected> & more' };
    const missing: SheetTile = { ...ok!, locale: 'fr-FR', file: join(dir, 'nope.jpg') };
    const garbage = join(dir, 'garbage.jpg');
    await writeFile(garbage, 'not an image');
    const broken: SheetTile = { ...ok!, locale: 'it-IT', file: garbage };
    const [sheet] = await writeContactSheets([ok!, failed, missing, broken], { title: 'summer', outDir: dir });
    const [page] = planSheets([ok!, failed, missing, broken]);

    // The placeholder's red frame sits in the failed column, where the asset would have been.
    const { data, info } = await sharp(sheet!.file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const reddish = (x0: number, x1: number) => {
      let count = 0;
      for (let y = 0; y < info.height; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * info.width + x) * 3;
          if (data[i]! > 150 && data[i + 1]! < 80 && data[i + 2]! < 80) count++;
        }
      }
      return count;
    };
    const column = (c: number) => [page!.tiles[c]!.x, page!.tiles[c]!.x + page!.tiles[c]!.cellWidth] as const;
    expect(reddish(...column(0))).toBe(0);
    for (const c of [1, 2, 3]) expect(reddish(...column(c))).toBeGreaterThan(500);
  });

  it('fits tall, wide and tiny assets into the cell', async () => {
    await mkdir(join(dir, 'assets'), { recursive: true });
    const shapes = [
      [1080, 1920],
      [4096, 256],
      [16, 16],
    ] as const;
    const input: SheetTile[] = [];
    for (const [i, [w, h]] of shapes.entries()) {
      const file = join(dir, 'assets', `${i}.png`);
      await writeFile(file, await makeImage(w, h, 'png', i + 1));
      input.push({ file, variant: 'v', locale: `l${i}`, size: `${w}x${h}`, width: w, height: h });
    }
    const [sheet] = await writeContactSheets(input, { title: 'shapes', outDir: dir });
    expect((await imageSize(await readFile(sheet!.file))).format).toBe('png');
  });

  it('still writes a sheet for an empty build, replacing the old pages', async () => {
    await writeContactSheets(await tiles(['a', 'b']), { title: 't', outDir: dir, maxTilesPerPage: 4 });
    const written = await writeContactSheets([], { title: 'nothing built', outDir: dir });
    expect(written).toHaveLength(1);
    expect(await sheetFiles()).toEqual(['contact-sheet.png']);
  });
});

/** One failed cell drawn alone on white, placed as the sheet places it; returns the PNG file and its place. */
async function failedCell(tile: SheetTile): Promise<{ file: string; at: PlacedTile }> {
  const [page] = planSheets([tile]);
  const at = page!.tiles[0]!;
  const overlays = await cellOverlays(tile, undefined, at);
  const file = join(dir, 'cell.png');
  await sharp({ create: { width: page!.width, height: page!.height, channels: 3, background: '#ffffff' } }).composite(overlays).png().toFile(file);
  return { file, at };
}

describe('the failed-tile placeholder', () => {
  const tile = (error: string, locale = 'en-US'): SheetTile => ({ variant: 'hero', locale, size: 'square', width: 1080, height: 1080, error });

  it('keeps a long message inside its red box', async () => {
    const { file, at } = await failedCell(tile(`E_PROVIDER_TIMEOUT ${'the provider did not answer in time; '.repeat(30)}`));
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // The box fills the picture's place (a square asset); below it only the labels, which are not red.
    let inside = 0;
    for (let y = at.rowTop; y < at.rowTop + at.rowHeight; y++) {
      for (let x = at.x; x < at.x + at.cellWidth; x++) {
        const i = (y * info.width + x) * 3;
        if (data[i]! > 150 && data[i + 1]! < 80 && data[i + 2]! < 80) inside++;
      }
    }
    expect(inside).toBeGreaterThan(500);
    let outside = 0;
    for (let y = at.rowTop + at.rowHeight; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * 3;
        if (data[i]! > 150 && data[i + 1]! < 80 && data[i + 2]! < 80) outside++;
      }
    }
    expect(outside).toBe(0);
  });

  const ocrCases = [
    ['en-US', 'eng', 'E_PROVIDER_MODERATION the prompt was rejected by the provider'],
    ['th-TH', 'tha', 'ความชุ่มชื่นที่สมบูรณ์แบบ'],
  ] as const;
  it.skipIf(!OCR_LANGUAGES).each(ocrCases)('says FAILED and why, legibly, in %s (OCR)', async (locale, lang, message) => {
    if (!OCR_LANGUAGES!.has(lang) || !OCR_LANGUAGES!.has('eng')) {
      console.warn(`OCR for ${locale} skipped: tesseract language pack "${lang}" is not installed`);
      return;
    }
    const { file, at } = await failedCell(tile(message, locale));
    const read = await readRegion(file, { x: at.x, y: at.rowTop, width: at.cellWidth, height: at.rowHeight }, `${lang}+eng`, join(dir, 'crop.png'), { invert: false, margin: 0, width: 900 });
    expect(read).toMatch(/FAILED/);
    const body = read.replace(/FAILED/, '');
    expect(similarity(body, message), `OCR read "${body}" for "${message}"`).toBeGreaterThanOrEqual(0.7);
  });
});
