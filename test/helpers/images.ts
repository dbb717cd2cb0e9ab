import sharp from 'sharp';
import { deflateSync } from 'node:zlib';

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

/**
 * A PNG whose header declares `width`×`height` RGB pixels over a few hundred bytes of zeros: a
 * decompression bomb at 60000×60000 (10.8 GB of pixels), harmless unless something decodes it.
 * `complete`: a whole black 1-bit image instead, cheap to make, that really decodes to those pixels.
 */
export function pngBomb(width: number, height: number, complete = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = complete ? 1 : 8; // bit depth
  ihdr[9] = complete ? 0 : 2; // greyscale : RGB
  // Each row: a filter byte, then the pixels (zeros: black).
  const idat = deflateSync(Buffer.alloc(complete ? height * (1 + Math.ceil(width / 8)) : 4096));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
