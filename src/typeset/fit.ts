import { breakOpportunities } from './breaks.js';
import type { FontLibrary, FontMap } from './library.js';
import type { MissingChar } from './itemize.js';
import { directionOf, langOf } from './locale.js';
import { BLEED, lineExtent, paragraph, type Direction, type LineMetrics } from './measure.js';
import { prepare, refine, wrap, type LineSpan, type Prepared } from './wrap.js';

export interface FitStyle {
  /** Brand fonts by locale, script or `default` (paths relative to the project root); Noto covers the rest. */
  readonly fonts?: FontMap;
  /** 100-900; default 700. */
  readonly weight?: number;
  /** Font size range in pixels. */
  readonly size: { readonly min: number; readonly max: number };
  /** Least line advance as a multiple of the size (default 1.2); more where the script's ink needs it. */
  readonly lineHeight?: number;
  /** Default 3. */
  readonly maxLines?: number;
  /** Phrases never broken across lines ("iPhone 16"). */
  readonly keep?: readonly string[];
  /** Dictionary hyphenation of words too long for a line; default true. Soft hyphens are honoured either way. */
  readonly hyphenate?: boolean;
  /** Room kept free inside each edge of the box, as a fraction of the font size (for a scrim or plate). */
  readonly inset?: number;
  /** Room above and below, when it differs from `inset` (a button's padding is wider than tall). */
  readonly insetY?: number;
  /** Break between any graphemes of a word too wide for a line (labels and proofs; copy layers refuse instead). */
  readonly breakAnywhere?: boolean;
}

export interface FitSpec {
  readonly text: string;
  readonly locale: string;
  /** Default: the locale's (directionOf). */
  readonly direction?: Direction;
  readonly box: { readonly width: number; readonly height: number };
  readonly style: FitStyle;
}

/** A block of lines at one size, positioned from the block's top-left (y down, x from the left edge). */
export interface Layout {
  readonly size: number;
  /** Baseline to baseline. */
  readonly lineAdvance: number;
  readonly lines: readonly LineMetrics[];
  /** Baseline of each line from the top of the block (the first line's ink top). */
  readonly baselines: readonly number[];
  /** Block size including every glyph's ink. */
  readonly width: number;
  readonly height: number;
  /** Pixels kept free inside the left and right edges of the box. */
  readonly inset: number;
  /** Pixels kept free inside its top and bottom edges. */
  readonly insetY: number;
}

export type FitReason = 'lines' | 'word' | 'height' | 'hierarchy';

export interface FitResult {
  /** True when the text fits the box at `size` in at most `maxLines` lines. */
  readonly fits: boolean;
  /** The largest size that fits; `style.size.min` when nothing does. */
  readonly size: number;
  /** The lines at `size` (all of them, even past maxLines, when it does not fit). */
  readonly lines: readonly string[];
  /** Lines the text needs at `size`. */
  readonly needLines: number;
  readonly maxLines: number;
  /** Lines the box holds at `size` (its height, capped by maxLines). */
  readonly holdsLines: number;
  /** Why it does not fit: too many lines, a word wider than the box, a line taller than it, or smaller than a layer it must dominate. */
  readonly reason?: FitReason;
  readonly fontFiles: readonly string[];
  readonly missing: readonly MissingChar[];
  /** Set at hyphenation points (words too long for a line at any larger size). */
  readonly hyphenated?: boolean;
  /** With reason `hierarchy`: the layer it must dominate, the ratio, and that layer's smallest size. */
  readonly below?: { readonly field: string; readonly ratio: number; readonly size: number };
}

export const DEFAULT_WEIGHT = 700;
const DEFAULT_LINE_HEIGHT = 1.2;
const DEFAULT_MAX_LINES = 3;
/** Room for antialiasing at both edges, and for pens rounded to whole pixels. */
const SLACK = 2 * BLEED + 1;
/** Hyphenating is worth it when it sets the text at least this much larger (or is the only way it fits). */
const HYPHEN_GAIN = 1.15;

export function resolveStyle(style: FitStyle) {
  return {
    weight: style.weight ?? DEFAULT_WEIGHT,
    lineHeight: style.lineHeight ?? DEFAULT_LINE_HEIGHT,
    maxLines: Math.max(1, Math.floor(style.maxLines ?? DEFAULT_MAX_LINES)),
    min: Math.max(1, Math.ceil(style.size.min)),
    max: Math.max(1, Math.floor(Math.max(style.size.min, style.size.max))),
  };
}

/** Pixels kept free inside each edge at a size. */
export const insetAt = (style: FitStyle, size: number) => Math.round((style.inset ?? 0) * size);
const insetYAt = (style: FitStyle, size: number) => Math.round((style.insetY ?? style.inset ?? 0) * size);

interface Attempt {
  readonly size: number;
  readonly lines: readonly LineMetrics[];
  readonly overflow: boolean;
  readonly height: number;
  readonly advance: number;
  readonly holds: number;
  readonly ok: boolean;
}

interface PreparedText {
  readonly paras: readonly Prepared[];
  readonly missing: readonly MissingChar[];
  readonly files: readonly string[];
}

const preparedCache = new WeakMap<FontLibrary, Map<string, PreparedText>>();

/** The text's paragraphs, itemized, with bidi levels and breaks: once per text, locale and style. */
export function prepared(spec: FitSpec, fonts: FontLibrary, weight: number): PreparedText {
  let cache = preparedCache.get(fonts);
  if (!cache) preparedCache.set(fonts, (cache = new Map()));
  const key = JSON.stringify([spec.text, spec.locale, spec.direction, weight, spec.style.fonts, spec.style.keep, spec.style.hyphenate, spec.style.breakAnywhere]);
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size > 5_000) cache.clear();
    cache.set(key, (hit = prepareText(spec, fonts, weight)));
  }
  return hit;
}

function prepareText(spec: FitSpec, fonts: FontLibrary, weight: number): PreparedText {
  const direction = spec.direction ?? directionOf(spec.locale);
  const lang = langOf(spec.locale);
  const missing: MissingChar[] = [];
  const files: string[] = [];
  const paras = spec.text.split(/\r?\n/).map((text) => {
    const tf = fonts.fontsFor(text, spec.locale, weight, spec.style.fonts);
    for (const m of tf.missing) if (!missing.some((x) => x.codePoint === m.codePoint)) missing.push(m);
    for (const f of tf.faces) if (!files.includes(f.name)) files.push(f.name);
    const breaks = breakOpportunities(text, spec.locale, { keep: spec.style.keep ?? [], hyphenate: spec.style.hyphenate ?? true, anywhere: spec.style.breakAnywhere === true });
    return prepare(paragraph(text, direction, tf.runs, lang), breaks, fonts.measurer);
  });
  return { paras, missing, files };
}

/**
 * Largest integer size in [min, max] at which the text, broken at legal breaks, fits the box in at
 * most maxLines lines with all ink inside and no two lines' ink touching. Measures only (no
 * pixels). What fits at a size also fits at any smaller one, so the search is binary.
 */
export function fitText(spec: FitSpec, fonts: FontLibrary): FitResult {
  const st = resolveStyle(spec.style);
  const { paras, missing, files } = prepared(spec, fonts, st.weight);
  const search = (hyphens: boolean, from = st.min): Attempt => {
    const at = (size: number) => attempt(paras, size, spec, st, hyphens);
    let best = at(st.max);
    if (best.ok) return best;
    let lo = from;
    let hi = st.max - 1;
    let found: Attempt | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const a = at(mid);
      if (a.ok) {
        found = a;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    best = found ?? at(from);
    return best;
  };
  let best = search(false);
  let hyphenated = false;
  // Hyphenating is only worth it well above the size found without: search only there.
  const from = best.ok ? Math.ceil(best.size * HYPHEN_GAIN) : st.min;
  if (paras.some((p) => p.hyphenable) && from <= st.max) {
    const h = search(true, from);
    if (h.ok && (!best.ok || h.size >= best.size * HYPHEN_GAIN)) {
      best = h;
      hyphenated = true;
    }
  }
  return { ...result(st, best, files, missing), ...(hyphenated ? { hyphenated } : {}) };
}

function attempt(paras: readonly Prepared[], size: number, spec: FitSpec, st: ReturnType<typeof resolveStyle>, hyphens: boolean): Attempt {
  const inset = insetAt(spec.style, size);
  const limit = spec.box.width - SLACK - 2 * inset;
  const room = spec.box.height - SLACK - 2 * insetYAt(spec.style, size);
  let overflow = false;
  const lines: LineMetrics[] = [];
  for (const pr of paras) {
    const w = wrap(pr, size, limit, hyphens);
    overflow ||= w.overflow;
    lines.push(...spansToLines(pr, w.spans, size));
  }
  const g = rhythm(lines, size, st.lineHeight);
  const holds = Math.min(st.maxLines, g.advance > 0 ? Math.max(0, Math.floor((room - g.ascent - g.descent) / g.advance) + 1) : st.maxLines);
  const ok = !overflow && limit > 0 && lines.length <= holds;
  return { size, lines, overflow, height: g.height, advance: g.advance, holds, ok };
}

const spansToLines = (pr: Prepared, spans: readonly LineSpan[], size: number) => spans.map((s) => pr.line(s.start, s.end, s.hyphen, size));

/**
 * Vertical rhythm from the ink: one baseline-to-baseline advance for the block, at least
 * size × lineHeight, and more where the script's marks reach further (Arabic shadda over dots,
 * Khmer coeng stacks, Nastaliq's descent), so the lowest ink of any line clears the highest of
 * any other by a twentieth of the size.
 */
export function rhythm(lines: readonly LineMetrics[], size: number, lineHeight: number) {
  const ascent = Math.max(0, ...lines.map((l) => l.ascent));
  const descent = Math.max(0, ...lines.map((l) => l.descent));
  const clearance = Math.max(BLEED * 2, size * 0.05);
  const advance = Math.max(size * lineHeight, ascent + descent + clearance);
  const first = lines[0]?.ascent ?? 0;
  const baselines = lines.map((_, i) => first + i * advance);
  const height = lines.length === 0 ? 0 : first + (lines.length - 1) * advance + (lines[lines.length - 1]?.descent ?? 0);
  return { ascent, descent, advance, baselines, height };
}

function result(st: ReturnType<typeof resolveStyle>, best: Attempt, files: readonly string[], missing: readonly MissingChar[]): FitResult {
  const reason: FitReason | undefined = best.ok ? undefined : best.overflow ? 'word' : best.lines.length > best.holds && best.holds > 0 ? 'lines' : 'height';
  return {
    fits: best.ok,
    size: best.size,
    lines: best.lines.map((l) => l.text),
    needLines: best.lines.length,
    maxLines: st.maxLines,
    holdsLines: best.holds,
    ...(reason ? { reason } : {}),
    fontFiles: files,
    missing,
  };
}

/**
 * The layout fitText chose, refined for drawing: balanced lines, no orphan. Undefined when the
 * text does not fit. Refining keeps the line count and never widens a line, so it still fits.
 */
export function layoutFor(spec: FitSpec, fit: FitResult, fonts: FontLibrary): Layout | undefined {
  if (!fit.fits) return undefined;
  const st = resolveStyle(spec.style);
  const { paras } = prepared(spec, fonts, st.weight);
  const size = fit.size;
  const inset = insetAt(spec.style, size);
  const limit = spec.box.width - SLACK - 2 * inset;
  const hyphens = fit.hyphenated === true;
  const lines = paras.flatMap((pr) => spansToLines(pr, refine(pr, size, limit, hyphens, wrap(pr, size, limit, hyphens)).spans, size));
  const g = rhythm(lines, size, st.lineHeight);
  return { size, lineAdvance: g.advance, lines, baselines: g.baselines, width: Math.max(0, ...lines.map(lineExtent)), height: g.height, inset, insetY: insetYAt(spec.style, size) };
}
