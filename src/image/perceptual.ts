import { loadSharp } from './sharp.js';

/**
 * How different two images look, from 0 (the same picture) to 1, computed on small copies so that
 * re-encoding, resizing or a changed provider seed of the same scene score low and a different
 * composition or palette scores high. Three parts:
 *  - `mean`: mean absolute difference of 32×32 greyscale thumbnails, divided by 255 (tone and layout);
 *  - `dhash`: the difference hash (9×8 greyscale, one bit per horizontally adjacent pair: is the
 *    left pixel brighter) compared bit by bit, the share of the 64 bits that differ (structure);
 *  - `colour`: the mean chroma distance (CIELAB a*b*, lightness left to the two above) of 16×16
 *    thumbnails, divided by 128 and capped at 1: a background whose hue changed at the same
 *    brightness is invisible to greyscale.
 * `score` is the greyscale score (mean + dhash) / 2 combined with the colour term as either-or:
 * 1 − (1 − grey)(1 − colour). Greyscale images score exactly as without the colour term.
 */
export interface PerceptualDifference {
  readonly score: number;
  readonly mean: number;
  readonly dhash: number;
  readonly colour: number;
}

async function small(bytes: Uint8Array, width: number, height: number, grey: boolean): Promise<Buffer> {
  const sharp = await loadSharp();
  const resized = sharp(bytes).flatten({ background: '#ffffff' }).resize(width, height, { fit: 'fill' });
  return (grey ? resized.greyscale() : resized.toColourspace('srgb').removeAlpha()).raw().toBuffer();
}

function dhashBits(pixels: Buffer): boolean[] {
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits.push(pixels[y * 9 + x]! > pixels[y * 9 + x + 1]!);
  return bits;
}

/** sRGB channel (0-255) to linear light. */
const linear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const labF = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);

/** CIELAB a* and b* of one sRGB pixel (D65 white). */
export function chroma(r: number, g: number, b: number): [a: number, b: number] {
  const [R, G, B] = [linear(r), linear(g), linear(b)];
  const x = labF((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const y = labF(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const z = labF((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [500 * (x - y), 200 * (y - z)];
}

/** Mean a*b* distance of two RGB thumbnails, over 128 (about the reach of either axis), capped at 1. */
function colourDistance(a: Buffer, b: Buffer): number {
  let sum = 0;
  const pixels = a.length / 3;
  for (let i = 0; i < a.length; i += 3) {
    const [a1, b1] = chroma(a[i]!, a[i + 1]!, a[i + 2]!);
    const [a2, b2] = chroma(b[i]!, b[i + 1]!, b[i + 2]!);
    sum += Math.hypot(a1 - a2, b1 - b2);
  }
  return Math.min(1, sum / pixels / 128);
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

export async function perceptualDifference(a: Uint8Array, b: Uint8Array): Promise<PerceptualDifference> {
  const [ga, gb, ha, hb, ca, cb] = await Promise.all([small(a, 32, 32, true), small(b, 32, 32, true), small(a, 9, 8, true), small(b, 9, 8, true), small(a, 16, 16, false), small(b, 16, 16, false)]);
  let sum = 0;
  for (let i = 0; i < ga.length; i++) sum += Math.abs(ga[i]! - gb[i]!);
  const mean = sum / ga.length / 255;
  const bitsA = dhashBits(ha);
  const bitsB = dhashBits(hb);
  const dhash = bitsA.filter((bit, i) => bit !== bitsB[i]).length / 64;
  const colour = colourDistance(ca, cb);
  const grey = (mean + dhash) / 2;
  return { score: round4(1 - (1 - grey) * (1 - colour)), mean: round4(mean), dhash: round4(dhash), colour: round4(colour) };
}
