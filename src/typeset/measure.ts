import type { SKRSContext2D } from '@napi-rs/canvas';
import { canvas } from './canvas.js';
import { BIDI_CONTROLS, paragraphLevels, visualRuns } from './bidi.js';
import type { Direction, FontFace } from './face.js';
import type { FaceRun } from './itemize.js';

export type { Direction, FontFace } from './face.js';

/** A paragraph ready to measure: its bidi levels and which face draws which part. */
export interface Paragraph {
  readonly text: string;
  readonly levels: Uint8Array;
  /** Paragraph embedding level: 0 left to right, 1 right to left. */
  readonly base: number;
  readonly runs: readonly FaceRun[];
  /** BCP 47 tag given to Skia on every measure and draw, so OpenType `locl` follows the locale, not the host. */
  readonly lang: string;
}

export function paragraph(text: string, direction: Direction, runs: readonly FaceRun[], lang: string): Paragraph {
  return { text, levels: paragraphLevels(text, direction), base: direction === 'rtl' ? 1 : 0, runs, lang };
}

/** One same-direction, same-face piece of a line, as drawn: at `x` from the line's pen. */
export interface Piece {
  /** Logical UTF-16 range of the paragraph it draws (controls and soft hyphens in it draw nothing). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly face: FontFace;
  readonly rtl: boolean;
  readonly x: number;
}

/** One line's horizontal and vertical extents at a size, relative to a left-anchored pen at the baseline. */
export interface LineMetrics {
  /** The line as read (logical order), a taken hyphenation point ending in a hyphen. */
  readonly text: string;
  /** Advance width. */
  readonly advance: number;
  /** Ink left of the pen (≥ 0): the first glyph's overhang that logical extents miss. */
  readonly inkLeft: number;
  /** Right edge of the ink, from the pen. */
  readonly inkRight: number;
  /** Ink above and below the baseline. */
  readonly ascent: number;
  readonly descent: number;
  /** Left to right as drawn. */
  readonly pieces: readonly Piece[];
}

/** Pixels of antialiasing that may lie past the measured ink on each side. */
export const BLEED = 1;

/** Space the line takes: from its leftmost ink or pen position to its rightmost ink or advance. */
export const lineExtent = (m: LineMetrics): number => m.inkLeft + Math.max(m.advance, m.inkRight);

/**
 * One face per font string: coverage was settled before (itemize.ts), so Skia never falls back,
 * and never to a font of the machine. The weight was chosen by picking the file; asking for the
 * regular weight keeps Skia from emboldening a regular brand font synthetically.
 */
export function fontString(face: FontFace, size: number): string {
  return `400 ${size}px "${face.family}"`;
}

/**
 * Skia's advances and glyph bounds scale linearly with size (no hinting), so every piece is shaped
 * once at a reference size and scaled: a copy-fit search over sizes costs one shaping per
 * distinct piece, and validate runs thousands of them without rendering anything.
 */
const REFERENCE = 100;
const SOFT_HYPHEN = /\u00AD/g;

interface PieceMetrics {
  readonly advance: number;
  readonly inkLeft: number;
  readonly inkRight: number;
  readonly ascent: number;
  readonly descent: number;
}

export interface Measurer {
  /** Line [start, end) of a paragraph at `size`; `hyphen` ends it in a hyphen (a hyphenation point was taken). */
  line(p: Paragraph, start: number, end: number, size: number, hyphen?: boolean): LineMetrics;
}

export function createMeasurer(): Measurer {
  const ctx: SKRSContext2D = canvas().createCanvas(1, 1).getContext('2d');
  const cache = new Map<string, PieceMetrics>();
  // Setting ctx.font parses a CSS font string: only when it changes (measuring runs face by face).
  let state = '';
  const piece = (text: string, face: FontFace, rtl: boolean, lang: string): PieceMetrics => {
    const settings = `${lang}\u0000${face.family}\u0000${rtl ? 1 : 0}`;
    const key = `${settings}\u0000${text}`;
    let m = cache.get(key);
    if (!m) {
      if (cache.size > 100_000) cache.clear();
      if (settings !== state) setContext(ctx, face, REFERENCE, rtl, lang);
      state = settings;
      const t = ctx.measureText(text);
      m = {
        advance: t.width,
        inkLeft: t.actualBoundingBoxLeft,
        inkRight: t.actualBoundingBoxRight,
        ascent: Math.max(0, t.actualBoundingBoxAscent),
        descent: Math.max(0, t.actualBoundingBoxDescent),
      };
      cache.set(key, m);
    }
    return m;
  };
  return {
    line(p, start, end, size, hyphen = false) {
      const k = size / REFERENCE;
      const parts = pieces(p, start, end, hyphen);
      let x = 0;
      let left = 0;
      let right = 0;
      let ascent = 0;
      let descent = 0;
      const placed: Piece[] = [];
      for (const part of parts) {
        const m = piece(part.text, part.face, part.rtl, p.lang);
        if (part.text !== '') {
          left = Math.min(left, x - m.inkLeft * k);
          right = Math.max(right, x + m.inkRight * k);
          ascent = Math.max(ascent, m.ascent * k);
          descent = Math.max(descent, m.descent * k);
        }
        placed.push({ ...part, x });
        x += m.advance * k;
      }
      const shown = p.text.slice(start, end).replace(SOFT_HYPHEN, '').replace(BIDI_CONTROLS, '');
      return { text: hyphen ? `${shown}-` : shown, advance: x, inkLeft: -left, inkRight: right, ascent, descent, pieces: placed };
    },
  };
}

/** The same context settings for measuring and drawing: what is measured is what is drawn. */
export function setContext(ctx: SKRSContext2D, face: FontFace, size: number, rtl: boolean, lang: string): void {
  ctx.font = fontString(face, size);
  ctx.direction = rtl ? 'rtl' : 'ltr';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.lang = lang;
}

const STRONG_RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const STRONG_LTR = /[\p{L}\p{Nd}]/u;

/**
 * The line's pieces, left to right: visual runs (bidi) cut where the face changes. Controls are
 * dropped (their work is done); a piece forced against its letters' own direction (an override,
 * as in the ar-XB pseudo-locale) is wrapped in LRO/RLO so the shaper keeps the order decided here.
 */
function pieces(p: Paragraph, start: number, end: number, hyphen: boolean): Omit<Piece, 'x'>[] {
  const out: Omit<Piece, 'x'>[] = [];
  const trimmedEnd = trimEnd(p.text, start, end);
  for (const vr of visualRuns(p.text, p.levels, start, trimmedEnd, p.base)) {
    const rtl = vr.level % 2 === 1;
    const parts: Omit<Piece, 'x'>[] = [];
    for (const fr of p.runs) {
      const s = Math.max(fr.start, vr.start);
      const e = Math.min(fr.end, vr.end);
      if (s >= e) continue;
      let text = p.text.slice(s, e).replace(SOFT_HYPHEN, '').replace(BIDI_CONTROLS, '');
      if (hyphen && e === trimmedEnd) text += '-';
      const against = rtl ? [...text].some((c) => STRONG_LTR.test(c) && !STRONG_RTL.test(c)) : STRONG_RTL.test(text);
      if (against) text = `${rtl ? '\u202E' : '\u202D'}${text}\u202C`;
      parts.push({ start: s, end: e, text, face: fr.face, rtl });
    }
    out.push(...(rtl ? parts.reverse() : parts));
  }
  return out;
}

/** A line as shown: trailing spaces do not count (they hang past the edge). */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[ \t\u1680\u2000-\u2006\u2008-\u200A\u205F\u3000\u200B\n\r]/u.test(text[e - 1]!)) e--;
  return e;
}
