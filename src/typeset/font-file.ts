import { brotliDecompressSync, inflateSync } from 'node:zlib';
import { fontCoverage, MAX_SFNT_BYTES } from './sfnt.js';

/**
 * Is this file a font the typesetter can use? Asked of every brand font when the campaign is
 * validated, so a bad file is refused at its line before anything runs. Only the container is
 * trusted as far as it is checked: a WOFF or WOFF2 header declares how large the font is once
 * decompressed, the declaration is capped, and the data is decompressed with the declared size as
 * the limit, never more (an 860-byte WOFF2 can otherwise inflate to gigabytes).
 */

const SFNT = new Set(['\x00\x01\x00\x00', 'OTTO', 'true', 'ttcf']);

/** Why `bytes` is not a usable font, or undefined when it is one. */
export function fontFileProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 12) return `is not a font: ${bytes.length} bytes`;
  const signature = bytes.toString('latin1', 0, 4);
  const container = signature === 'wOFF' ? woffProblem(bytes) : signature === 'wOF2' ? woff2Problem(bytes) : SFNT.has(signature) ? undefined : notAFont(bytes);
  if (container) return container;
  try {
    // sfnt.ts decompresses under the same cap; the character map is what the typesetter reads first.
    if (fontCoverage(bytes).length === 0) return 'maps no character to a glyph';
  } catch (err) {
    return `is damaged: its character map cannot be read (${err instanceof Error ? err.message : String(err)})`;
  }
  return undefined;
}

function notAFont(bytes: Buffer): string {
  const head = bytes.subarray(0, 64);
  const text = head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  return `is not a font: no TrueType, OpenType, WOFF or WOFF2 signature${text ? ' (it looks like text)' : ''}`;
}

const mb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`);

/** The header's totalSfntSize, refused above the cap before anything is decompressed. */
function declaredSize(bytes: Buffer): string | undefined {
  const total = bytes.readUInt32BE(16);
  return total > MAX_SFNT_BYTES ? `declares ${mb(total)} once decompressed; the limit is ${mb(MAX_SFNT_BYTES)}` : undefined;
}

function woffProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 44) return 'is a damaged WOFF font: its header is cut short';
  const over = declaredSize(bytes);
  if (over) return over;
  const count = bytes.readUInt16BE(12);
  if (44 + count * 20 > bytes.length) return 'is a damaged WOFF font: its table directory runs past the end';
  let total = 0;
  for (let i = 0; i < count; i++) {
    const rec = 44 + i * 20;
    const [offset, compLength, origLength] = [bytes.readUInt32BE(rec + 4), bytes.readUInt32BE(rec + 8), bytes.readUInt32BE(rec + 12)];
    total += origLength;
    if (total > bytes.readUInt32BE(16)) return 'is a damaged WOFF font: its tables are larger than its header declares';
    if (offset + compLength > bytes.length) return 'is a damaged WOFF font: a table runs past the end';
    if (compLength > origLength) return 'is a damaged WOFF font: a table is larger compressed than declared';
    if (compLength === origLength) continue;
    try {
      inflateSync(bytes.subarray(offset, offset + compLength), { maxOutputLength: origLength });
    } catch {
      return 'is a damaged WOFF font: a table does not decompress to its declared size';
    }
  }
  return undefined;
}

function woff2Problem(bytes: Buffer): string | undefined {
  if (bytes.length < 48) return 'is a damaged WOFF2 font: its header is cut short';
  const over = declaredSize(bytes);
  if (over) return over;
  const directory = woff2Directory(bytes);
  if (typeof directory === 'string') return `is a damaged WOFF2 font: ${directory}`;
  // The stream holds the tables back to back: exactly their (transformed) lengths, never more.
  if (directory.streamLength > MAX_SFNT_BYTES) return `declares ${mb(directory.streamLength)} of tables; the limit is ${mb(MAX_SFNT_BYTES)}`;
  const compressed = bytes.readUInt32BE(20);
  if (directory.end + compressed > bytes.length) return 'is a damaged WOFF2 font: its data runs past the end';
  try {
    const stream = brotliDecompressSync(bytes.subarray(directory.end, directory.end + compressed), { maxOutputLength: directory.streamLength });
    if (stream.length !== directory.streamLength) return 'is a damaged WOFF2 font: its data is shorter than its tables';
  } catch {
    return `decompresses to more than the ${mb(directory.streamLength)} its tables declare (a decompression bomb?), or not at all`;
  }
  return undefined;
}

/** The table directory's total length and where it ends (WOFF2 spec, section 5). */
function woff2Directory(bytes: Buffer): { streamLength: number; end: number } | string {
  const count = bytes.readUInt16BE(12);
  let pos = 48;
  const base128 = (): number | undefined => {
    let value = 0;
    for (let i = 0; i < 5 && pos < bytes.length; i++) {
      const byte = bytes[pos++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    return undefined;
  };
  let streamLength = 0;
  for (let i = 0; i < count; i++) {
    if (pos >= bytes.length) return 'its table directory runs past the end';
    const flags = bytes[pos++]!;
    let tag: string | undefined;
    if ((flags & 0x3f) === 0x3f) tag = bytes.toString('latin1', pos, (pos += 4));
    const origLength = base128();
    if (origLength === undefined) return 'its table directory is unreadable';
    const version = flags >> 6;
    // glyf and loca (indices 10, 11) are transformed unless version 3; any other table when version is not 0.
    const index = flags & 0x3f;
    const glyfOrLoca = index === 10 || index === 11 || tag === 'glyf' || tag === 'loca';
    const length = (glyfOrLoca ? version !== 3 : version !== 0) ? base128() : origLength;
    if (length === undefined) return 'its table directory is unreadable';
    streamLength += length;
  }
  return { streamLength, end: pos };
}
