import { brotliDecompressSync, inflateSync } from 'node:zlib';

/**
 * Just enough of the OpenType container to answer "which characters does this font have": the
 * cmap table (formats 4 and 12) of a TTF/OTF, of a WOFF (zlib tables) or a WOFF2 (one Brotli
 * stream; cmap is never transformed). Skia reads all three itself; this is for coverage checks,
 * which must not render.
 */

/** No font is decompressed past this (a WOFF2 of 1 KB can declare gigabytes); see font-file.ts. */
export const MAX_SFNT_BYTES = 64 * 1024 * 1024;

/** Sorted, non-overlapping [first, last] code point ranges. */
export type CodeRanges = readonly (readonly [number, number])[];

interface Table {
  readonly data: Buffer;
}

/** The code points a font maps to a glyph. Throws on a file that is not a font. */
export function fontCoverage(file: Buffer): CodeRanges {
  const cmap = findTable(file, 'cmap');
  if (!cmap) throw new Error('no cmap table');
  return parseCmap(cmap.data);
}

/** OS/2 usWeightClass (400 when the table is absent). */
export function fontWeight(file: Buffer): number {
  const os2 = findTable(file, 'OS/2');
  return os2 && os2.data.length >= 6 ? os2.data.readUInt16BE(4) : 400;
}

export function covers(ranges: CodeRanges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

function findTable(file: Buffer, tag: string): Table | undefined {
  const sig = file.toString('latin1', 0, 4);
  if (sig === 'wOFF') return woffTable(file, tag);
  if (sig === 'wOF2') return woff2Table(file, tag);
  // A collection: the first font answers.
  const base = sig === 'ttcf' ? file.readUInt32BE(12) : 0;
  const count = file.readUInt16BE(base + 4);
  for (let i = 0; i < count; i++) {
    const rec = base + 12 + i * 16;
    if (file.toString('latin1', rec, rec + 4) !== tag) continue;
    const offset = file.readUInt32BE(rec + 8);
    return { data: file.subarray(offset, offset + file.readUInt32BE(rec + 12)) };
  }
  return undefined;
}

function woffTable(file: Buffer, tag: string): Table | undefined {
  const count = file.readUInt16BE(12);
  for (let i = 0; i < count; i++) {
    const rec = 44 + i * 20;
    if (file.toString('latin1', rec, rec + 4) !== tag) continue;
    const offset = file.readUInt32BE(rec + 4);
    const compLength = file.readUInt32BE(rec + 8);
    const origLength = file.readUInt32BE(rec + 12);
    const raw = file.subarray(offset, offset + compLength);
    return { data: compLength < origLength ? inflateSync(raw, { maxOutputLength: Math.min(origLength, MAX_SFNT_BYTES) }) : raw };
  }
  return undefined;
}

/** The 63 tags WOFF2 encodes as a 6-bit index (spec, section 5.1). */
const WOFF2_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep', 'CFF ', 'VORG', 'EBDT',
  'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH',
  'CBDT', 'CBLC', 'COLR', 'CPAL', 'SVG ', 'sbix', 'acnt', 'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar',
  'gvar', 'hsty', 'just', 'lcar', 'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat', 'Gloc', 'Feat', 'Sill',
];

function woff2Table(file: Buffer, tag: string): Table | undefined {
  const count = file.readUInt16BE(12);
  const compressedLength = file.readUInt32BE(20);
  let pos = 48;
  const readBase128 = () => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = file[pos++]!;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    throw new Error('bad UIntBase128');
  };
  let offset = 0;
  let found: { offset: number; length: number } | undefined;
  for (let i = 0; i < count; i++) {
    const flags = file[pos++]!;
    const index = flags & 0x3f;
    const t = index === 0x3f ? file.toString('latin1', pos, (pos += 4)) : WOFF2_TAGS[index]!;
    const origLength = readBase128();
    const version = flags >> 6;
    // glyf/loca are transformed unless version 3; hmtx only when version 1.
    const transformed = (t === 'glyf' || t === 'loca') ? version !== 3 : version !== 0;
    const length = transformed ? readBase128() : origLength;
    if (t === tag) found = { offset, length };
    offset += length;
  }
  if (!found) return undefined;
  const stream = brotliDecompressSync(file.subarray(pos, pos + compressedLength), { maxOutputLength: MAX_SFNT_BYTES });
  return { data: stream.subarray(found.offset, found.offset + found.length) };
}

function parseCmap(cmap: Buffer): CodeRanges {
  const count = cmap.readUInt16BE(2);
  let best: { offset: number; format: number } | undefined;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode || (format !== 4 && format !== 12)) continue;
    if (!best || (format === 12 && best.format === 4)) best = { offset, format };
  }
  if (!best) throw new Error('no Unicode cmap subtable (format 4 or 12)');
  const ranges = best.format === 12 ? format12(cmap, best.offset) : format4(cmap, best.offset);
  return merge(ranges);
}

function format12(cmap: Buffer, at: number): [number, number][] {
  const groups = cmap.readUInt32BE(at + 12);
  const out: [number, number][] = [];
  for (let i = 0; i < groups; i++) {
    const g = at + 16 + i * 12;
    const first = cmap.readUInt32BE(g);
    const last = cmap.readUInt32BE(g + 4);
    // A group starting at glyph 0 maps its first character to .notdef, which is no glyph.
    const from = cmap.readUInt32BE(g + 8) === 0 ? first + 1 : first;
    if (from <= last) out.push([from, last]);
  }
  return out;
}

function format4(cmap: Buffer, at: number): [number, number][] {
  const segs = cmap.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const rangeOffsets = deltas + segs * 2;
  const out: [number, number][] = [];
  for (let s = 0; s < segs; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const start = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readUInt16BE(deltas + s * 2);
    const ro = cmap.readUInt16BE(rangeOffsets + s * 2);
    if (start === 0xffff) continue;
    if (ro === 0) {
      // Every code point maps unless the delta sends it to glyph 0.
      for (let c = start; c <= end; c++) if (((c + delta) & 0xffff) !== 0) push(out, c);
      continue;
    }
    for (let c = start; c <= end; c++) {
      const glyphAt = rangeOffsets + s * 2 + ro + (c - start) * 2;
      if (glyphAt + 1 < cmap.length && cmap.readUInt16BE(glyphAt) !== 0) push(out, c);
    }
  }
  return out;
}

function push(out: [number, number][], cp: number): void {
  const last = out[out.length - 1];
  if (last && last[1] === cp - 1) last[1] = cp;
  else out.push([cp, cp]);
}

function merge(ranges: [number, number][]): CodeRanges {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of ranges) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
