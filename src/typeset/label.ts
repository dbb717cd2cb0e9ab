import { createCanvas } from '@napi-rs/canvas';
import { parseColour } from './contrast.js';
import { fitText, layoutFor, prepared, rhythm, type Layout } from './fit.js';
import type { FontLibrary, MissingChar } from './library.js';
import { directionOf, langOf } from './locale.js';
import { BLEED, lineExtent, type Direction, type LineMetrics } from './measure.js';
import { drawLines } from './render.js';

export interface Label {
  /** Straight-alpha RGBA, ready for sharp's `composite({ input, raw })`. */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 4;
}

export interface LabelOptions {
  readonly weight?: number;
  readonly direction?: Direction;
}

export interface BlockOptions extends LabelOptions {
  /** Lines past this are dropped and the last shown one ends in an ellipsis. Default: all. */
  readonly maxLines?: number;
  /** Line advance as a multiple of the size; default 1.3. */
  readonly lineHeight?: number;
  /** Logical: `start` is the right edge in right-to-left text. Default start. */
  readonly align?: 'start' | 'end';
}

const graphemer = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Drawn where no font has a character: the machine's fonts are never asked. */
const TOFU = '?';

/** One line of `text` measured as its own paragraph (bidi and faces resolved over it). */
function measureLine(text: string, locale: string, px: number, weight: number, direction: Direction, fonts: FontLibrary): { line: LineMetrics; missing: readonly MissingChar[] } {
  const spec = { text, locale, direction, box: { width: 1, height: 1 }, style: { size: { min: px, max: px }, weight } };
  const { paras, missing } = prepared(spec, fonts, weight);
  const pr = paras[0]!;
  return { line: pr.line(0, pr.p.text.length, false, px), missing };
}

/** Characters no font has, replaced (labels show them as "?" rather than in a font of the machine). */
function withoutMissing(text: string, locale: string, weight: number, fonts: FontLibrary): { text: string; missing: readonly MissingChar[] } {
  const { missing } = fonts.fontsFor(text, locale, weight);
  if (missing.length === 0) return { text, missing };
  const gone = new Set(missing.map((m) => m.char));
  return { text: [...text].map((c) => (gone.has(c) ? TOFU : c)).join(''), missing };
}

/** The line, cut at a grapheme with an ellipsis until it fits `room` (or one grapheme is left). */
function shrink(text: string, room: number, measure: (s: string) => LineMetrics): LineMetrics {
  let m = measure(text);
  if (lineExtent(m) <= room) return m;
  const graphemes = [...graphemer.segment(text)].map((s) => s.segment);
  for (let n = graphemes.length - 1; n > 0; n--) {
    m = measure(`${graphemes.slice(0, n).join('').trimEnd()}…`);
    if (lineExtent(m) <= room) break;
  }
  return m;
}

function paint(width: number, height: number, layout: Layout, pens: { x: number; y: number }[], colour: string, locale: string): Buffer {
  const ctx = createCanvas(width, height).getContext('2d');
  drawLines(ctx, layout, pens, parseColour(colour), langOf(locale));
  return Buffer.from(ctx.getImageData(0, 0, width, height).data.buffer);
}

/**
 * One line of text (a contact-sheet caption) in any script, no wider than maxWidth: cut at a
 * grapheme with an ellipsis when longer. The image is as wide as the ink, `px × 1.4` tall plus any
 * ink past that.
 */
export function renderLabel(text: string, locale: string, px: number, colour: string, maxWidth: number, fonts: FontLibrary, options: LabelOptions = {}): Label {
  const weight = options.weight ?? 400;
  const direction = options.direction ?? directionOf(locale);
  const clean = withoutMissing(text.replace(/\s+/g, ' '), locale, weight, fonts).text;
  const m = shrink(clean, maxWidth - 2 * BLEED, (s) => measureLine(s, locale, px, weight, direction, fonts).line);
  const lineBox = px * 1.4;
  const baseline = Math.round((lineBox - px) / 2 + px * 0.8 + Math.max(0, BLEED + m.ascent - px * 0.8 - (lineBox - px) / 2));
  const width = Math.max(1, Math.min(Math.floor(maxWidth), Math.ceil(lineExtent(m)) + 2 * BLEED));
  const height = Math.max(1, Math.ceil(Math.max(lineBox, baseline + m.descent + BLEED)));
  const layout: Layout = { size: px, lineAdvance: lineBox, lines: [m], baselines: [baseline], width, height, inset: 0, insetY: 0 };
  return { data: paint(width, height, layout, [{ x: Math.round(m.inkLeft) + BLEED, y: baseline }], colour, locale), width, height, channels: 4 };
}

/**
 * A paragraph (hard breaks kept) wrapped at legal breaks into `maxWidth`, at one size, in any
 * script: a proof's headline, a failed tile's message. Never fails on long text: lines past
 * `maxLines` are dropped with an ellipsis, a word wider than the box breaks between graphemes
 * (copy layers refuse both instead: there the exact copy is the deliverable). The image is
 * `maxWidth` wide, each line aligned inside it; `lines` are the lines drawn, `missing` the
 * characters no font has (drawn as "?": callers that must not show them check it).
 */
export function renderBlock(
  text: string,
  locale: string,
  px: number,
  colour: string,
  maxWidth: number,
  fonts: FontLibrary,
  options: BlockOptions = {},
): Label & { readonly lines: readonly string[]; readonly missing: readonly MissingChar[] } {
  const weight = options.weight ?? 400;
  const direction = options.direction ?? directionOf(locale);
  const lineHeight = options.lineHeight ?? 1.3;
  const maxLines = Math.max(1, Math.floor(options.maxLines ?? Number.MAX_SAFE_INTEGER));
  // A line never holds more than ~8 characters per em (narrow Latin, combining marks): cut the
  // rest unread, so a runaway prompt costs no more than the lines that can show.
  const budget = Math.ceil(Math.min(maxLines, 10_000) * (8 * Math.max(1, maxWidth / px) + 1));
  const chars = Array.from(text);
  const bounded = chars.length > budget ? chars.slice(0, budget).join('') : text;
  const { text: clean, missing } = withoutMissing(bounded, locale, weight, fonts);
  const room = maxWidth - 2 * BLEED;
  const spec = {
    text: clean,
    locale,
    direction,
    box: { width: maxWidth, height: Number.MAX_SAFE_INTEGER },
    style: { size: { min: px, max: px }, weight, lineHeight, maxLines: Number.MAX_SAFE_INTEGER, hyphenate: false, breakAnywhere: true },
  };
  const fit = fitText(spec, fonts);
  const all = (fit.fits ? layoutFor(spec, fit, fonts)?.lines : undefined) ?? fit.lines.map((l) => measureLine(l, locale, px, weight, direction, fonts).line);
  const cut = all.length > maxLines || bounded !== text;
  const lines = all.slice(0, maxLines);
  if (cut && lines.length > 0) {
    lines[lines.length - 1] = shrink(`${lines[lines.length - 1]!.text.trimEnd()}…`, room, (s) => measureLine(s, locale, px, weight, direction, fonts).line);
  }
  const g = rhythm(lines, px, lineHeight);
  const inLine = (g.advance - px) / 2 + px * 0.8;
  const top = Math.max(BLEED + (lines[0]?.ascent ?? 0), inLine);
  const baselines = lines.map((_, i) => Math.round(top + i * g.advance));
  const last = lines.length - 1;
  const width = Math.max(1, Math.floor(maxWidth));
  const height = Math.max(1, Math.ceil(Math.max(top - inLine + lines.length * g.advance, (baselines[last] ?? 0) + (lines[last]?.descent ?? 0) + BLEED)));
  const right = (options.align ?? 'start') === 'start' ? direction === 'rtl' : direction === 'ltr';
  const pens = lines.map((m, i) => ({ x: right ? width - BLEED - Math.ceil(Math.max(m.advance, m.inkRight)) : Math.round(m.inkLeft) + BLEED, y: baselines[i]! }));
  const layout: Layout = { size: px, lineAdvance: g.advance, lines, baselines, width, height, inset: 0, insetY: 0 };
  return { data: paint(width, height, layout, pens, colour, locale), width, height, channels: 4, lines: lines.map((m) => m.text), missing };
}
