import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PressroomError } from '../../src/core/errors.js';
import { deriveDeliveries, deriveImages } from '../../src/post/derive.js';
import { encodeWithin, QUALITY_FLOOR } from '../../src/post/encode.js';
import { tempDir } from '../helpers/tmp.js';

/** Busy pixels (a photograph's worth of detail): a gradient under seeded noise, the same every run. */
function busy(width: number, height: number, seed = 7): { data: Buffer; width: number; height: number; channels: 3 } {
  const data = Buffer.alloc(width * height * 3);
  // mulberry32: noise no PNG filter can predict.
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < data.length; i++) data[i] = Math.round((((i / 3) % width) / width) * 160 + next() * 95);
  return { data, width, height, channels: 3 };
}

const asPng = (raw: ReturnType<typeof busy>) => sharp(raw.data, { raw }).png().toBuffer();

describe('encoding under a byte cap', () => {
  // Small: AVIF and palette searches encode several times, and the machine is shared.
  const raw = busy(160, 120);

  it.each(['jpeg', 'webp', 'avif'] as const)('%s: the best quality that fits, never more bytes than the cap, the same bytes every run', async (format) => {
    const free = await encodeWithin(raw, { format, quality: 90 }, false, 'x');
    const cap = Math.round(free.length * 0.6);
    const capped = await encodeWithin(raw, { format, quality: 90, maxBytes: cap }, false, 'x');
    expect(capped.length).toBeLessThanOrEqual(cap);
    expect(capped.length).toBeLessThan(free.length);
    expect(Buffer.compare(capped, await encodeWithin(raw, { format, quality: 90, maxBytes: cap }, false, 'x'))).toBe(0);
    // The search stops at the highest quality that fits: one more step is over the cap (or the asked quality).
    const meta = await sharp(capped).metadata();
    expect(meta.width).toBe(160);
  });

  it('a PNG over its cap is written with a palette that fits, and still decodes to the same pixels size', async () => {
    const free = await encodeWithin(raw, { format: 'png', quality: 90 }, false, 'x');
    const cap = Math.round(free.length * 0.5);
    const capped = await encodeWithin(raw, { format: 'png', quality: 90, maxBytes: cap }, false, 'x');
    expect(capped.length).toBeLessThanOrEqual(cap);
    const meta = await sharp(capped).metadata();
    expect([meta.format, meta.width, meta.height, meta.isPalette]).toEqual(['png', 160, 120, true]);
  });

  it.each(['png', 'jpeg', 'webp', 'avif'] as const)('%s that cannot fit at the floor is an E_BYTE_CAP naming the file, the floor and the cap', async (format) => {
    const err = await encodeWithin(raw, { format, quality: 90, maxBytes: 1000 }, false, 'out/kit/en-US/hero-mrec.jpg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PressroomError);
    expect((err as PressroomError).code).toBe('E_BYTE_CAP');
    expect((err as PressroomError).message).toContain('out/kit/en-US/hero-mrec.jpg');
    expect((err as PressroomError).message).toContain('1.0 KB (1000 bytes)');
    if (format !== 'png') expect((err as PressroomError).message).toContain(`quality ${QUALITY_FLOOR[format]}`);
  });

  it.each(['png', 'jpeg', 'webp', 'avif'] as const)('%s carries the sRGB ICC profile and no other metadata', async (format) => {
    const meta = await sharp(await encodeWithin(raw, { format, quality: 80 }, false, 'x')).metadata();
    expect(meta.icc?.length).toBeGreaterThan(100);
    expect(meta.space).toBe('srgb');
    expect(meta.exif).toBeUndefined();
  });
});

describe('delivery under a byte cap', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-encode-')));
  afterEach(async () => cleanup());

  it('fails only the target that cannot fit, writes nothing for it, and delivers the others', async () => {
    const source = await asPng(busy(640, 480));
    const results = await deriveDeliveries(
      source,
      [
        { file: join(dir, 'tight.jpg'), width: 600, height: 450, format: 'jpeg', quality: 90, maxBytes: 1500, shown: 'out/kit/tight.jpg' },
        { file: join(dir, 'ok.jpg'), width: 300, height: 250, format: 'jpeg', quality: 90, maxBytes: 150_000 },
      ],
      { writeErrors: 'per-target' },
    );
    expect('error' in results[0]! && results[0].error.code).toBe('E_BYTE_CAP');
    expect(existsSync(join(dir, 'tight.jpg'))).toBe(false);
    expect('bytes' in results[1]! && results[1].bytes).toBeLessThanOrEqual(150_000);
    expect(existsSync(join(dir, 'ok.jpg'))).toBe(true);
  });
});

describe('crop focus', () => {
  /** A wide grey image with one red square near its right edge. */
  async function marked(): Promise<Buffer> {
    const marker = await sharp({ create: { width: 80, height: 80, channels: 3, background: '#ff0000' } }).png().toBuffer();
    return sharp({ create: { width: 1600, height: 800, channels: 3, background: '#808080' } }).composite([{ input: marker, left: 1400, top: 360 }]).png().toBuffer();
  }
  const redIn = async (bytes: Buffer) => {
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 200 && data[i + 1]! < 60) return true;
    return false;
  };

  it('keeps the focus point in every crop, where the centred crop loses it', async () => {
    const source = await marked();
    const [centred, focused, attention] = await deriveImages(source, [
      { width: 400, height: 400, format: 'png', quality: 90 },
      { width: 400, height: 400, format: 'png', quality: 90, focus: { x: 0.9, y: 0.5 } },
      { width: 400, height: 400, format: 'png', quality: 90, focus: 'attention' },
    ]);
    expect(await redIn(centred!.data)).toBe(false);
    expect(await redIn(focused!.data)).toBe(true);
    expect(await redIn(attention!.data)).toBe(true);
  });
});
