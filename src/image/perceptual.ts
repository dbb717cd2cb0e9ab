import { loadSharp } from './sharp.js';

/**
 * How different two images look, from 0 (the same picture) to 1, computed on small greyscale
 * copies so that re-encoding, resizing or a changed provider seed of the same scene score low
 * and a different composition scores high. Two parts, averaged:
 *  - `mean`: mean absolute difference of 32×32 greyscale thumbnails, divided by 255 (tone and layout);
 *  - `dhash`: the difference hash (9×8 greyscale, one bit per horizontally adjacent pair: is the
 *    left pixel brighter) compared bit by bit, the share of the 64 bits that differ (structure).
 */
export interface PerceptualDifference {
  readonly score: number;
  readonly mean: number;
  readonly dhash: number;
}

async function grey(bytes: Uint8Array, width: number, height: number): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(bytes).flatten({ background: '#ffffff' }).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();
}

function dhashBits(pixels: Buffer): boolean[] {
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) bits.push(pixels[y * 9 + x]! > pixels[y * 9 + x + 1]!);
  return bits;
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

export async function perceptualDifference(a: Uint8Array, b: Uint8Array): Promise<PerceptualDifference> {
  const [ga, gb, ha, hb] = await Promise.all([grey(a, 32, 32), grey(b, 32, 32), grey(a, 9, 8), grey(b, 9, 8)]);
  let sum = 0;
  for (let i = 0; i < ga.length; i++) sum += Math.abs(ga[i]! - gb[i]!);
  const mean = sum / ga.length / 255;
  const bitsA = dhashBits(ha);
  const bitsB = dhashBits(hb);
  const dhash = bitsA.filter((bit, i) => bit !== bitsB[i]).length / 64;
  return { score: round4((mean + dhash) / 2), mean: round4(mean), dhash: round4(dhash) };
}
