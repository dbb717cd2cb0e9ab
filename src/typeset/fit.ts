import { breakUnits, trimLine } from './breaks.js';
import type { FontFace, FontLibrary, MissingChar } from './library.js';
import { directionOf } from './locale.js';
import { BLEED, lineExtent, type Direction, type LineMetrics, type Measurer } from './measure.js';

export interface FitStyle {
  /** Brand font paths (relative to the project root); Noto covers every script they lack. */
  readonly fonts?: readonly string[];
  /** 100-900; default 700. */
  readonly weight?: number;
  /** Font size range in pixels. */
  readonly size: { readonly min: number; readonly max: number };
  /** Line advance as a multiple of the size; default 1.2. */
  readonly lineHeight?: number;
  /** Default 3. */
  readonly maxLines?: number;
}

export interface FitSpec {
  readonly text: string;
  readonly locale: string;
  /** Default: the locale's (directionOf). */
  readonly direction?: Direction;
  readonly box: { readonly width: number; readonly height: number };
  readonly style: FitStyle;
}

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
  /** Why it does not fit: too many lines, or one unbreakable word wider than the box. */
  readonly reason?: 'lines' | 'word';
  readonly fontFiles: readonly string[];
  readonly missing: readonly MissingChar[];
}

/** A block of lines at one size, positioned from the block's top-left (y down, x from the left edge). */
export interface Layout {
  readonly size: number;
  readonly lineAdvance: number;
  readonly lines: readonly LineMetrics[];
  /** Baseline of each line from the top of the block. */
  readonly baselines: readonly number[];
  /** Block size including every glyph's ink. */
  readonly width: number;
  readonly height: number;
  /** The first line's ink may reach above its line box: where the block's top edge is, relative to line 0's box top. */
  readonly inkTop: number;
}

export const DEFAULT_WEIGHT = 700;
const DEFAULT_LINE_HEIGHT = 1.2;
const DEFAULT_MAX_LINES = 3;
/** Room for antialiasing at both edges, for pens rounded to whole pixels and widths scaled rather than re-shaped. */
const SLACK = 2 * BLEED + 1;

export function resolveStyle(style: FitStyle) {
  return {
    weight: style.weight ?? DEFAULT_WEIGHT,
    lineHeight: style.lineHeight ?? DEFAULT_LINE_HEIGHT,
    maxLines: Math.max(1, Math.floor(style.maxLines ?? DEFAULT_MAX_LINES)),
    min: Math.max(1, Math.ceil(style.size.min)),
    max: Math.max(1, Math.floor(Math.max(style.size.min, style.size.max))),
  };
}

/**
 * Largest integer size in [min, max] at which the text, wrapped at legal breaks, fits the box in at
 * most maxLines lines with all ink inside. Measures only (no pixels). Assumes that what fits at a
 * size also fits at any smaller one, so the search is binary: about log2(max - min) + 2 layouts.
 */
export function fitText(spec: FitSpec, fonts: FontLibrary): FitResult {
  const st = resolveStyle(spec.style);
  const direction = spec.direction ?? directionOf(spec.locale);
  const { faces, missing } = fonts.select(spec.text, spec.locale, st.weight, spec.style.fonts);
  const units = breakUnits(spec.text, spec.locale);
  const at = (size: number) => layoutAt(units, size, faces, direction, spec.box, st, fonts.measurer);
  const fileNames = faces.map((f) => f.name);
  const ok = (l: Attempt) => l.lines !== undefined && l.lines.length <= st.maxLines && l.height <= spec.box.height - SLACK;

  let best = at(st.max);
  if (!ok(best)) {
    let lo = st.min;
    let hi = st.max - 1;
    let found: Attempt | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = at(mid);
      if (ok(l)) {
        found = l;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    best = found ?? at(st.min);
  }
  const fits = ok(best);
  const lines = best.lines ?? best.overflow;
  const holds = Math.min(st.maxLines, Math.max(0, Math.floor((spec.box.height - SLACK) / (best.size * st.lineHeight))));
  return {
    fits,
    size: best.size,
    lines: lines.map((l) => l.text),
    needLines: lines.length,
    maxLines: st.maxLines,
    holdsLines: holds,
    ...(fits ? {} : { reason: best.lines ? ('lines' as const) : ('word' as const) }),
    fontFiles: fileNames,
    missing,
  };
}

interface Attempt {
  readonly size: number;
  /** Block height, ink included. */
  readonly height: number;
  /** Undefined when a single unit is wider than the box. */
  readonly lines?: readonly LineMetrics[];
  /** The lines anyway (overlong unit on its own line), to report. */
  readonly overflow: readonly LineMetrics[];
}

function layoutAt(
  paragraphs: readonly (readonly string[])[],
  size: number,
  faces: readonly FontFace[],
  direction: Direction,
  box: { readonly width: number; readonly height: number },
  st: ReturnType<typeof resolveStyle>,
  measurer: Measurer,
): Attempt {
  const m = (s: string) => measurer.measure(s, faces, size, direction);
  const limit = box.width - SLACK;
  const wrap = (exactOnly: boolean) => {
    const lines: LineMetrics[] = [];
    for (const units of paragraphs) {
      let current = '';
      let estimate = 0;
      for (const unit of units) {
        const candidate = current + unit;
        // Units are measured once and summed; only a line within 2 % of the limit is shaped whole
        // (on 560 random fits this chose the same sizes as shaping every candidate line).
        const sum = estimate + m(trimLine(unit)).advance;
        const near = exactOnly || Math.abs(sum - limit) <= limit * 0.02;
        if (current === '' || (near ? lineExtent(m(trimLine(candidate))) <= limit : sum < limit)) {
          current = candidate;
          estimate += m(unit).advance;
          continue;
        }
        lines.push(m(trimLine(current)));
        current = unit;
        estimate = m(unit).advance;
      }
      lines.push(m(trimLine(current)));
    }
    return lines;
  };
  let lines = wrap(false);
  // A summed estimate that was off: wrap again measuring every candidate.
  if (lines.some((l) => lineExtent(l) > limit && !isOneUnit(l.text, paragraphs))) lines = wrap(true);
  const tooWide = lines.some((l) => lineExtent(l) > limit);
  const { height } = blockGeometry(lines, size, st.lineHeight);
  return { size, height, lines: tooWide ? undefined : lines, overflow: lines };
}

function isOneUnit(line: string, paragraphs: readonly (readonly string[])[]): boolean {
  return paragraphs.some((units) => units.some((u) => trimLine(u) === line));
}

/** Vertical placement: each line sits in a box of size × lineHeight; ink past the block's ends adds to its height. */
export function blockGeometry(lines: readonly LineMetrics[], size: number, lineHeight: number) {
  const lineAdvance = size * lineHeight;
  const baselineInLine = (lineAdvance - size) / 2 + size * 0.8;
  const baselines = lines.map((_, i) => i * lineAdvance + baselineInLine);
  const first = lines[0];
  const last = lines[lines.length - 1];
  const top = Math.min(0, first ? baselines[0]! - first.ascent : 0);
  const bottom = Math.max(lines.length * lineAdvance, last ? baselines[lines.length - 1]! + last.descent : 0);
  return {
    lineAdvance,
    baselines,
    inkTop: top,
    width: Math.max(0, ...lines.map(lineExtent)),
    height: bottom - top,
  };
}

/** The layout `fitText` chose, for drawing. Undefined when the text does not fit. */
export function layoutFor(spec: FitSpec, result: FitResult, fonts: FontLibrary): Layout | undefined {
  if (!result.fits) return undefined;
  const st = resolveStyle(spec.style);
  const { faces } = fonts.select(spec.text, spec.locale, st.weight, spec.style.fonts);
  const lines = result.lines.map((l) => fonts.measurer.measure(l, faces, result.size, spec.direction ?? directionOf(spec.locale)));
  return { size: result.size, lines, ...blockGeometry(lines, result.size, st.lineHeight) };
}

/** The coverage problem in words, or undefined: "th-TH headline: U+0E01 'ก' has no font". */
export function describeMissing(label: string, missing: readonly MissingChar[]): string | undefined {
  if (missing.length === 0) return undefined;
  const list = missing.map((m) => `${m.codePoint} '${m.char}'`);
  return `${label}: ${list.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no font`;
}

/**
 * The copy-fit problem in words, or undefined when the text fits:
 * "de-DE headline does not fit leaderboard 728×90: needs 3 lines at 14 px, box holds 1".
 * `label` names the text ("de-DE headline"), `box` the place ("leaderboard 728×90").
 */
export function describeFit(label: string, box: string, result: FitResult): string | undefined {
  if (result.fits) return undefined;
  if (result.reason === 'word') {
    const longest = [...result.lines].sort((a, b) => b.length - a.length)[0] ?? '';
    return `${label} does not fit ${box}: "${longest}" is wider than the box at ${result.size} px and has no break point`;
  }
  return `${label} does not fit ${box}: needs ${result.needLines} line${result.needLines === 1 ? '' : 's'} at ${result.size} px, box holds ${result.holdsLines}`;
}
