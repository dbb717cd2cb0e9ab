import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PressroomError } from '../../src/core/errors.js';
import { deriveDeliveries, type DeliveryTarget } from '../../src/post/derive.js';
import { imageSize, makeImage, pngBomb } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-derive-')));
afterEach(() => cleanup());

const deliveries = (format: DeliveryTarget['format'] = 'png'): DeliveryTarget[] => [
  { file: join(dir, 'square.x'), width: 1080, height: 1080, format, quality: 85 },
  { file: join(dir, 'story.x'), width: 1080, height: 1920, format, quality: 85 },
  { file: join(dir, 'banner.x'), width: 1200, height: 628, format, quality: 85 },
  { file: join(dir, 'skyscraper.x'), width: 160, height: 600, format, quality: 85 },
  { file: join(dir, 'strip.x'), width: 728, height: 90, format, quality: 85 },
];

describe('deriveDeliveries', () => {
  it.each([
    ['square', 2048, 2048],
    ['portrait', 1536, 2736],
    ['landscape', 2736, 1536],
    ['extreme wide', 4096, 256],
    ['extreme tall', 256, 4096],
    ['smaller than every target', 300, 200],
  ])('cuts exact sizes from a %s source', async (_, width, height) => {
    const source = await makeImage(width, height, 'jpeg', 3);
    const targets = deliveries('png');
    const derived = await deriveDeliveries(source, targets);
    expect(derived.map((d) => [d.width, d.height])).toEqual(targets.map((t) => [t.width, t.height]));
    for (const target of targets) {
      expect(await imageSize(await readFile(target.file))).toEqual({ width: target.width, height: target.height, format: 'png' });
    }
  });

  it.each(['png', 'jpeg', 'webp'] as const)('encodes %s and reports the written bytes and their hash', async (format) => {
    const [derived] = await deriveDeliveries(await makeImage(800, 600, 'png', 5), [{ file: join(dir, 'out'), width: 400, height: 400, format, quality: 80 }]);
    const written = await readFile(join(dir, 'out'));
    expect(await imageSize(written)).toEqual({ width: 400, height: 400, format });
    expect(derived).toMatchObject({ format, bytes: written.length, sha256: createHash('sha256').update(written).digest('hex') });
  });

  it('writes the same bytes for the same source', async () => {
    const source = await makeImage(1536, 2736, 'jpeg', 9);
    const targets = (sub: string): DeliveryTarget[] =>
      (['png', 'jpeg', 'webp'] as const).map((format) => ({ file: join(dir, sub, format), width: 1080, height: 1350, format, quality: 88 }));
    const first = await deriveDeliveries(source, targets('a'));
    const second = await deriveDeliveries(source, targets('b'));
    expect(second.map((d) => d.sha256)).toEqual(first.map((d) => d.sha256));
  });

  it('crops from the centre', async () => {
    // Left third red, middle third green, right third blue: a centred square crop is all green.
    const third = 300;
    const source = await sharp({ create: { width: third * 3, height: third, channels: 3, background: '#000' } })
      .composite([
        { input: { create: { width: third, height: third, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
        { input: { create: { width: third, height: third, channels: 3, background: '#00ff00' } }, left: third, top: 0 },
        { input: { create: { width: third, height: third, channels: 3, background: '#0000ff' } }, left: 2 * third, top: 0 },
      ])
      .png()
      .toBuffer();
    await deriveDeliveries(source, [{ file: join(dir, 'c.png'), width: 100, height: 100, format: 'png', quality: 90 }]);
    const { channels } = await sharp(join(dir, 'c.png')).stats();
    expect(channels.slice(0, 3).map((c) => Math.round(c.mean))).toEqual([0, 255, 0]);
  });

  it('strips metadata from the source', async () => {
    const source = await sharp(await makeImage(600, 400, 'jpeg', 2))
      .withExif({ IFD0: { Copyright: 'secret provider note', Artist: 'model' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(source).metadata()).exif).toBeDefined();
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      await deriveDeliveries(source, [{ file: join(dir, format), width: 300, height: 200, format, quality: 80 }]);
      const meta = await sharp(join(dir, format)).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it('puts a transparent source on white for JPEG and keeps alpha for PNG', async () => {
    const source = await sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    await deriveDeliveries(source, [
      { file: join(dir, 'a.jpg'), width: 50, height: 50, format: 'jpeg', quality: 90 },
      { file: join(dir, 'a.png'), width: 50, height: 50, format: 'png', quality: 90 },
    ]);
    const jpeg = await sharp(join(dir, 'a.jpg')).stats();
    expect(jpeg.channels.slice(0, 3).every((c) => c.mean > 250)).toBe(true);
    expect((await sharp(join(dir, 'a.png')).metadata()).hasAlpha).toBe(true);
  });

  it('leaves no temporary files behind', async () => {
    await deriveDeliveries(await makeImage(500, 500), deliveries('jpeg'));
    expect((await readdir(dir)).sort()).toEqual(['banner.x', 'skyscraper.x', 'square.x', 'story.x', 'strip.x']);
  });

  it('fails with E_IMAGE_DECODE for bytes that are not an image, writing nothing', async () => {
    const error = await deriveDeliveries(new TextEncoder().encode('<html>502 Bad Gateway</html>'), deliveries()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PressroomError);
    expect((error as PressroomError).code).toBe('E_IMAGE_DECODE');
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    [60000, 60000, '3600 MP', false],
    // Under sharp's own default limit (268 MP), over ours, and whole: it would decode.
    [8200, 8200, '67 MP', true],
  ])('refuses an image that declares %i×%i pixels before decoding it, saying so, writing nothing', async (width, height, mp, complete) => {
    const error = await deriveDeliveries(pngBomb(width, height, complete), deliveries()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_IMAGE_DECODE', message: `the generated image declares ${width}×${height} pixels (${mp}); Pressroom decodes at most 67 MP (8192×8192)` });
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    { width: 0, height: 10, format: 'png', quality: 80 },
    { width: 10.5, height: 10, format: 'png', quality: 80 },
    { width: 10, height: 10, format: 'jpeg', quality: 0 },
    { width: 10, height: 10, format: 'gif', quality: 80 },
  ])('rejects target %o with E_IMAGE_TARGET before writing', async (bad) => {
    const targets = [{ file: join(dir, 'ok.png'), width: 10, height: 10, format: 'png', quality: 80 }, { file: join(dir, 'bad'), ...bad }] as DeliveryTarget[];
    const error = await deriveDeliveries(await makeImage(100, 100), targets).catch((e: unknown) => e);
    expect((error as PressroomError).code).toBe('E_IMAGE_TARGET');
    expect(await readdir(dir)).toEqual([]);
  });

  it('returns nothing for no targets', async () => {
    expect(await deriveDeliveries(new Uint8Array(), [])).toEqual([]);
  });
});
