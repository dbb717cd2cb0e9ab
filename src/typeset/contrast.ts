import { PressroomError } from '../core/errors.js';

/** [r, g, b, a], each 0-255. */
export type Rgba = readonly [number, number, number, number];

const NAMED: Readonly<Record<string, string>> = { white: '#ffffff', black: '#000000', transparent: '#00000000' };

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `white`, `black`. Throws PressroomError E_COLOUR otherwise. */
export function parseColour(colour: string): Rgba {
  const hex = (NAMED[colour.toLowerCase()] ?? colour).replace(/^#/, '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(full)) throw new PressroomError('E_COLOUR', `not a colour: "${colour}" (use #rrggbb)`);
  const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), full.length === 8 ? n(6) : 255];
}

const linear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
// Contrast is measured over every other pixel of each text line: a table beats a power per channel.
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => linear(v));
/** For the canvas's fillStyle. */
export const cssColour = (c: Rgba) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] / 255).toFixed(4)})`;

const channel = (v: number) => (Number.isInteger(v) && v >= 0 && v <= 255 ? LINEAR[v]! : linear(v));

/** WCAG 2 relative luminance of an sRGB colour. */
export function luminance(r: number, g: number, b: number): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(l1: number, l2: number): number {
  const [hi, lo] = l1 > l2 ? [l1, l2] : [l2, l1];
  return (hi + 0.05) / (lo + 0.05);
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Scrim {
  /** Colour of the scrim behind the text, alpha included. */
  readonly rgba: Rgba;
}

/**
 * Contrast of text over the pixels behind it, as the reader sees the weakest part: the 10th
 * percentile of per-pixel ratios over the text lines' rectangles (a mean would let a bright
 * highlight behind one word hide in a dark photo). `scrim` is blended over the pixels first.
 */
export function backgroundContrast(rgba: Buffer, imageWidth: number, rects: readonly Rect[], text: Rgba, scrim?: Scrim): number {
  const lt = luminance(text[0], text[1], text[2]);
  const ratios: number[] = [];
  const [sr, sg, sb, sa] = scrim?.rgba ?? [0, 0, 0, 0];
  const k = sa / 255;
  for (const r of rects) {
    // Every second pixel each way: a quarter of the work, same percentile.
    for (let y = Math.max(0, Math.floor(r.y)); y < Math.floor(r.y + r.height); y += 2) {
      for (let x = Math.max(0, Math.floor(r.x)); x < Math.min(imageWidth, Math.floor(r.x + r.width)); x += 2) {
        const i = (y * imageWidth + x) * 4;
        if (i + 2 >= rgba.length) continue;
        const px = (c: number, s: number) => (k === 0 ? c : Math.round(c * (1 - k) + s * k));
        ratios.push(contrastRatio(lt, luminance(px(rgba[i]!, sr), px(rgba[i + 1]!, sg), px(rgba[i + 2]!, sb))));
      }
    }
  }
  if (ratios.length === 0) return 21;
  ratios.sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length * 0.1)]!;
}

export const MIN_CONTRAST = 4.5;

/**
 * The lightest scrim that lifts the contrast to 4.5:1: black behind light text, white behind dark
 * text, opacity raised in steps of 5 % up to a solid plate.
 */
export function chooseScrim(rgba: Buffer, imageWidth: number, rects: readonly Rect[], text: Rgba): { scrim: Scrim; contrast: number } {
  const lt = luminance(text[0], text[1], text[2]);
  const base = contrastRatio(lt, 0) >= contrastRatio(lt, 1) ? 0 : 255;
  let last = { scrim: { rgba: [base, base, base, 255] as Rgba }, contrast: 0 };
  for (let alpha = 0.3; alpha <= 1.0001; alpha += 0.05) {
    const scrim = { rgba: [base, base, base, Math.round(alpha * 255)] as Rgba };
    last = { scrim, contrast: backgroundContrast(rgba, imageWidth, rects, text, scrim) };
    if (last.contrast >= MIN_CONTRAST) return last;
  }
  return last;
}
