import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { perceptualDifference } from '../../src/image/perceptual.js';

/** A left-to-right (or top-to-bottom) grey ramp: structure that dHash sees. */
async function ramp(width: number, height: number, vertical = false): Promise<Buffer> {
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = Math.round(((vertical ? y / height : x / width) * 255));
  return sharp(data, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

describe('perceptualDifference', () => {
  it('is 0 for the same picture, even re-encoded and resized', async () => {
    const a = await ramp(256, 256);
    expect((await perceptualDifference(a, a)).score).toBe(0);
    const b = await sharp(a).resize(200, 200).jpeg({ quality: 70 }).toBuffer();
    expect((await perceptualDifference(a, b)).score).toBeLessThan(0.05);
  });

  it('is high for a different composition and symmetric', async () => {
    const a = await ramp(256, 256);
    const b = await sharp(a).flop().png().toBuffer();
    const d = await perceptualDifference(a, b);
    expect(d.dhash).toBe(1);
    expect(d.score).toBeGreaterThan(0.5);
    expect((await perceptualDifference(b, a)).score).toBe(d.score);
  });

  it('ranks a small change below a large one', async () => {
    const a = await ramp(256, 256);
    const small = await sharp(a).composite([{ input: { create: { width: 30, height: 30, channels: 3, background: '#000' } }, left: 10, top: 10 }]).png().toBuffer();
    const large = await ramp(256, 256, true);
    const ds = await perceptualDifference(a, small);
    const dl = await perceptualDifference(a, large);
    expect(ds.score).toBeGreaterThan(0);
    expect(ds.score).toBeLessThan(dl.score);
  });
});
