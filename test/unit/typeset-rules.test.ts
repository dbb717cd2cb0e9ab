import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { chooseTreatment, contrastRatio, describeFit, fitLayers, fitText, luminance, type FitSpec } from '../../src/typeset/index.js';
import { layoutFor } from '../../src/typeset/fit.js';
import { itemize, type FaceChains } from '../../src/typeset/itemize.js';
import type { FontFace } from '../../src/typeset/face.js';
import { drawLines, place } from '../../src/typeset/render.js';
import { fonts } from '../helpers/typeset.js';

const spec = (text: string, locale: string, width: number, height: number, style: Partial<FitSpec['style']> = {}): FitSpec => ({
  text,
  locale,
  box: { width, height },
  style: { size: { min: 12, max: 120 }, maxLines: 4, ...style },
});

describe('vertical rhythm: no two lines\' ink meet, in any script', () => {
  // Scripts whose marks reach far above or below the line: Arabic shadda over dots, Nastaliq's
  // slope, Khmer and Myanmar stacks, Tibetan, Thai tone marks, Vietnamese double diacritics.
  it.each([
    ['ar-EG', 'شُدَّت قُوَّة الضَّوْء ثُمَّ جُدِّدَت وَشُدِّدَت كُلُّ الحُرُوف'],
    ['ur-PK', 'پرانا فون دیں اور نئے فون پر بہترین رعایت حاصل کریں'],
    ['km-KH', 'ស្រ្តី ក្បាលឆ្កែ ព្រះអាទិត្យ ស្ត្រី ខ្ញុំ ស្រឡាញ់'],
    ['my-MM', 'နွေဦးရာသီ ဖုန်းလဲလှယ်ရေး အစီအစဉ် ကြွ ပြ ချို့'],
    ['bo-CN', 'དཔྱིད་ཀའི་ཁ་པར་བརྗེ་རེས། བསྒྲུབས་ སྒྲོལ་མ།'],
    ['th-TH', 'ผู้ใช้ที่ได้รับสิทธิ์ปู่ย่าตายายน้ำใจ'],
    ['vi-VN', 'Ưu đãi mùa xuân: đổi điện thoại cũ, nhận ngay ưu đãi lớn'],
    ['ja-JP', 'あなたの一日に寄り添う光。春の下取りキャンペーン'],
  ])('%s: each line drawn alone shares no pixel with any other', (locale, text) => {
    const s = spec(text, locale, 360, 2000, { lineHeight: 0.8, maxLines: 8, size: { min: 40, max: 40 } });
    const fit = fitText(s, fonts());
    expect(fit.fits, fit.lines.join(' | ')).toBe(true);
    const layout = layoutFor(s, fit, fonts())!;
    expect(layout.lines.length).toBeGreaterThan(1);
    const box = { x: 0, y: 0, width: 360, height: Math.ceil(layout.height) + 20 };
    const placed = place(layout, { box, style: s.style }, locale === 'ar-EG' || locale === 'ur-PK' ? 'rtl' : 'ltr');
    const masks = layout.lines.map((_, i) => {
      const ctx = createCanvas(box.width, box.height).getContext('2d');
      drawLines(ctx, layout, placed.pens, [0, 0, 0, 255], locale, { x: 0, y: 0 }, i);
      const d = ctx.getImageData(0, 0, box.width, box.height).data;
      return Uint8Array.from({ length: box.width * box.height }, (_, k) => d[k * 4 + 3]!);
    });
    for (let a = 0; a < masks.length; a++) {
      expect(masks[a]!.some((v) => v > 0), `line ${a + 1} drew nothing`).toBe(true);
      for (let b = a + 1; b < masks.length; b++) {
        const shared = masks[a]!.reduce((n, v, k) => n + (v > 0 && masks[b]![k]! > 0 ? 1 : 0), 0);
        expect(shared, `lines ${a + 1} and ${b + 1}: "${layout.lines[a]!.text}" / "${layout.lines[b]!.text}"`).toBe(0);
      }
    }
  });
});

describe('lines a typesetter would set', () => {
  it('balances a headline: no single word alone on the last line where another break exists', () => {
    const text = 'Trade in your old phone and save big this spring';
    for (const width of [300, 420, 560, 700]) {
      const s = spec(text, 'en-US', width, 400, { size: { min: 40, max: 40 } });
      const layout = layoutFor(s, fitText(s, fonts()), fonts())!;
      const last = layout.lines.at(-1)!.text.trim();
      if (layout.lines.length > 1) expect(last.split(' ').length, `${width}: ${layout.lines.map((l) => l.text).join(' | ')}`).toBeGreaterThan(1);
      const widths = layout.lines.map((l) => l.advance);
      if (layout.lines.length > 1) expect(Math.min(...widths) / Math.max(...widths), `${width}: unbalanced`).toBeGreaterThan(0.5);
    }
  });

  it('leaves no single CJK phrase or character on the last line', () => {
    const text = 'あなたの一日に寄り添う光';
    const s = spec(text, 'ja-JP', 330, 400, { size: { min: 40, max: 40 } });
    const layout = layoutFor(s, fitText(s, fonts()), fonts())!;
    expect(layout.lines.length).toBe(2);
    expect([...layout.lines.at(-1)!.text].length).toBeGreaterThan(1);
    // Between phrases, never inside a word.
    expect(layout.lines.map((l) => l.text)).not.toContain('あなたの一日に寄り');
  });

  it('never splits a keep phrase, and hyphenates a compound rather than shrinking the headline', () => {
    const keep = ['iPhone 16', 'Galaxy S25'];
    for (const width of [180, 240, 300, 400]) {
      const r = fitText(spec('Neu: iPhone 16 und Galaxy S25 im Tausch', 'de-DE', width, 400, { keep, size: { min: 20, max: 44 } }), fonts());
      for (const line of r.lines) for (const k of keep) if (line.includes(k.split(' ')[0]!)) expect(line, `${width}: ${r.lines.join(' | ')}`).toContain(k);
    }
    const word = 'älypuhelinvaihtokampanja';
    const plain = fitText(spec(word, 'fi-FI', 400, 300, { hyphenate: false, size: { min: 12, max: 80 } }), fonts());
    const hyph = fitText(spec(word, 'fi-FI', 400, 300, { size: { min: 12, max: 80 } }), fonts());
    expect(hyph.size).toBeGreaterThan(plain.size * 1.15);
    expect(hyph.lines[0]).toMatch(/-$/);
    expect(hyph.lines.join('').replace(/-/g, '')).toBe(word);
  });

  it('hyphenates only a word too wide for any line, never one that fits a line of its own', () => {
    // The dev page's headline at 480×600 once read "Light that fol- | lows your day".
    for (const width of [200, 260, 320, 380, 440]) {
      const r = fitText(spec('Light that follows your day', 'en-US', width, 200, { size: { min: 20, max: 90 }, maxLines: 2 }), fonts());
      expect(r.lines.every((l) => !l.endsWith('-')), `${width}: ${r.lines.join(' | ')}`).toBe(true);
    }
  });

  it('honours soft hyphens: the word breaks there, with a visible hyphen, and nowhere else', () => {
    const text = 'Bild\u00ADschirm\u00ADschutz\u00ADversicherung';
    const r = fitText(spec(text, 'de-DE', 420, 400, { size: { min: 20, max: 80 }, hyphenate: false }), fonts());
    expect(r.fits).toBe(true);
    expect(r.lines.length).toBeGreaterThan(1);
    for (const line of r.lines.slice(0, -1)) expect(line).toMatch(/^(Bild|schirm|schutz|versicherung)+-$/);
  });
});

describe('hierarchy between the layers of an asset', () => {
  const headline = (text: string, min = 20): FitSpec => spec(text, 'fi-FI', 420, 110, { size: { min, max: 80 }, maxLines: 2, hyphenate: false });
  const copy: FitSpec = spec('Vaihda vanha puhelimesi uuteen.', 'fi-FI', 900, 200, { size: { min: 20, max: 60 }, maxLines: 2 });

  it('sets the copy smaller rather than above the headline', () => {
    const [h, c] = fitLayers([{ field: 'headline', spec: headline('Kevään älypuhelinvaihtokampanja'), minRatio: 1 }, { field: 'copy', spec: copy }], fonts());
    expect(h!.fits && c!.fits).toBe(true);
    expect(h!.size).toBeGreaterThanOrEqual(c!.size);
    expect(fitText(copy, fonts()).size).toBeGreaterThan(h!.size);
  });

  it('is a copy-fit error when the copy cannot go below its minimum', () => {
    const tight = spec('Vaihda vanha puhelimesi uuteen.', 'fi-FI', 900, 200, { size: { min: 50, max: 60 }, maxLines: 2 });
    const [h] = fitLayers([{ field: 'headline', spec: headline('Kevään älypuhelinvaihtokampanja'), minRatio: 1 }, { field: 'copy', spec: tight }], fonts());
    expect(h).toMatchObject({ fits: false, reason: 'hierarchy', below: { field: 'copy', ratio: 1, size: 50 } });
    expect(describeFit('fi-FI headline', 'story 1080×1920', h!)).toMatch(/^fi-FI headline does not fit story 1080×1920: it would be set at \d+ px, but must be at least 1× the copy \(50 px at the smallest\)$/);
  });
});

describe('fit messages never contradict themselves', () => {
  it.each([
    ['a line taller than the box', spec('Hg', 'en-US', 400, 14, { size: { min: 12, max: 12 } }), 'height', /one line at 12 px is taller than the box/],
    ['more lines than it holds', spec('one two three four five six seven', 'en-US', 120, 40, { size: { min: 14, max: 14 } }), 'lines', /needs (\d+) lines at 14 px, box holds (\d+)$/],
  ] as const)('%s', (_, s, reason, message) => {
    const r = fitText(s, fonts());
    expect(r.reason).toBe(reason);
    const text = describeFit('en-US headline', 'box', r)!;
    expect(text).toMatch(message);
    const m = text.match(/needs (\d+) lines? at \d+ px, box holds (\d+)/);
    if (m) expect(Number(m[1])).toBeGreaterThan(Number(m[2]));
  });
});

describe('one treatment per row, from one histogram', () => {
  function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) {
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], (y * width + x) * 4);
    return { data, width, height, channels: 4 as const };
  }
  /** The weakest tenth of per-pixel ratios, the slow way. */
  function bruteForce(img: ReturnType<typeof image>, alpha: number): number {
    const ratios: number[] = [];
    for (let y = 0; y < img.height; y += 2) {
      for (let x = 0; x < img.width; x += 2) {
        const i = (y * img.width + x) * 4;
        const c = [0, 1, 2].map((k) => img.data[i + k]! * (1 - alpha));
        ratios.push(contrastRatio(1, luminance(c[0]!, c[1]!, c[2]!)));
      }
    }
    ratios.sort((a, b) => a - b);
    return ratios[Math.floor(ratios.length * 0.1)]!;
  }

  it('finds the lightest scrim that reaches 4.5:1, agreeing with a per-pixel count', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const img = image(200, 120, (x) => [Math.round(120 + 120 * rnd()), Math.round(100 + 150 * (x / 200)), Math.round(200 * rnd())]);
    const t = chooseTreatment(img, [{ x: 0, y: 0, width: 200, height: 120 }], [255, 255, 255, 255], 'auto');
    expect(t.kind).toBe('scrim');
    const alpha = t.rgba![3] / 255;
    expect(bruteForce(img, alpha)).toBeGreaterThanOrEqual(4.4);
    expect(bruteForce(img, alpha - 0.03)).toBeLessThan(4.5);
    expect(Math.abs(t.before - bruteForce(img, 0))).toBeLessThan(0.1);
  });

  it('reads the mirrored box too: a bright patch under either box gives every locale the scrim', () => {
    const img = image(400, 100, (x) => (x >= 300 ? [250, 250, 250] : [10, 10, 10]));
    const left = { x: 20, y: 10, width: 80, height: 80 };
    const mirrored = { x: 300, y: 10, width: 80, height: 80 };
    expect(chooseTreatment(img, [left], [255, 255, 255, 255], 'auto').kind).toBe('none');
    expect(chooseTreatment(img, [left, mirrored], [255, 255, 255, 255], 'auto').kind).not.toBe('none');
  });
});

describe('faces per word', () => {
  const face = (name: string): FontFace => ({ name, file: name, family: name });
  const brand = face('brand');
  const noto = face('noto');
  const latin = face('latin');
  const has: Record<string, string> = { brand: 'باتك ', noto: 'باتكمن ', latin: 'abc ' };
  const chains: FaceChains = {
    forScript: (script) => ({ faces: script === 'Arab' ? [brand, noto] : [latin, noto], uninstalled: [] }),
    covers: (f, cp) => has[f.name]!.includes(String.fromCodePoint(cp)),
  };

  it('sets a word in the brand font only when it has every letter, never mixing inside a word', () => {
    const text = 'باب مات abc';
    const { runs } = itemize(text, 'ar-SA', chains);
    const faceOf = (word: string) => new Set(runs.filter((r) => r.start < text.indexOf(word) + word.length && r.end > text.indexOf(word)).map((r) => r.face.name));
    expect([...faceOf('باب')]).toEqual(['brand']);
    // م is not in the brand font: the whole word goes to Noto.
    expect([...faceOf('مات')]).toEqual(['noto']);
    expect([...faceOf('abc')]).toEqual(['latin']);
  });
});
