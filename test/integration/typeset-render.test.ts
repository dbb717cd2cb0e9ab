import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadFonts, typeset, type LayerSpec, type RawImage } from '../../src/typeset/index.js';
import { crop, fonts, greyDiff, headline, RTL, SCRIPT_SAMPLES, solid } from '../helpers/typeset.js';
import { paragraph } from '../../src/typeset/measure.js';

const GOLDEN = new URL('../fixtures/typeset/golden/', import.meta.url);

describe('shaping goldens', () => {
  // Crops of each script's headline as this engine shapes it today, checked by eye and by OCR
  // (typeset-ocr.test.ts) when written. PRESSROOM_UPDATE_GOLDEN=1 rewrites them.
  it.each(SCRIPT_SAMPLES)('$locale matches its golden crop', async ({ locale, text }) => {
    const { image, layer } = await headline(text, locale);
    const cut = await sharp(await crop(image, layer.ink)).greyscale().png().toBuffer();
    const file = new URL(`${locale}.png`, GOLDEN);
    if (process.env.PRESSROOM_UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, cut);
    }
    expect(existsSync(file), `no golden for ${locale}: run with PRESSROOM_UPDATE_GOLDEN=1 and look at it`).toBe(true);
    const golden = readFileSync(file);
    const meta = await sharp(golden).metadata();
    expect([layer.ink.width, layer.ink.height]).toEqual([meta.width, meta.height]);
    expect(await greyDiff(cut, golden)).toBeLessThan(2);
  });

  it.each([
    ['ar-SA', 'ترطيب'],
    ['hi-IN', 'स्मार्ट'],
    ['bn-BD', 'ট্র্যাকিং'],
    ['km-KH', 'ឆ្លាតវៃ'],
  ])('%s is shaped: joining the letters changes the glyphs', (locale, word) => {
    const lib = fonts();
    const dir = RTL.has(locale) ? 'rtl' : 'ltr';
    const measure = (text: string) => lib.measurer.line(paragraph(text, dir, lib.fontsFor(text, locale, 700).runs, locale), 0, text.length, 48);
    const joined = measure(word);
    const apart = measure([...word].join('\u200C'));
    expect(Math.abs(joined.advance - apart.advance)).toBeGreaterThan(2);
  });
});

describe('regional Han', () => {
  it('draws the same characters with each region\'s glyph forms', async () => {
    const crops = new Map<string, RawImage>();
    for (const locale of ['zh-CN', 'zh-TW', 'zh-HK', 'ja-JP', 'ko-KR']) {
      const out = typeset(await solid(300, 120, '#14213d'), [{ field: 'h', text: '直骨', locale, box: { x: 10, y: 10, width: 280, height: 100 }, style: { size: { min: 64, max: 64 }, maxLines: 1, background: 'none' } }], fonts());
      crops.set(locale, out.image);
    }
    // Korean shares these two forms with Japanese, not with Simplified Chinese.
    const pairs = [['zh-CN', 'zh-TW'], ['zh-CN', 'zh-HK'], ['zh-CN', 'ja-JP'], ['zh-TW', 'zh-HK'], ['zh-TW', 'ja-JP'], ['zh-HK', 'ja-JP'], ['zh-CN', 'ko-KR']];
    for (const [a, b] of pairs) expect(await greyDiff(crops.get(a!)!, crops.get(b!)!), `${a} vs ${b}`).toBeGreaterThan(0.3);
  });
});

describe('brand fonts', () => {
  it('draws WOFF and WOFF2 files like the TTF of the same font, Latin falling back to Noto', async () => {
    const lib = loadFonts({ projectRoot: fileURLToPath(new URL('../fixtures/typeset/', import.meta.url)) });
    const draw = async (brand?: string) => {
      const layer: LayerSpec = { field: 'h', text: 'לחות מושלמת AQUA', locale: 'he-IL', box: { x: 20, y: 20, width: 700, height: 100 }, style: { size: { min: 48, max: 48 }, maxLines: 1, background: 'none', ...(brand ? { fonts: { default: brand } } : {}) } };
      const out = typeset(await solid(740, 140, '#14213d'), [layer], lib);
      return { image: out.image, files: out.layers[0]!.fontFiles };
    };
    const ttf = await draw();
    const woff = await draw('NotoSansHebrew-subset-700.woff');
    const woff2 = await draw('NotoSansHebrew-subset-700.woff2');
    expect(ttf.files).toEqual(['@expo-google-fonts/noto-sans-hebrew/700Bold/NotoSansHebrew_700Bold.ttf', '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
    expect(woff.files).toEqual(['NotoSansHebrew-subset-700.woff', '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
    expect(woff2.files[0]).toBe('NotoSansHebrew-subset-700.woff2');
    expect(await greyDiff(woff.image, woff2.image)).toBeLessThan(0.5);
    // Same Hebrew design either way (the Latin comes from a different file): nearly the same pixels, no tofu.
    expect(await greyDiff(woff.image, ttf.image)).toBeLessThan(1.5);
  });
});

describe('colour emoji', () => {
  /** The largest max(r,g,b) − min(r,g,b) over the pixels of columns x0..x1 (inclusive). */
  const chroma = (img: RawImage, x0: number, x1: number) => {
    let most = 0;
    for (let y = 0; y < img.height; y++) {
      for (let x = Math.max(0, x0); x <= Math.min(img.width - 1, x1); x++) {
        const i = (y * img.width + x) * 4;
        const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
        most = Math.max(most, Math.max(r, g, b) - Math.min(r, g, b));
      }
    }
    return most;
  };

  it.each(['#ffffff', '#000000'])('draws the emoji of "Spring 🌸" in colour (Noto Color Emoji) while the %s text stays achromatic', async (color) => {
    const box = { x: 20, y: 20, width: 600, height: 120 };
    const draw = async (text: string) => {
      const out = typeset(await solid(640, 160, '#808080'), [{ field: 'h', text, locale: 'en-US', box, style: { size: { min: 64, max: 64 }, maxLines: 1, color, background: 'none' } }], fonts());
      return { image: out.image, ink: out.layers[0]!.ink };
    };
    const word = await draw('Spring');
    const both = await draw('Spring 🌸');
    const wordEnd = word.ink.x + word.ink.width - 1;
    const end = both.ink.x + both.ink.width - 1;
    // The emoji takes room of its own after the word.
    expect(end - wordEnd).toBeGreaterThan(30);
    // Inside the emoji: clearly coloured pixels (a monochrome emoji would be drawn in the text colour, grey at most).
    expect(chroma(both.image, wordEnd + 1, end)).toBeGreaterThan(60);
    // The word, like the background, has no colour at all.
    expect(chroma(both.image, 0, wordEnd)).toBeLessThanOrEqual(4);
    expect(chroma(word.image, 0, word.image.width - 1)).toBeLessThanOrEqual(4);
  });
});
