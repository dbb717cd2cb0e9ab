import { describe, expect, it } from 'vitest';
import type { ResolvedCampaign } from '../../src/core/campaign.js';
import { InputError } from '../../src/core/errors.js';
import type { TextLayer } from '../../src/core/text.js';
import { resolveText } from '../../src/manifest/layers.js';
import { fontReferences, textSchema } from '../../src/manifest/text-schema.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { placeLayer } from '../../src/compose/index.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

const headline = (overrides: Partial<TextLayer['style']> = {}): TextLayer => ({
  field: 'headline',
  index: 0,
  box: { x: 0.1, y: 0.05, width: 0.5, height: 0.2 },
  style: { weight: 700, color: '#FFFFFF', align: 'start', valign: 'top', size: { min: { px: 12 }, max: { fraction: 0.5 } }, lineHeight: 1.2, background: 'auto', mirror: true, hyphenate: true, ...overrides },
});

const LTR = { tag: 'en-US', direction: 'ltr' } as const;
const RTL = { tag: 'ar-SA', direction: 'rtl' } as const;

describe('placeLayer', () => {
  it('places the box in pixels of the delivered size and resolves size bounds against its height', () => {
    const p = placeLayer(headline(), { width: 1000, height: 500 }, LTR, 'Light');
    expect(p.box).toEqual({ x: 100, y: 25, width: 500, height: 100 });
    expect([p.minSize, p.maxSize]).toEqual([12, 50]);
    expect(p.align).toBe('start');
  });

  it('mirrors the box for right-to-left locales, and keeps it with mirror: false', () => {
    expect(placeLayer(headline(), { width: 1000, height: 500 }, RTL, 'ضوء').box).toEqual({ x: 400, y: 25, width: 500, height: 100 });
    expect(placeLayer(headline({ mirror: false }), { width: 1000, height: 500 }, RTL, 'ضوء').box.x).toBe(100);
    // Alignment stays logical: the typesetter puts start on the right in RTL text.
    expect(placeLayer(headline({ align: 'end' }), { width: 1000, height: 500 }, RTL, 'ضوء').align).toBe('end');
  });

  it('treats size.min as a floor: a box too small for it raises max rather than shrinking the copy', () => {
    const p = placeLayer(headline({ size: { min: { px: 14 }, max: { fraction: 0.45 } } }), { width: 728, height: 90 }, LTR, 'Light');
    expect(p.box.height).toBe(18);
    expect([p.minSize, p.maxSize]).toEqual([14, 14]);
  });
});

describe('resolveText', () => {
  const text = {
    layers: [
      { field: 'headline', box: { x: 0.1, y: 0.1, width: 0.8, height: 0.2 } },
      { field: 'copy', box: { x: 0.1, y: 0.7, width: 0.8, height: 0.2 }, align: 'center' as const, size: { min: 0.1 } },
    ],
  };

  it('merges per-size overrides into the layer, box field by field, and leaves out layers set to false', () => {
    const resolved = resolveText(
      text,
      [
        { id: 'square' },
        { id: 'story', text: { headline: { box: { y: 0.4 } }, copy: { align: 'end' as const } } },
        { id: 'leaderboard', text: { copy: false as const } },
      ],
      'en-US',
    );
    expect(resolved.fields).toEqual(['headline', 'copy']);
    expect(resolved.source).toBe('en-US');
    expect(resolved.bySize['square']!.map((l) => l.box.y)).toEqual([0.1, 0.7]);
    expect(resolved.bySize['story']![0]!.box).toEqual({ x: 0.1, y: 0.4, width: 0.8, height: 0.2 });
    expect(resolved.bySize['story']![1]!.style.align).toBe('end');
    expect(resolved.bySize['leaderboard']!.map((l) => l.field)).toEqual(['headline']);
  });

  it('fills defaults: bold headline, regular other fields, bounds in px or fractions of the box', () => {
    const [h, c] = resolveText(text, [{ id: 'square' }], 'en-US').bySize['square']!;
    expect(h!.style).toMatchObject({ weight: 700, color: '#FFFFFF', align: 'start', valign: 'top', background: 'auto', mirror: true, size: { min: { px: 12 }, max: { fraction: 0.5 } } });
    expect(c!.style).toMatchObject({ weight: 400, align: 'center', size: { min: { fraction: 0.1 } } });
    // The headline dominates the layers after it unless it says otherwise; others do not.
    expect(h!.style.minRatio).toBe(1);
    expect(c!.style.minRatio).toBeUndefined();
    expect([h!.style.hyphenate, c!.style.hyphenate]).toEqual([true, true]);
  });

  it('merges brand fonts and keep phrases from the campaign, the layer and the size; font: is the default', () => {
    const resolved = resolveText(
      {
        fonts: { default: 'fonts/Brand.otf', Arab: 'fonts/Arabic.otf' },
        keep: ['Lumen 2'],
        hyphenate: false,
        layers: [
          { field: 'headline', box: { x: 0.1, y: 0.1, width: 0.8, height: 0.2 }, fonts: { 'ka-GE': 'fonts/Georgian.ttf' }, keep: ['Lumen Mini'] },
          { field: 'copy', box: { x: 0.1, y: 0.7, width: 0.8, height: 0.2 }, font: 'fonts/Copy.ttf', hyphenate: true },
        ],
      },
      [{ id: 'square' }, { id: 'story', text: { headline: { fonts: { Arab: 'fonts/Arabic-Tall.otf' } } } }],
      'en-US',
    );
    const [h, c] = resolved.bySize['square']!;
    expect(h!.style.fonts).toEqual({ default: 'fonts/Brand.otf', Arab: 'fonts/Arabic.otf', 'ka-GE': 'fonts/Georgian.ttf' });
    expect(h!.style.keep).toEqual(['Lumen 2', 'Lumen Mini']);
    expect(h!.style.hyphenate).toBe(false);
    expect(c!.style.fonts).toEqual({ default: 'fonts/Copy.ttf', Arab: 'fonts/Arabic.otf' });
    expect(c!.style.hyphenate).toBe(true);
    expect(resolved.bySize['story']![0]!.style.fonts?.['Arab']).toBe('fonts/Arabic-Tall.otf');
  });
});

describe('the fonts: schema', () => {
  it('takes default, script codes and locale tags as keys, and refuses anything else', () => {
    const ok = textSchema.safeParse({ fonts: { default: 'a.ttf', Arab: 'b.otf', Zsye: 'c.woff2', 'ka-GE': 'd.ttf', ur: 'e.ttf' }, layers: [{ field: 'headline', box: { x: 0, y: 0, width: 1, height: 1 } }] });
    expect(ok.success).toBe(true);
    for (const fonts of [{ Arabic: 'a.ttf' }, { Xyzw: 'a.ttf' }, { default: 'a.png' }, { 'not a tag!': 'a.ttf' }]) {
      const bad = textSchema.safeParse({ fonts, layers: [{ field: 'headline', box: { x: 0, y: 0, width: 1, height: 1 } }] });
      expect(bad.success, JSON.stringify(fonts)).toBe(false);
    }
  });

  it('lists every brand font a campaign names, with its path, for the file checks', () => {
    const refs = fontReferences({
      text: { fonts: { Arab: 'a.otf' }, layers: [{ field: 'headline', font: 'b.ttf', fonts: { 'ka-GE': 'c.ttf' } }] },
      sizes: [{ id: 's', text: { headline: { fonts: { default: 'd.woff2' } } } }],
    });
    expect(refs).toEqual([
      { font: 'a.otf', path: ['text', 'fonts', 'Arab'] },
      { font: 'b.ttf', path: ['text', 'layers', 0, 'font'] },
      { font: 'c.ttf', path: ['text', 'layers', 0, 'fonts', 'ka-GE'] },
      { font: 'd.woff2', path: ['sizes', 0, 'text', 'headline', 'fonts', 'default'] },
    ]);
  });
});

describe('prompts and generations of a campaign with text layers', () => {
  const withText = (template: string): ResolvedCampaign =>
    campaignFixture({
      template: { file: '/virtual/templates/backdrop.hbs', source: template },
      text: { fields: ['headline', 'copy'], source: 'en-US', bySize: {} },
    });

  it('shares one background across locales, and the local proof gets no locale text to draw', () => {
    const campaign = withText('Backdrop of {{brand}}: {{scene}}, {{size.orientation}}');
    const gens = groupGenerations(campaign, createLocalProvider({ env: {} }), renderPrompts(campaign, buildMatrix(campaign)));
    // 2 variants x (square generation + story generation); locales fold in.
    expect(gens).toHaveLength(4);
    for (const g of gens) {
      expect(new Set(g.cells.map((c) => c.locale.tag))).toEqual(new Set(['en-US', 'de-DE']));
      expect(g.request.label).toMatchObject({ headline: '', copy: '', locale: '' });
    }
  });

  it('refuses a template that asks for a typeset field, saying why', () => {
    const campaign = withText('Poster: "{{headline}}"');
    expect(() => renderPrompts(campaign, buildMatrix(campaign))).toThrow(InputError);
    try {
      renderPrompts(campaign, buildMatrix(campaign));
    } catch (err) {
      expect((err as InputError).problems).toHaveLength(1);
      expect((err as InputError).message).toMatch(/"headline" is typeset as a text layer \(text\.layers\[0\]\), so the prompt does not get it/);
    }
  });
});
