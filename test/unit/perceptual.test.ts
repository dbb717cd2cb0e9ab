import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { perceptualDifference } from '../../src/image/perceptual.js';

/** A left-to-right (or top-to-bottom) grey ramp: structure that dHash sees. */
async function ramp(width: number, height: number, vertical = false): Promise<Buffer> {
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = Math.round(((vertical ? y / height : x / width) * 255));
  return sharp(data, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** A banner: a flat background of `colour` with a white band and a dark block, the same layout whatever the colour. */
async function banner(colour: string): Promise<Buffer> {
  const band = await sharp({ create: { width: 400, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const block = await sharp({ create: { width: 80, height: 80, channels: 3, background: '#202020' } }).png().toBuffer();
  return sharp({ create: { width: 600, height: 300, channels: 3, background: colour } })
    .composite([{ input: band, left: 100, top: 40 }, { input: block, left: 40, top: 180 }])
    .png()
    .toBuffer();
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

  it('sees a changed palette that greyscale cannot: a background hue changed at the same brightness', async () => {
    // Red and teal of nearly equal luminance: greyscale copies are almost identical.
    const red = await banner('#c8504b');
    const teal = await banner('#2f8f8a');
    const d = await perceptualDifference(red, teal);
    expect(d.mean + d.dhash).toBeLessThan(0.1);
    expect(d.colour).toBeGreaterThan(0.4);
    expect(d.score).toBeGreaterThan(0.4);
  });

  it('keeps re-encoding and resizing of a coloured image near 0, and greyscale images as they scored', async () => {
    const red = await banner('#c8504b');
    const again = await sharp(red).resize(480, 240).jpeg({ quality: 70 }).toBuffer();
    const d = await perceptualDifference(red, again);
    expect(d.colour).toBeLessThan(0.03);
    expect(d.score).toBeLessThan(0.05);
    const a = await ramp(256, 256);
    const b = await ramp(256, 256, true);
    const grey = await perceptualDifference(a, b);
    expect(grey.colour).toBe(0);
    expect(grey.score).toBe(Math.round(((grey.mean + grey.dhash) / 2) * 1e4) / 1e4);
  });
});
