import { brotliCompressSync, constants, deflateSync } from 'node:zlib';

/**
 * WOFF and WOFF2 files with one `cmap` table whose directory declares `declared` bytes while the
 * compressed data inflates to `inflates` bytes of zeros: a decompression bomb when the second is
 * the larger. The 1,784-byte attack fixture (2.2 GB) was made the same way, by streaming.
 */
export function woff2Bomb(declared: number, inflates: number, totalSfntSize = 12 + 16 + declared): Buffer {
  const stream = brotliCompressSync(Buffer.alloc(inflates), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  // flags 0: table index 0 (cmap), not transformed; then origLength as UIntBase128.
  const dir = Buffer.from([0, ...base128(declared)]);
  const header = Buffer.alloc(48);
  header.write('wOF2', 0, 'latin1');
  header.writeUInt32BE(0x00010000, 4);
  header.writeUInt32BE(48 + dir.length + stream.length, 8);
  header.writeUInt16BE(1, 12);
  header.writeUInt32BE(totalSfntSize, 16);
  header.writeUInt32BE(stream.length, 20);
  header.writeUInt16BE(1, 24);
  return Buffer.concat([header, dir, stream]);
}

export function woffBomb(declared: number, inflates: number): Buffer {
  const data = deflateSync(Buffer.alloc(inflates), { level: 1 });
  const header = Buffer.alloc(44 + 20);
  header.write('wOFF', 0, 'latin1');
  header.writeUInt32BE(0x00010000, 4);
  header.writeUInt32BE(64 + data.length, 8);
  header.writeUInt16BE(1, 12);
  header.writeUInt32BE(12 + 16 + declared, 16);
  header.write('cmap', 44, 'latin1');
  header.writeUInt32BE(64, 48);
  header.writeUInt32BE(data.length, 52);
  header.writeUInt32BE(declared, 56);
  return Buffer.concat([header, data]);
}

function base128(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v & 0x7f) | 0x80);
  return out;
}
