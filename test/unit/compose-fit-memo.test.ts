import { describe, expect, it } from 'vitest';
import type { PlacedLayer } from '../../src/core/text.js';
import { fitAssetLayers } from '../../src/compose/index.js';
import { loadFonts, typesetterIdentity, type FitResult } from '../../src/typeset/index.js';

const headline = (over: Partial<PlacedLayer> = {}): PlacedLayer => ({
  field: 'headline',
  text: 'Light that follows your day',
  locale: 'en-US',
  direction: 'ltr',
  box: { x: 40, y: 40, width: 600, height: 200 },
  align: 'start',
  valign: 'top',
  hyphenate: true,
  minRatio: 1,
  weight: 700,
  color: '#ffffff',
  background: 'none',
  minSize: 16,
  maxSize: 96,
  lineHeight: 1.2,
  regions: [{ x: 40, y: 40, width: 600, height: 200 }],
  ...over,
});
const copy = (over: Partial<PlacedLayer> = {}): PlacedLayer => headline({ field: 'copy', text: 'Warm, even light from dawn to dusk.', box: { x: 40, y: 260, width: 600, height: 120 }, minRatio: undefined, maxSize: 48, ...over });

describe('copy-fit memo (fitAssetLayers)', () => {
  // A fit made again is made of new objects; one the memo answers is the very one made before.
  it('fits the same layers once, however often they are asked for, and returns what a fresh fit returns', () => {
    const fonts = loadFonts();
    const first = fitAssetLayers([headline(), copy()], fonts);
    // Equal layers built again (as every save of `pressroom dev` builds them): no new fit.
    const again = fitAssetLayers([headline(), copy()], fonts);
    expect(again[0]).toBe(first[0]);
    expect(again[1]).toBe(first[1]);
    expect(again).toEqual(fitAssetLayers([headline(), copy()], loadFonts()));
  });

  it('fits again when anything that decides the fit changes: text, box, size range, locale, line limit, ratio', () => {
    const fonts = loadFonts();
    const base = fitAssetLayers([headline(), copy()], fonts);
    const changes: [string, PlacedLayer[]][] = [
      ['text', [headline({ text: 'Light that follows your whole long day, every day' }), copy()]],
      ['box', [headline({ box: { x: 40, y: 40, width: 300, height: 200 } }), copy()]],
      ['size', [headline({ maxSize: 40 }), copy()]],
      ['locale', [headline({ locale: 'de-DE' }), copy({ locale: 'de-DE' })]],
      ['lines', [headline({ maxLines: 1 }), copy()]],
      ['ratio', [headline({ minRatio: 3 }), copy()]],
    ];
    for (const [what, layers] of changes) {
      const fits = fitAssetLayers(layers, fonts);
      expect(fits[0], what).not.toBe(base[0]);
      expect(fits, what).toEqual(fitAssetLayers(layers, loadFonts()));
    }
    // A narrower box or a smaller cap really sets the headline differently: the memo did not answer for it.
    expect(fitAssetLayers(changes[2]![1], fonts)[0]!.size).toBeLessThan(base[0]!.size);
  });

  it('keeps fits per font library: another library (other brand fonts) fits for itself', () => {
    const [one] = fitAssetLayers([headline()], loadFonts());
    const [two] = fitAssetLayers([headline()], loadFonts());
    expect(two).not.toBe(one);
    expect(two).toEqual(one);
  });

  it('hands out copies: a caller replacing an entry does not change what the next caller gets', () => {
    const fonts = loadFonts();
    const first = fitAssetLayers([headline(), copy()], fonts);
    const size = first[0]!.size;
    first[0] = { ...first[0]!, size: 1 };
    expect(fitAssetLayers([headline(), copy()], fonts)[0]!.size).toBe(size);
  });
});

describe('copy-fit verdicts kept between runs (KeptFits)', () => {
  const keptIn = (entries = new Map<string, unknown>()) => ({
    entries,
    kept: { fontRoot: '/nowhere', get: (k: string) => entries.get(k), put: (k: string, v: unknown) => void entries.set(k, v) },
  });

  it('answers from what an earlier run kept, for the same layers, without fitting again', () => {
    const { entries, kept } = keptIn();
    const first = fitAssetLayers([headline(), copy()], loadFonts(), kept);
    expect(entries.size).toBe(1);
    const [stored] = [...entries.values()] as FitResult[][];
    // A new process: a new font library, nothing fitted in memory; the kept verdict answers.
    const again = fitAssetLayers([headline(), copy()], loadFonts(), kept);
    expect(again[0]).toBe(stored![0]);
    expect(again).toEqual(first);
  });

  it('fits again for layers set differently (another text, box or size): their key is another', () => {
    const { entries, kept } = keptIn();
    fitAssetLayers([headline(), copy()], loadFonts(), kept);
    const longer = [headline({ text: 'Light that follows your whole long day, every single day, at home and at work' }), copy()];
    const fits = fitAssetLayers(longer, loadFonts(), kept);
    expect(entries.size).toBe(2);
    expect(fits).toEqual(fitAssetLayers(longer, loadFonts()));
    expect(fits[0]!.size).toBeLessThan((fitAssetLayers([headline(), copy()], loadFonts()))[0]!.size);
  });

  it('never takes a kept value that is not a fit per layer (a damaged or foreign file)', () => {
    const fresh = fitAssetLayers([headline(), copy()], loadFonts());
    for (const junk of [{}, [], [{ fits: true }], 'x', [{ ...fresh[0]!, lines: 'no' }, fresh[1]], [fresh[0]]]) {
      const kept = { fontRoot: '/', get: () => junk, put: () => undefined };
      expect(fitAssetLayers([headline(), copy()], loadFonts(), kept), JSON.stringify(junk).slice(0, 40)).toEqual(fresh);
    }
  });

  it('keys a verdict by the typesetter installed: every font and shaping package with its version', () => {
    const id = typesetterIdentity();
    expect(id).toMatch(/@napi-rs\/canvas@\d+\.\d+/);
    expect(id).toMatch(/@expo-google-fonts\/noto-sans-arabic@\d+\.\d+/);
    expect(id).toMatch(/budoux@\d+\.\d+/);
  });
});
