import { errorOf } from '../core/errors.js';

/** [r, g, b, a], each 0-255. */
export type Rgba = readonly [number, number, number, number];

/** Pixels in memory: RGBA, 8 bits a channel, rows top to bottom. */
export interface RawImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 4;
}

const NAMED: Readonly<Record<string, string>> = { white: '#ffffff', black: '#000000', transparent: '#00000000' };

/** `#rgb`, `#rrggbb`, `#rrggbbaa`, `white`, `black`. Throws PressroomError E_COLOUR otherwise. */
export function parseColour(colour: string): Rgba {
  const hex = (NAMED[colour.toLowerCase()] ?? colour).replace(/^#/, '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(full)) throw errorOf('E_COLOUR', { value: colour });
  const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), full.length === 8 ? n(6) : 255];
}

const linear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
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

export const MIN_CONTRAST = 4.5;
/** A scrim lighter than this reads as a smudge, not a decision. */
const MIN_SCRIM = 0.3;

/** What goes behind a layer's text, decided once per layer from its box (and the box mirrored). */
export interface Treatment {
  readonly kind: 'none' | 'scrim' | 'plate';
  /** Scrim or plate colour, alpha included. */
  readonly rgba?: Rgba;
  /** WCAG ratio of the text over the weakest tenth of what ends up behind it. */
  readonly ratio: number;
  /** The same over the bare image. */
  readonly before: number;
}

/**
 * The background a reader sees behind text, reduced to one histogram: pixels binned by their
 * gamma-encoded luma (which blending with a black or white scrim scales or shifts without
 * reordering), each bin keeping its worst pixel for the text colour (the brightest behind light
 * text). One pass over every other pixel of the regions; any scrim opacity is then evaluated in
 * constant time.
 */
interface Histogram {
  readonly count: Uint32Array;
  readonly worst: Float64Array;
  readonly total: number;
  readonly light: boolean;
}

function histogram(image: RawImage, regions: readonly Rect[], light: boolean): Histogram {
  const count = new Uint32Array(256);
  // Per bin, the worst pixel's r, g, b.
  const worst = new Float64Array(256 * 3).fill(-1);
  const worstL = new Float64Array(256).fill(light ? -1 : 2);
  const { data, width, height } = image;
  let total = 0;
  for (const r of regions) {
    const x0 = Math.max(0, Math.floor(r.x));
    const x1 = Math.min(width, Math.floor(r.x + r.width));
    const y0 = Math.max(0, Math.floor(r.y));
    const y1 = Math.min(height, Math.floor(r.y + r.height));
    for (let y = y0; y < y1; y += 2) {
      let i = (y * width + x0) * 4;
      for (let x = x0; x < x1; x += 2, i += 8) {
        const R = data[i]!;
        const G = data[i + 1]!;
        const B = data[i + 2]!;
        const bin = (54 * R + 183 * G + 19 * B) >> 8;
        count[bin]!++;
        total++;
        const L = 0.2126 * LINEAR[R]! + 0.7152 * LINEAR[G]! + 0.0722 * LINEAR[B]!;
        if (light ? L > worstL[bin]! : L < worstL[bin]!) {
          worstL[bin] = L;
          worst[bin * 3] = R;
          worst[bin * 3 + 1] = G;
          worst[bin * 3 + 2] = B;
        }
      }
    }
  }
  return { count, worst, total, light };
}

/** The worst pixel at the reader's weakest tenth: the 90th percentile of luma behind light text, the 10th behind dark. */
function weakestTenth(h: Histogram): readonly [number, number, number] | undefined {
  if (h.total === 0) return undefined;
  const target = Math.max(1, Math.ceil(h.total * 0.1));
  let seen = 0;
  for (let k = 0; k < 256; k++) {
    const bin = h.light ? 255 - k : k;
    seen += h.count[bin]!;
    if (seen >= target) return [h.worst[bin * 3]!, h.worst[bin * 3 + 1]!, h.worst[bin * 3 + 2]!];
  }
  return undefined;
}

const over = (c: number, s: number, a: number) => c * (1 - a) + s * a;

/**
 * The treatment of a layer over `image`: `background` `none` draws nothing; a colour is a plate;
 * `auto` adds the lightest scrim (black behind light text, white behind dark) that lifts the
 * contrast over the regions to 4.5:1, found by bisection over its opacity, or nothing when the
 * image already gives that. Regions are the layer's box and, for a mirrored layer, the mirrored
 * box, so that every locale of an asset row gets the same treatment.
 */
export function chooseTreatment(image: RawImage, regions: readonly Rect[], text: Rgba, background: string): Treatment {
  const lt = luminance(text[0], text[1], text[2]);
  const light = contrastRatio(lt, 0) >= contrastRatio(lt, 1);
  const px = weakestTenth(histogram(image, regions, light));
  const ratioWith = (s: Rgba | undefined) => {
    if (!px) return 21;
    const a = s ? s[3] / 255 : 0;
    return contrastRatio(lt, luminance(over(px[0], s?.[0] ?? 0, a), over(px[1], s?.[1] ?? 0, a), over(px[2], s?.[2] ?? 0, a)));
  };
  const before = ratioWith(undefined);
  if (background === 'none') return { kind: 'none', ratio: before, before };
  if (background !== 'auto') {
    const rgba = parseColour(background);
    return { kind: 'plate', rgba, ratio: ratioWith(rgba), before };
  }
  if (before >= MIN_CONTRAST) return { kind: 'none', ratio: before, before };
  const base = light ? 0 : 255;
  const scrim = (alpha: number): Rgba => [base, base, base, alpha];
  let lo = Math.round(MIN_SCRIM * 255);
  let hi = 255;
  if (ratioWith(scrim(lo)) >= MIN_CONTRAST) hi = lo;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ratioWith(scrim(mid)) >= MIN_CONTRAST) hi = mid;
    else lo = mid;
  }
  const rgba = scrim(hi);
  return { kind: hi === 255 ? 'plate' : 'scrim', rgba, ratio: ratioWith(rgba), before };
}
