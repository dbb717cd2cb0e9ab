import { createCanvas } from '@napi-rs/canvas';
import { cssColour, parseColour } from './contrast.js';
import { fitText } from './fit.js';
import type { FontLibrary, MissingChar } from './library.js';
import { BLEED, fontString, lineExtent, type Direction, type LineMetrics } from './measure.js';
import { directionOf } from './locale.js';

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

/** The line, cut at a grapheme with an ellipsis until it fits `room` (or one grapheme is left). */
function shrink(line: string, room: number, measure: (s: string) => LineMetrics): LineMetrics {
  let m = measure(line);
  if (lineExtent(m) <= room) return m;
  const graphemes = [...graphemer.segment(line)].map((s) => s.segment);
  for (let n = graphemes.length - 1; n > 0; n--) {
    m = measure(`${graphemes.slice(0, n).join('').trimEnd()}…`);
    if (lineExtent(m) <= room) break;
  }
  return m;
}

/**
 * One line of text (a contact-sheet caption) in any script, no wider than maxWidth: cut at a
 * grapheme with an ellipsis when longer. The image is as wide as the ink, `px × 1.4` tall plus any
 * ink past that.
 */
export function renderLabel(text: string, locale: string, px: number, colour: string, maxWidth: number, fonts: FontLibrary, options: LabelOptions = {}): Label {
  const weight = options.weight ?? 400;
  const direction = options.direction ?? directionOf(locale);
  const { faces } = fonts.select(`${text}…`, locale, weight);
  const m = shrink(text, maxWidth - 2 * BLEED, (s) => fonts.measurer.measure(s, faces, px, direction));
  const lineBox = px * 1.4;
  const baseline = Math.round((lineBox - px) / 2 + px * 0.8 + Math.max(0, BLEED + m.ascent - px * 0.8 - (lineBox - px) / 2));
  const width = Math.max(1, Math.min(Math.floor(maxWidth), Math.ceil(lineExtent(m)) + 2 * BLEED));
  const height = Math.max(1, Math.ceil(Math.max(lineBox, baseline + m.descent + BLEED)));
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.font = fontString(faces, px);
  ctx.direction = direction;
  ctx.textAlign = 'left';
  ctx.fillStyle = cssColour(parseColour(colour));
  ctx.fillText(m.text, Math.round(m.inkLeft) + BLEED, baseline);
  return { data: Buffer.from(ctx.getImageData(0, 0, width, height).data.buffer), width, height, channels: 4 };
}

/**
 * A paragraph (hard breaks kept) wrapped at legal breaks into `maxWidth`, at one size, in any
 * script: a proof's headline, a failed tile's message. Never fails on long text: lines past
 * `maxLines` are dropped with an ellipsis, a word wider than the box breaks between graphemes
 * (copy layers refuse both instead: there the exact copy is the deliverable). The image is
 * `maxWidth` wide, each line aligned inside it; `lines` are the lines drawn, `missing` the
 * characters no font has (drawn as boxes: callers that must not show tofu check it).
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
  const room = maxWidth - 2 * BLEED;
  const style = { size: { min: px, max: px }, weight, lineHeight, maxLines: Number.MAX_SAFE_INTEGER };
  const { faces, missing } = fonts.select(`${bounded}…`, locale, weight);
  const measure = (s: string) => fonts.measurer.measure(s, faces, px, direction);
  // A word wider than the box (an error code, a URL) breaks between graphemes rather than losing its end.
  const wrapped = fitText({ text: bounded, locale, direction, box: { width: maxWidth, height: Number.MAX_SAFE_INTEGER }, style }, fonts).lines.flatMap((l) =>
    lineExtent(measure(l)) <= room ? [l] : breakGraphemes(l, room, measure),
  );
  const cut = wrapped.length > maxLines || bounded !== text;
  const shown = wrapped.slice(0, maxLines).map((l, i, all) => (cut && i === all.length - 1 ? `${l.trimEnd()}…` : l));
  const lines = shown.map((l) => shrink(l, room, measure));
  const lineBox = px * lineHeight;
  const inLine = (lineBox - px) / 2 + px * 0.8;
  const top = Math.max(0, BLEED + (lines[0]?.ascent ?? 0) - inLine);
  const baselines = lines.map((_, i) => Math.round(top + i * lineBox + inLine));
  const last = lines.length - 1;
  const width = Math.max(1, Math.floor(maxWidth));
  const height = Math.max(1, Math.ceil(Math.max(top + lines.length * lineBox, (baselines[last] ?? 0) + (lines[last]?.descent ?? 0) + BLEED)));
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.font = fontString(faces, px);
  ctx.direction = direction;
  ctx.textAlign = 'left';
  ctx.fillStyle = cssColour(parseColour(colour));
  const right = (options.align ?? 'start') === 'start' ? direction === 'rtl' : direction === 'ltr';
  lines.forEach((m, i) => {
    const x = right ? width - BLEED - Math.ceil(Math.max(m.advance, m.inkRight)) : Math.round(m.inkLeft) + BLEED;
    ctx.fillText(m.text, x, baselines[i]!);
  });
  return { data: Buffer.from(ctx.getImageData(0, 0, width, height).data.buffer), width, height, channels: 4, lines: lines.map((m) => m.text), missing };
}

/** A line too wide for `room` in pieces that fit, cut between graphemes (one grapheme at least per piece). */
function breakGraphemes(line: string, room: number, measure: (s: string) => LineMetrics): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const { segment } of graphemer.segment(line)) {
    if (current !== '' && lineExtent(measure(current + segment)) > room) {
      pieces.push(current);
      current = segment.trimStart();
    } else current += segment;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
