import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coverage, describeFit, describeMissing, fitText, loadFonts, type FitSpec } from '../../src/typeset/index.js';
import { lineExtent, paragraph } from '../../src/typeset/measure.js';
import { fonts } from '../helpers/typeset.js';

/** One line as its own paragraph, measured the way the typesetter draws it. */
const measure = (line: string, locale: string, size: number) =>
  fonts().measurer.line(paragraph(line, locale.startsWith('ar') ? 'rtl' : 'ltr', fonts().fontsFor(line, locale, 700).runs, locale), 0, line.length, size);

const spec = (text: string, locale: string, width: number, height: number, extra: Partial<FitSpec['style']> = {}): FitSpec => ({
  text,
  locale,
  direction: locale.startsWith('ar') ? 'rtl' : 'ltr',
  box: { width, height },
  style: { size: { min: 12, max: 96 }, maxLines: 3, lineHeight: 1.2, ...extra },
});

describe('fitText', () => {
  it.each([
    ['en-US', 'Hydration, refined. Smart temperature tracking.'],
    ['ar-SA', 'ترطيب مثالي، الإصدار 2025 مع AQUA ONE'],
    ['th-TH', 'ความชุ่มชื่นที่ผ่านการขัดเกลาอย่างพิถีพิถัน'],
    ['ja-JP', '「新しい」ボトル、登場。水分補給をもっと賢く！'],
  ])('%s: picks the largest size that fits; one pixel larger does not', (locale, text) => {
    // Without hyphenation: with it, a size that fits only hyphenated is taken only when nothing else fits.
    for (const [w, h] of [[300, 120], [728, 90], [1000, 400], [160, 600]] as const) {
      const r = fitText(spec(text, locale, w, h, { hyphenate: false }), fonts());
      expect(r.fits).toBe(true);
      expect(r.lines.length).toBeLessThanOrEqual(3);
      expect(r.lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      for (const line of r.lines) {
        expect(lineExtent(measure(line, locale, r.size))).toBeLessThanOrEqual(w);
      }
      if (r.size < 96) expect(fitText(spec(text, locale, w, h, { size: { min: r.size + 1, max: r.size + 1 }, hyphenate: false }), fonts()).fits).toBe(false);
    }
  });

  it('never goes below the minimum: reports lines needed against lines held', () => {
    const r = fitText(spec('Hydration mit intelligenter Temperaturanzeige für jeden Tag', 'de-DE', 300, 20, { size: { min: 14, max: 40 } }), fonts());
    expect(r).toMatchObject({ fits: false, size: 14, holdsLines: 1, reason: 'lines' });
    expect(r.needLines).toBeGreaterThan(1);
    expect(describeFit('de-DE headline', 'banner 300×20', r)).toBe(
      `de-DE headline does not fit banner 300×20: needs ${r.needLines} lines at 14 px, box holds 1`,
    );
  });

  it('respects maxLines even when the box is tall enough for more', () => {
    const text = 'one two three four five six seven eight nine ten';
    const tall = fitText(spec(text, 'en-US', 200, 2000, { maxLines: 2, size: { min: 10, max: 200 } }), fonts());
    expect(tall.fits).toBe(true);
    expect(tall.lines.length).toBeLessThanOrEqual(2);
    const more = fitText(spec(text, 'en-US', 200, 2000, { maxLines: 5, size: { min: 10, max: 200 } }), fonts());
    expect(more.size).toBeGreaterThan(tall.size);
  });

  it('says when one unbreakable word is wider than the box', () => {
    const r = fitText(spec('Donaudampfschifffahrtsgesellschaft', 'de-DE', 120, 400, { size: { min: 16, max: 40 }, hyphenate: false }), fonts());
    expect(r).toMatchObject({ fits: false, reason: 'word', size: 16 });
    expect(describeFit('de-DE headline', 'badge 120×400', r)).toMatch(/"Donaudampfschifffahrtsgesellschaft" is wider than the box at 16 px/);
  });

  it('wraps Thai at word boundaries only', () => {
    const text = 'ความชุ่มชื่นที่ผ่านการขัดเกลาอย่างพิถีพิถัน';
    const r = fitText(spec(text, 'th-TH', 220, 400, { maxLines: 6, size: { min: 20, max: 40 } }), fonts());
    expect(r.fits).toBe(true);
    expect(r.lines.length).toBeGreaterThan(1);
    expect(r.lines.join('')).toBe(text);
    const words = new Set([...new Intl.Segmenter('th', { granularity: 'word' }).segment(text)].map((s) => s.index));
    let at = 0;
    for (const line of r.lines.slice(0, -1)) {
      at += line.length;
      expect(words.has(at), `break after "${line}"`).toBe(true);
    }
  });

  it('keeps CJK closing punctuation off the start of a line', () => {
    const text = '智能温度追踪，让每一口都恰到好处。再来一次！';
    for (const width of [120, 150, 180, 210, 240]) {
      const r = fitText(spec(text, 'zh-CN', width, 1000, { maxLines: 10, size: { min: 28, max: 28 } }), fonts());
      expect(r.fits).toBe(true);
      for (const line of r.lines) expect(line).not.toMatch(/^[，。！]/u);
    }
  });

  it('is monotonic: a wider box never gives a smaller size', () => {
    let last = 0;
    for (let w = 100; w <= 1200; w += 50) {
      const r = fitText(spec('Smart temperature tracking for every sip', 'en-US', w, w / 3), fonts());
      expect(r.size).toBeGreaterThanOrEqual(last);
      last = r.size;
    }
  });
});

describe('fonts per text', () => {
  it.each([
    ['zh-TW', 'NotoSansTC'],
    ['zh-HK', 'NotoSansHK'],
    ['zh-CN', 'NotoSansSC'],
    ['zh-SG', 'NotoSansSC'],
    ['ja-JP', 'NotoSansJP'],
    ['ko-KR', 'NotoSansKR'],
  ])('Han in %s is set in %s first', (locale, stem) => {
    const r = fitText(spec('直骨', locale, 400, 100), fonts());
    expect(r.fontFiles[0]).toMatch(new RegExp(`/${stem}_700Bold\\.ttf$`));
  });

  it('reads only the fonts a text needs', () => {
    const lib = loadFonts({});
    fitText(spec('Hydration, refined', 'en-US', 400, 100), lib);
    expect(lib.loaded()).toEqual(['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
    fitText(spec('ترطيب 2025', 'ar-SA', 400, 100), lib);
    expect(lib.loaded()).toHaveLength(2);
    expect(lib.loaded()[1]).toMatch(/noto-sans-arabic/);
  });

  it('puts brand fonts first where they have every letter of a word, Noto for the rest', () => {
    const lib = loadFonts({ projectRoot: fileURLToPath(new URL('../fixtures/typeset/', import.meta.url)) });
    const r = fitText(spec('שלום Brand', 'he-IL', 600, 100, { fonts: { default: 'NotoSansHebrew-subset-700.woff2' } }), lib);
    // The subset has no Latin: the Latin word comes from Noto Sans.
    expect(r.fontFiles).toEqual(['NotoSansHebrew-subset-700.woff2', '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
    expect(r.fits).toBe(true);
    // Keyed by script, the brand font sets the Hebrew of English copy too.
    const en = fitText(spec('Brand שלום', 'en-US', 600, 100, { fonts: { Hebr: 'NotoSansHebrew-subset-700.woff2' } }), lib);
    expect(en.fontFiles).toEqual(['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf', 'NotoSansHebrew-subset-700.woff2']);
    // Keyed by another locale, it sets nothing here.
    const other = fitText(spec('שלום', 'he-IL', 600, 100, { fonts: { 'ka-GE': 'NotoSansHebrew-subset-700.woff2' } }), lib);
    expect(other.fontFiles).toEqual(['@expo-google-fonts/noto-sans-hebrew/700Bold/NotoSansHebrew_700Bold.ttf']);
  });

  it('sets digits and punctuation between words in the locale\'s own script font', () => {
    expect(fitText(spec('שלום 2025', 'he-IL', 600, 100), fonts()).fontFiles).toEqual(['@expo-google-fonts/noto-sans-hebrew/700Bold/NotoSansHebrew_700Bold.ttf']);
    expect(fitText(spec('水 2025', 'ja-JP', 600, 100), fonts()).fontFiles).toEqual(['@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf']);
    expect(fitText(spec('AQUA 水', 'en-US', 600, 100), fonts()).fontFiles).toEqual([
      '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
      '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
    ]);
  });

  it('names the characters no font has, with their script', () => {
    expect(coverage('สวัสดี ก 😀 𐤀 ᏣᎳ', 'th-TH', fonts()).missing).toEqual([
      { char: '𐤀', codePoint: 'U+10900', script: 'Zzzz', packages: [] },
      { char: 'Ꮳ', codePoint: 'U+13E3', script: 'Cher', packages: [] },
      { char: 'Ꮃ', codePoint: 'U+13B3', script: 'Cher', packages: [] },
    ]);
    expect(coverage('ترطيب מושלם 水 ጤና ক ქ Ա తె ಕ മ ગ ਪ ଓ ස မ བོད 🌸', 'ar-SA', fonts()).missing).toEqual([]);
  });

  it('reports an unsupported character without reading every font', () => {
    const lib = loadFonts({});
    expect(coverage('Hi ᏣᎳᎩ', 'en-US', lib).missing.map((m) => m.codePoint)).toEqual(['U+13E3', 'U+13B3', 'U+13A9']);
    expect(lib.loaded()).toEqual(['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
  });

  it('finds shared characters in the text\'s own script fonts, CJK punctuation in CJK fonts', () => {
    const lib = loadFonts({});
    expect(coverage('ترطيب، ممتاز', 'ar-SA', lib).missing).toEqual([]);
    expect(coverage('नमस्ते।', 'hi-IN', lib).missing).toEqual([]);
    expect(coverage('Done。', 'en-US', lib).missing).toEqual([]);
  });

  it('words the coverage problem: script, at most five characters, and a fix that works', () => {
    const ml = [...new Set('മലയാളം ഭാഷ'.replace(/\s/g, ''))].map((char) => ({
      char,
      codePoint: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
      script: 'Mlym',
      packages: ['@expo-google-fonts/noto-sans-malayalam'],
    }));
    expect(describeMissing('ml-IN copy', ml)).toBe(
      "ml-IN copy: no font has these Malayalam characters: 'മ' (U+0D2E), 'ല' (U+0D32), 'യ' (U+0D2F), 'ാ' (U+0D3E), 'ള' (U+0D33) and 3 more; the fix: npm install @expo-google-fonts/noto-sans-malayalam",
    );
    expect(describeMissing('en-US cta', [{ char: 'Ꮳ', codePoint: 'U+13E3', script: 'Cher', packages: [] }])).toBe(
      "en-US cta: no font has this Cherokee character: 'Ꮳ' (U+13E3); the fix: give the layer or campaign a font that has it: fonts: { Cher: fonts/<file>.ttf }",
    );
    expect(describeMissing('x', [])).toBeUndefined();
  });

  it('names the package to install when a script\'s font package is missing', () => {
    const lib = loadFonts({ families: [{ id: 'gone', pkg: '@example/noto-sans-cherokee', file: '{W}/X_{W}.ttf', weights: [400], scripts: ['Cher'] }] });
    expect(coverage('ᏣᎳᎩ', 'chr', lib).missing[0]).toMatchObject({ script: 'Cher', packages: ['@example/noto-sans-cherokee'] });
  });

  it('says which brand font file is missing', () => {
    const lib = loadFonts({ projectRoot: fileURLToPath(new URL('../fixtures/typeset/', import.meta.url)) });
    expect(() => fitText(spec('Hi', 'en-US', 400, 100, { fonts: { default: 'fonts/Brand-Bold.otf' } }), lib)).toThrow(
      expect.objectContaining({ code: 'E_FONTS', message: 'cannot read font fonts/Brand-Bold.otf: file not found' }),
    );
  });

  it('drops a brand font that draws none of the text', () => {
    const lib = loadFonts({ projectRoot: fileURLToPath(new URL('../fixtures/typeset/', import.meta.url)) });
    const r = fitText(spec('Hydration', 'en-US', 400, 100, { fonts: { default: 'NotoSansHebrew-subset-700.woff' } }), lib);
    expect(r.fontFiles).toEqual(['@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf']);
  });

  it('chooses the nearest weight the packages ship', () => {
    expect(fitText(spec('Hydration', 'en-US', 400, 100, { weight: 350 }), fonts()).fontFiles).toEqual([
      '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    ]);
  });
});
