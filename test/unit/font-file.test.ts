import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fontFileProblem } from '../../src/typeset/font-file.js';
import { fontCoverage } from '../../src/typeset/sfnt.js';
import { woff2Bomb, woffBomb } from '../helpers/font-bombs.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/typeset/${name}`, import.meta.url));
const noto = (file: string) => readFileSync(createRequire(import.meta.url).resolve(`@expo-google-fonts/${file}`));

describe('fontFileProblem: brand fonts sniffed before anything is typeset', () => {
  it('accepts TrueType, WOFF and WOFF2 fonts', () => {
    expect(fontFileProblem(noto('noto-sans/400Regular/NotoSans_400Regular.ttf'))).toBeUndefined();
    expect(fontFileProblem(fixture('NotoSansHebrew-subset-700.woff'))).toBeUndefined();
    expect(fontFileProblem(fixture('NotoSansHebrew-subset-700.woff2'))).toBeUndefined();
  });

  it.each([
    ['text named .ttf', Buffer.from('This is not a font, only a note someone saved as Brand.ttf\n'), /^is not a font: no TrueType, OpenType, WOFF or WOFF2 signature \(it looks like text\)$/],
    ['a few bytes', Buffer.from([0, 1, 0]), /^is not a font: 3 bytes$/],
    ['a PNG named .otf', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]), /no TrueType, OpenType, WOFF or WOFF2 signature$/],
    ['a TrueType font cut short', noto('noto-sans/400Regular/NotoSans_400Regular.ttf').subarray(0, 400), /^is damaged: its character map cannot be read/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(fontFileProblem(bytes)).toMatch(message);
  });

  it('refuses a WOFF2 whose data inflates past what its tables declare, without inflating it', () => {
    expect(fontFileProblem(woff2Bomb(1000, 8 * 1024 * 1024))).toMatch(/^decompresses to more than the 1000 bytes its tables declare \(a decompression bomb\?\)/);
  });

  it('refuses a WOFF whose table inflates past its declared length, or is larger compressed than declared', () => {
    expect(fontFileProblem(woffBomb(1000, 8 * 1024 * 1024))).toBe('is a damaged WOFF font: a table is larger compressed than declared');
    expect(fontFileProblem(woffBomb(100_000, 8 * 1024 * 1024))).toBe('is a damaged WOFF font: a table does not decompress to its declared size');
  });

  it('refuses a header that declares more than 64 MB once decompressed, before decompressing', () => {
    expect(fontFileProblem(woff2Bomb(1000, 1000, 2 ** 31))).toBe('declares 2048.0 MB once decompressed; the limit is 64.0 MB');
    expect(fontFileProblem(woff2Bomb(100 * 1024 * 1024, 1000, 2000))).toBe('declares 100.0 MB of tables; the limit is 64.0 MB');
  });

  it('the typesetter itself never inflates a WOFF2 past 64 MB either', () => {
    // Without the cap this allocates 80 MB and fails later, on the zeros, with another message.
    expect(() => fontCoverage(woff2Bomb(1000, 80 * 1024 * 1024))).toThrow(/Cannot create a Buffer larger than 67108864 bytes/);
  });
});
