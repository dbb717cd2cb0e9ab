import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { covers, fontCoverage, fontWeight } from '../../src/typeset/sfnt.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/typeset/${name}`, import.meta.url));
const noto = (pkg: string, file: string) => readFileSync(createRequire(import.meta.url).resolve(`@expo-google-fonts/${pkg}/${file}`));

describe('fontCoverage', () => {
  it('reads the same cmap from WOFF (zlib) and WOFF2 (Brotli) of one font', () => {
    const woff = fontCoverage(fixture('NotoSansHebrew-subset-700.woff'));
    const woff2 = fontCoverage(fixture('NotoSansHebrew-subset-700.woff2'));
    expect(woff2).toEqual(woff);
    expect(covers(woff, 0x05e9)).toBe(true); // ש
    expect(covers(woff, 0x0041)).toBe(false); // the subset has no Latin
  });

  it('reads format 12 from a TTF with characters past the BMP', () => {
    const jp = fontCoverage(noto('noto-sans-jp', '400Regular/NotoSansJP_400Regular.ttf'));
    expect(covers(jp, 0x6c34)).toBe(true); // 水
    expect(covers(jp, 0x3042)).toBe(true); // あ
    expect(covers(jp, 0x0e01)).toBe(false); // Thai ก
    expect(jp.some(([, last]) => last > 0xffff)).toBe(true);
  });

  it('agrees with the full Hebrew TTF on the subset range', () => {
    const ttf = fontCoverage(noto('noto-sans-hebrew', '700Bold/NotoSansHebrew_700Bold.ttf'));
    for (const [first, last] of fontCoverage(fixture('NotoSansHebrew-subset-700.woff'))) {
      for (let cp = first; cp <= last; cp++) expect(covers(ttf, cp), `U+${cp.toString(16)}`).toBe(true);
    }
    expect(covers(ttf, 0x0041)).toBe(true);
  });

  it('rejects a file that is not a font', () => {
    expect(() => fontCoverage(Buffer.from('not a font at all, just some text bytes'))).toThrow();
  });

  it('reads the weight class', () => {
    expect(fontWeight(fixture('NotoSansHebrew-subset-700.woff2'))).toBe(700);
    expect(fontWeight(noto('noto-sans', '400Regular/NotoSans_400Regular.ttf'))).toBe(400);
  });
});
