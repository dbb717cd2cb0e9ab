import { describe, expect, it } from 'vitest';
import { parseLocaleTag } from '../../src/manifest/locales.js';
import { boxForLocale, contrastRatio, directionOf, luminance, mirrorBox, pseudoLocale, pseudoText } from '../../src/typeset/index.js';
import { parseColour } from '../../src/typeset/contrast.js';

describe('pseudoText en-XA', () => {
  it('accents every letter, brackets the text and makes it about 40 % longer', () => {
    const out = pseudoText('en-XA', 'Hydration, refined');
    expect(out).toMatch(/^\[Ĥýđŕåţîöñ, ŕéƒîñéđ.*\]$/u);
    expect([...out].length).toBeGreaterThanOrEqual(Math.ceil('Hydration, refined'.length * 1.4));
    expect(out).not.toMatch(/[a-zA-Z]{3,}(?=,)/u);
  });

  it('leaves placeholders alone', () => {
    const out = pseudoText('en-XA', 'Hello {{name}}, {count} items, %s');
    expect(out).toContain('{{name}}');
    expect(out).toContain('{count}');
    expect(out).toContain('%s');
  });
});

describe('pseudoText ar-XB', () => {
  it('forces each word right to left, keeping its letters', () => {
    const out = pseudoText('ar-XB', 'Smart bottle');
    expect(out).toBe('\u200F\u202ESmart\u202C\u200F \u200F\u202Ebottle\u202C\u200F');
  });

  it('transforms every string of a locale', () => {
    expect(pseudoLocale('ar-XB', { headline: 'A', copy: 'B' })).toEqual({
      headline: '\u200F\u202EA\u202C\u200F',
      copy: '\u200F\u202EB\u202C\u200F',
    });
  });
});

describe('directionOf and mirrorBox', () => {
  it.each([
    ['ar-SA', 'rtl'],
    ['he-IL', 'rtl'],
    ['fa-IR', 'rtl'],
    ['ar-XB', 'rtl'],
    ['en-XA', 'ltr'],
    ['az-Arab-IR', 'rtl'],
    ['ku-Latn', 'ltr'],
    ['ja-JP', 'ltr'],
    ['dv-MV', 'rtl'],
    ['yi', 'rtl'],
    ['ckb-IQ', 'rtl'],
    ['pa-PK', 'rtl'],
    ['pa-IN', 'ltr'],
    ['ar_SA', 'rtl'],
    ['not a tag', 'ltr'],
  ])('%s is %s', (locale, dir) => expect(directionOf(locale)).toBe(dir));

  it('is the rule the manifest uses: a locale never reads one way in the plan and another in the image', () => {
    for (const tag of ['ar-SA', 'he-IL', 'fa-IR', 'ur-PK', 'dv-MV', 'az-Arab', 'ku-Latn', 'th-TH', 'ja-JP', 'en-US', 'ar-XB', 'en-XA']) {
      const parsed = parseLocaleTag(tag);
      expect('direction' in parsed && parsed.direction, tag).toBe(directionOf(tag));
    }
  });

  it('mirrors a box about the vertical centre line, keeping other fields', () => {
    expect(mirrorBox({ x: 40, y: 10, width: 300, height: 90 }, 1080)).toEqual({ x: 740, y: 10, width: 300, height: 90 });
    const box = { x: 0, y: 0, width: 1080, height: 5 };
    expect(mirrorBox(box, 1080)).toEqual(box);
  });

  it('mirrors boxes only for right-to-left locales, unless told not to', () => {
    const box = { x: 40, y: 10, width: 300, height: 90 };
    expect(boxForLocale(box, 1080, 'ar-SA').x).toBe(740);
    expect(boxForLocale(box, 1080, 'ar-XB').x).toBe(740);
    expect(boxForLocale(box, 1080, 'ar-SA', false)).toBe(box);
    expect(boxForLocale(box, 1080, 'de-DE')).toBe(box);
  });
});

describe('WCAG contrast', () => {
  it('gives the known ratios', () => {
    const l = (c: string) => {
      const [r, g, b] = parseColour(c);
      return luminance(r, g, b);
    };
    expect(contrastRatio(l('#000000'), l('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(l('#ffffff'), l('#ffffff'))).toBeCloseTo(1, 5);
    // #767676 on white is the classic lightest grey that passes AA.
    expect(contrastRatio(l('#767676'), l('#ffffff'))).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(l('#777777'), l('#ffffff'))).toBeLessThan(4.5);
  });

  it('parses short and long hex and names, rejects the rest with a code', () => {
    expect(parseColour('#fff')).toEqual([255, 255, 255, 255]);
    expect(parseColour('#11223380')).toEqual([0x11, 0x22, 0x33, 0x80]);
    expect(parseColour('black')).toEqual([0, 0, 0, 255]);
    expect(() => parseColour('blue-ish')).toThrow(expect.objectContaining({ code: 'E_COLOUR' }));
  });
});
