import { createCanvas } from '@napi-rs/canvas';
import { cssColour, parseColour } from './contrast.js';
import type { FontLibrary } from './library.js';
import { BLEED, fontString, lineExtent, type Direction } from './measure.js';
import { directionOf } from './locale.js';

export interface Label {
  /** Straight-alpha RGBA, ready for sharp's `composite({ input, raw })`. */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 4;
}

/**
 * One line of text (a contact-sheet caption) in any script, no wider than maxWidth: cut at a
 * grapheme with an ellipsis when longer. The image is as wide as the ink, `px × 1.4` tall plus any
 * ink past that.
 */
export function renderLabel(
  text: string,
  locale: string,
  px: number,
  colour: string,
  maxWidth: number,
  fonts: FontLibrary,
  options: { readonly weight?: number; readonly direction?: Direction } = {},
): Label {
  const weight = options.weight ?? 400;
  const direction = options.direction ?? directionOf(locale);
  const { faces } = fonts.select(`${text}…`, locale, weight);
  const measure = (s: string) => fonts.measurer.measure(s, faces, px, direction);
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
  let shown = text;
  let m = measure(shown);
  const room = maxWidth - 2 * BLEED;
  for (let n = graphemes.length - 1; lineExtent(m) > room && n > 0; n--) {
    shown = `${graphemes.slice(0, n).join('').trimEnd()}…`;
    m = measure(shown);
  }
  const lineBox = px * 1.4;
  const baseline = Math.round((lineBox - px) / 2 + px * 0.8 + Math.max(0, BLEED + m.ascent - px * 0.8 - (lineBox - px) / 2));
  const width = Math.max(1, Math.min(Math.floor(maxWidth), Math.ceil(lineExtent(m)) + 2 * BLEED));
  const height = Math.max(1, Math.ceil(Math.max(lineBox, baseline + m.descent + BLEED)));
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.font = fontString(faces, px);
  ctx.direction = direction;
  ctx.textAlign = 'left';
  ctx.fillStyle = cssColour(parseColour(colour));
  ctx.fillText(shown, Math.round(m.inkLeft) + BLEED, baseline);
  return { data: Buffer.from(ctx.getImageData(0, 0, width, height).data.buffer), width, height, channels: 4 };
}
