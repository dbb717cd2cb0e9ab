import type { PlacedLayer } from '../core/text.js';
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { sha256Hex } from '../core/hash.js';
import { contrastRatio, fitLayers, luminance, parseColour, typesetterIdentity, type FitResult, type FontLibrary, type LayerSpec } from '../typeset/index.js';
import { TYPESET_VERSION } from './recipe.js';

/** Line count when a layer sets none: the box height is the limit. */
const UNBOUNDED_LINES = 20;
/**
 * Room kept inside the box, as a fraction of the font size, for a layer that may get a scrim or
 * plate: the same whether or not this background needs one, so copy-fit (which sees no pixels)
 * and delivery agree, and every locale of a row sits the same way in its box.
 */
const SCRIM_INSET = 0.2;
/** A button's plate reaches from the cap height down; lowercase ink starts this much (times the size) below it. */
const PLATE_CAP_ROOM = 0.2;

/** Room a layer keeps inside its box, in times the font size: its plate's padding, a scrim's margin, or none. */
function insetOf(p: PlacedLayer): { inset: number; insetY?: number } {
  if (p.plate) return { inset: p.plate.padding.x, insetY: p.plate.padding.y + PLATE_CAP_ROOM };
  return { inset: p.background === 'none' ? 0 : SCRIM_INSET };
}

/** A placed text layer in the typesetting engine's terms. */
export function engineSpec(p: PlacedLayer): LayerSpec {
  return {
    field: p.field,
    text: p.text,
    locale: p.locale,
    direction: p.direction,
    box: p.box,
    regions: p.regions,
    style: {
      ...(p.fonts !== undefined ? { fonts: p.fonts } : {}),
      ...(p.keep !== undefined ? { keep: p.keep } : {}),
      hyphenate: p.hyphenate,
      ...(p.minRatio !== undefined ? { minRatio: p.minRatio } : {}),
      ...insetOf(p),
      weight: p.weight,
      size: { min: p.minSize, max: p.maxSize },
      lineHeight: p.lineHeight,
      maxLines: p.maxLines ?? UNBOUNDED_LINES,
      align: p.align,
      valign: p.valign,
      color: p.color,
      background: p.background,
      ...(p.plate !== undefined ? { plate: p.plate } : {}),
    },
  };
}

/**
 * Fits already made, per font library, by everything that decides them (each layer's engine spec
 * and ratio). A build checks copy-fit before paying and sets the same layers again when it draws;
 * `pressroom dev` re-checks a whole campaign on every save, of which one locale changed.
 */
const fitted = new WeakMap<FontLibrary, Map<string, readonly FitResult[]>>();
/** Some 30 locales × 10 sizes × a few edits; past it the memo starts over rather than grow. */
const MAX_FITS_PER_LIBRARY = 4096;

/**
 * Verdicts kept from earlier runs (cache/fits/<campaign>.json), by `fitKey`: the copy-fit check
 * of a campaign nothing changed in is read, not set again. Only the check reads them; drawing
 * always fits for itself, so a verdict from disk never decides what is drawn.
 */
export interface KeptFits {
  /** The campaign folder: brand font paths are relative to it. */
  readonly fontRoot: string;
  get(key: string): unknown;
  put(key: string, fits: readonly FitResult[]): void;
}

/** The text layers of one asset fitted together, as delivery sets them (the headline never smaller than the copy). */
export function fitAssetLayers(layers: readonly PlacedLayer[], fonts: FontLibrary, kept?: KeptFits): FitResult[] {
  const asked = layers.map((p) => {
    const spec = engineSpec(p);
    return { field: p.field, spec: { text: spec.text, locale: spec.locale, direction: p.direction, box: p.box, style: spec.style }, ...(p.minRatio !== undefined ? { minRatio: p.minRatio } : {}) };
  });
  let memo = fitted.get(fonts);
  if (!memo) fitted.set(fonts, (memo = new Map()));
  const json = JSON.stringify(asked);
  const key = kept ? fitKey(json, layers, kept.fontRoot) : undefined;
  const known = memo.get(json);
  if (known) {
    if (kept) kept.put(key!, known);
    return [...known];
  }
  const stored = kept?.get(key!);
  if (isFitList(stored, layers.length)) return [...stored];
  const fits = fitLayers(asked, fonts);
  if (memo.size >= MAX_FITS_PER_LIBRARY) memo.clear();
  memo.set(json, fits);
  if (kept) kept.put(key!, fits);
  return [...fits];
}

/** Font files by path: their size and time, read once per process (a brand font replaced under its name is another input). */
const fontStamps = new Map<string, string>();
function stampOf(file: string): string {
  let stamp = fontStamps.get(file);
  if (stamp === undefined) {
    try {
      const s = statSync(file);
      stamp = `${s.size}/${s.mtimeMs}`;
    } catch {
      stamp = 'missing';
    }
    fontStamps.set(file, stamp);
  }
  return stamp;
}

/** A kept verdict's key: the layers as the fitter sees them, the typesetter that fits and the brand font files they name. */
function fitKey(json: string, layers: readonly PlacedLayer[], fontRoot: string): string {
  const brand = [...new Set(layers.flatMap((l) => Object.values(l.fonts ?? {})))].sort();
  const stamps = brand.map((f) => `${f}:${stampOf(isAbsolute(f) ? f : resolve(fontRoot, f))}`);
  return sha256Hex(`${TYPESET_VERSION}\u0000${typesetterIdentity()}\u0000${stamps.join('\u0000')}\u0000${json}`);
}

/** What a kept verdict must look like to be used: one fit per layer, with what the check reads. */
function isFitList(value: unknown, count: number): value is FitResult[] {
  return (
    Array.isArray(value) &&
    value.length === count &&
    value.every((f) => f && typeof f === 'object' && typeof f.fits === 'boolean' && typeof f.size === 'number' && Array.isArray(f.lines) && Array.isArray(f.missing) && Array.isArray(f.fontFiles))
  );
}

/** WCAG 2 "large text": 18 pt (24 px), or 14 pt (18.66 px) bold, reads at 3:1; smaller text needs 4.5:1. */
export function minContrastFor(sizePx: number, weight: number): number {
  return sizePx >= 24 || (sizePx >= 18.66 && weight >= 700) ? 3 : 4.5;
}

/** Text over a plate, the worst case: a translucent plate over black and over white. */
export function plateContrast(text: string, plate: string): number {
  const [tr, tg, tb] = parseColour(text);
  const [pr, pg, pb, pa] = parseColour(plate);
  const a = pa / 255;
  const over = (base: number) => luminance(pr * a + base * (1 - a), pg * a + base * (1 - a), pb * a + base * (1 - a));
  const lt = luminance(tr, tg, tb);
  return Math.min(contrastRatio(lt, over(0)), contrastRatio(lt, over(255)));
}
