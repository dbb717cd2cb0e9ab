import { describe, expect, it } from 'vitest';
import { pseudoText, renderLabel, typeset, type LayerSpec } from '../../src/typeset/index.js';
import { BG, crop, fonts, greyDiff, headline, inkBounds, raw, RTL, SCRIPT_SAMPLES, solid } from '../helpers/typeset.js';

describe('layout in the image', () => {
  it('aligns right-to-left text to the right edge at start, and left-to-right text to the left', async () => {
    for (const { locale, text } of SCRIPT_SAMPLES) {
      const { image, layer } = await headline(text, locale, { size: { min: 24, max: 48 } });
      const ink = inkBounds(await raw(image));
      const box = layer.box;
      if (RTL.has(locale)) {
        expect(box.x + box.width - 1 - ink.x1, locale).toBeLessThanOrEqual(6);
        expect(ink.x0 - box.x, locale).toBeGreaterThan(100);
      } else {
        expect(ink.x0 - box.x, locale).toBeLessThanOrEqual(6);
        expect(ink.x0, locale).toBeGreaterThanOrEqual(box.x);
      }
    }
  });

  it.each([
    ['en-US', 'Hydration', 'end', 'right'],
    ['he-IL', 'לחות מושלמת', 'end', 'left'],
    ['en-US', 'Hydration', 'center', 'center'],
    ['he-IL', 'לחות מושלמת', 'center', 'center'],
  ] as const)('%s "%s" aligned %s sits at the %s', async (locale, text, align, side) => {
    const box = { x: 30, y: 20, width: 600, height: 100 };
    const out = typeset(await solid(660, 140, '#14213d'), [{ field: 'h', text, locale, box, style: { size: { min: 40, max: 40 }, maxLines: 1, align, background: 'none' } }], fonts());
    const ink = inkBounds(await raw(out.image));
    const left = ink.x0 - box.x;
    const right = box.x + box.width - 1 - ink.x1;
    if (side === 'left') expect(left).toBeLessThanOrEqual(6);
    if (side === 'right') expect(right).toBeLessThanOrEqual(6);
    if (side === 'center') expect(Math.abs(left - right)).toBeLessThanOrEqual(6);
    expect(Math.min(left, right)).toBeGreaterThanOrEqual(0);
  });

  it('sets the ar-XB pseudo-locale right to left, right-aligned, letters mirrored', async () => {
    const box = { x: 20, y: 20, width: 700, height: 100 };
    const draw = async (text: string, locale: string) => {
      const out = typeset(await solid(740, 140, '#14213d'), [{ field: 'h', text, locale, box, style: { size: { min: 40, max: 40 }, maxLines: 1, background: 'none' } }], fonts());
      return out;
    };
    const xb = await draw(pseudoText('ar-XB', 'Smart'), 'ar-XB');
    const ink = inkBounds(await raw(xb.image));
    expect(box.x + box.width - 1 - ink.x1).toBeLessThanOrEqual(6);
    // RLO draws the letters in reverse: the same pixels as the reversed string set left to right.
    const reversed = await draw('tramS', 'en-US');
    const a = xb.layers[0]!.ink;
    const b = reversed.layers[0]!.ink;
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    expect(await greyDiff(await crop(xb.image, a), await crop(reversed.image, b))).toBeLessThan(2);
  });

  it.each([
    ['ar-SA', 'مرحبا', '2025'],
    ['ar-SA', 'مرحبا', 'AQUA'],
    ['he-IL', 'שלום', '2025'],
    ['he-IL', 'שלום', 'AQUA'],
  ])('%s: "%s %s" shows its trailing number or Latin word at the left end, left to right', async (locale, word, tail) => {
    const line = async (t: string, direction: 'ltr' | 'rtl') => {
      const layer: LayerSpec = { field: 'h', text: t, locale, direction, box: { x: 20, y: 20, width: 900, height: 100 }, style: { size: { min: 48, max: 48 }, maxLines: 1, background: 'none' } };
      const out = typeset(await solid(940, 140, '#14213d'), [layer], fonts());
      const ink = inkBounds(await raw(out.image), BG, 0);
      return crop(out.image, { x: ink.x0, y: 20, width: 240, height: 100 });
    };
    // Read right to left, "word tail" looks like "tail word" read left to right: the same glyphs
    // from the same fonts, so the same pixels from the leftmost ink on. With the words the other
    // way round, still right to left, the tail is at the right end instead.
    const rtl = await line(`${word} ${tail}`, 'rtl');
    const same = await greyDiff(rtl, await line(`${tail} ${word}`, 'ltr'));
    const swapped = await greyDiff(rtl, await line(`${tail} ${word}`, 'rtl'));
    // The space between the words may come from either word's face: a pixel's difference at most.
    expect(same).toBeLessThan(2);
    expect(swapped).toBeGreaterThan(10);
  });

  it('mirrors brackets in right-to-left text: the leftmost glyph of "(חדש)" is an opening bracket', async () => {
    const draw = async (text: string, direction: 'ltr' | 'rtl' = 'rtl') => {
      const out = typeset(await solid(400, 140, '#14213d'), [{ field: 'h', text, locale: 'he-IL', direction, box: { x: 20, y: 10, width: 360, height: 120 }, style: { size: { min: 80, max: 80 }, maxLines: 1, background: 'none' } }], fonts());
      return raw(out.image);
    };
    /** The first glyph from the left: ink columns up to the first empty column. */
    const firstGlyph = (img: { data: Buffer; width: number; height: number }) => {
      const inkAt = (x: number) => [...Array(img.height).keys()].some((y) => img.data[(y * img.width + x) * 4]! > 120);
      let x0 = 0;
      while (!inkAt(x0)) x0++;
      let x1 = x0;
      while (inkAt(x1)) x1++;
      const rows = [...Array(img.height).keys()].map((y) => [...Array(x1 - x0).keys()].map((k) => (img.data[(y * img.width + x0 + k) * 4]! > 120 ? 1 : 0)).join(''));
      return rows.filter((r) => r.includes('1')).join('\n');
    };
    // The bracket glyphs as the font draws them, left to right (alone in right-to-left text they mirror too).
    const left = firstGlyph(await draw('(חדש)'));
    expect(left).toBe(firstGlyph(await draw('(', 'ltr')));
    expect(left).not.toBe(firstGlyph(await draw(')', 'ltr')));
  });

  it('never draws outside the box, whatever the box, size range, line height and alignment', async () => {
    // Seeded, so a failure names a case that can be replayed.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const W = 600;
    const H = 400;
    const shade = 20;
    for (let k = 0; k < 4; k++) {
      for (const { locale, text } of SCRIPT_SAMPLES) {
        const width = Math.round(80 + rnd() * 500);
        const height = Math.round(30 + rnd() * 360);
        const box = { x: Math.round(rnd() * (W - width)), y: Math.round(rnd() * (H - height)), width, height };
        const style = {
          size: { min: 8, max: 140 },
          maxLines: 1 + Math.floor(rnd() * 4),
          lineHeight: 0.9 + rnd() * 0.8,
          background: 'none',
          align: (['start', 'center', 'end'] as const)[k % 3],
          valign: (['top', 'middle', 'bottom'] as const)[(k + 1) % 3],
        };
        const layer: LayerSpec = { field: 'h', text, locale, box, style };
        const out = typeset({ data: Buffer.alloc(W * H * 4, shade), width: W, height: H, channels: 4 }, [layer], fonts());
        const ink = inkBounds(out.image, [shade, shade, shade], 0);
        const where = `${locale} in ${JSON.stringify(box)} with ${JSON.stringify(style)}`;
        expect(ink.x0, where).toBeGreaterThanOrEqual(box.x);
        expect(ink.y0, where).toBeGreaterThanOrEqual(box.y);
        expect(ink.x1, where).toBeLessThan(box.x + box.width);
        expect(ink.y1, where).toBeLessThan(box.y + box.height);
      }
    }
  });

  it('is deterministic', async () => {
    const a = await headline('スマート 温度 2025', 'ja-JP');
    const b = await headline('スマート 温度 2025', 'ja-JP');
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
  });

  it('refuses a layer that does not fit at the minimum size', async () => {
    const layer: LayerSpec = { field: 'headline', text: 'A very long headline that cannot fit', locale: 'en-US', box: { x: 0, y: 0, width: 100, height: 24 }, style: { size: { min: 16, max: 20 }, maxLines: 1 } };
    const image = await solid(200, 50, '#000');
    expect(() => typeset(image, [layer], fonts())).toThrow(expect.objectContaining({
      code: 'E_COPYFIT',
      message: expect.stringMatching(/^en-US headline does not fit its 100×24 box: needs \d+ lines at 16 px, box holds 1$/),
    }));
  });
});

describe('refusals', () => {
  const base = { field: 'headline', locale: 'en-US', style: { size: { min: 16, max: 40 }, maxLines: 2 } };
  it('refuses a box outside the image', async () => {
    const image = await solid(200, 100, '#000');
    expect(() => typeset(image, [{ ...base, text: 'Hi', box: { x: 150, y: 0, width: 100, height: 50 } }], fonts())).toThrow(
      expect.objectContaining({ code: 'E_LAYOUT', message: 'en-US headline: box 100×50 at 150,0 is not inside the 200×100 image' }),
    );
  });
  it('refuses text with a character no font draws', async () => {
    const image = await solid(200, 100, '#000');
    expect(() => typeset(image, [{ ...base, text: 'Hi ᏣᎳᎩ', box: { x: 0, y: 0, width: 200, height: 100 } }], fonts())).toThrow(
      expect.objectContaining({
        code: 'E_COVERAGE',
        message: "en-US headline: no font has these Cherokee characters: 'Ꮳ' (U+13E3), 'Ꮃ' (U+13B3), 'Ꭹ' (U+13A9); the fix: give the layer or campaign a font that has them: fonts: { Cher: fonts/<file>.ttf }",
      }),
    );
  });
});

describe('legibility', () => {
  const layer = (background?: string): LayerSpec => ({
    field: 'headline',
    text: 'Hydration, refined',
    locale: 'en-US',
    box: { x: 20, y: 20, width: 560, height: 160 },
    style: { size: { min: 24, max: 64 }, maxLines: 2, color: '#ffffff', ...(background ? { background } : {}) },
  });

  it('adds a scrim where white text would sit on a light image, reaching 4.5:1', async () => {
    const out = typeset(await solid(600, 200, '#f0f0e8'), [layer('auto')], fonts());
    const c = out.layers[0]!.contrast;
    expect(c.before).toBeLessThan(1.5);
    expect(c.ratio).toBeGreaterThanOrEqual(4.5);
    expect(['scrim', 'plate']).toContain(c.treatment);
    const corner = (await raw(out.image)).data.subarray(0, 3);
    expect([...corner]).toEqual([0xf0, 0xf0, 0xe8]); // outside the scrim: untouched
  });

  it('keeps the scrim inside the box, whatever the text', async () => {
    for (const text of ['Hi', 'Hydration, refined', 'Hydration refined for every bottle on every desk']) {
      const box = { x: 40, y: 30, width: 400, height: 120 };
      const out = typeset(await solid(600, 200, '#f0f0e8'), [{ ...layer('auto'), text, box }], fonts());
      expect(out.layers[0]!.contrast.treatment, text).not.toBe('none');
      const ink = inkBounds(out.image, [0xf0, 0xf0, 0xe8], 0);
      expect([ink.x0 >= box.x, ink.y0 >= box.y, ink.x1 < box.x + box.width, ink.y1 < box.y + box.height], text).toEqual([true, true, true, true]);
    }
  });

  it('leaves a dark image alone and records its ratio', async () => {
    const out = typeset(await solid(600, 200, '#000000'), [layer('auto')], fonts());
    expect(out.layers[0]!.contrast).toEqual({ ratio: 21, before: 21, treatment: 'none' });
  });

  it('with background none records a poor ratio without fixing it; a colour draws a plate', async () => {
    const none = typeset(await solid(600, 200, '#ffffff'), [layer('none')], fonts());
    expect(none.layers[0]!.contrast).toMatchObject({ treatment: 'none', ratio: 1 });
    const plate = typeset(await solid(600, 200, '#ffffff'), [layer('#202020')], fonts());
    expect(plate.layers[0]!.contrast.treatment).toBe('plate');
    expect(plate.layers[0]!.contrast.ratio).toBeGreaterThan(15);
  });
});

describe('renderLabel', () => {
  it('draws one line no wider than asked, cutting with an ellipsis', () => {
    const long = renderLabel('ar-SA · ترطيب مثالي، الإصدار 2025 · story 1080×1920', 'ar-SA', 18, '#222222', 200, fonts());
    expect(long.width).toBeLessThanOrEqual(200);
    expect(long.data.length).toBe(long.width * long.height * 4);
    const short = renderLabel('ja-JP · 水', 'ja-JP', 18, '#222222', 400, fonts());
    expect(short.width).toBeLessThan(120);
    expect(short.height).toBeGreaterThanOrEqual(18);
    // Something was drawn.
    expect(short.data.some((v, i) => i % 4 === 3 && v > 200)).toBe(true);
  });
});
