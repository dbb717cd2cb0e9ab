import sharp from 'sharp';

/** A small, real image of exactly `width` x `height`, coloured from `seed` so distinct requests differ. */
export async function makeImage(width: number, height: number, format: 'png' | 'jpeg' = 'png', seed = 0): Promise<Buffer> {
  const channel = (n: number) => (seed * n) % 256;
  const image = sharp({ create: { width, height, channels: 3, background: { r: channel(37), g: channel(91), b: channel(173) } } });
  return format === 'png' ? image.png({ compressionLevel: 1 }).toBuffer() : image.jpeg({ quality: 80 }).toBuffer();
}

export async function imageSize(bytes: Uint8Array): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format ?? 'unknown' };
}
