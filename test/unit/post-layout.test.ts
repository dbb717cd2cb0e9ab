import { describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/providers/local/proof.js';
import { planSheets, sheetFileName, sheetPageNumber, type TileKey } from '../../src/post/sheet-layout.js';

function grid(variants: string[], sizes: string[], locales: string[]): TileKey[] {
  return variants.flatMap((variant) => sizes.flatMap((size) => locales.map((locale) => ({ variant, size, locale }))));
}

describe('planSheets', () => {
  it('puts one row per (variant, size) and one column per locale, in input order', () => {
    const tiles = grid(['hero', 'night'], ['square', 'story'], ['en-US', 'ja-JP', 'ar-SA']);
    const [page, ...rest] = planSheets(tiles, 48);
    expect(rest).toHaveLength(0);
    expect(page!.locales).toEqual(['en-US', 'ja-JP', 'ar-SA']);
    expect(page!.rows.map((r) => `${r.variant}/${r.size}`)).toEqual(['hero/square', 'hero/story', 'night/square', 'night/story']);
    for (const row of page!.rows) {
      expect(row.cells.map((i) => (i === undefined ? undefined : tiles[i]))).toEqual(
        page!.locales.map((locale) => ({ variant: row.variant, size: row.size, locale })),
      );
    }
  });

  it('groups by locale even when the tiles arrive locale-major', () => {
    const tiles = ['en-US', 'de-DE'].flatMap((locale) => ['a', 'b'].map((variant) => ({ variant, size: 's', locale })));
    const [page] = planSheets(tiles);
    expect(page!.locales).toEqual(['en-US', 'de-DE']);
    expect(page!.rows[0]!.cells).toEqual([0, 2]);
    expect(page!.rows[1]!.cells).toEqual([1, 3]);
  });

  it('leaves a hole where a locale has no tile in a row', () => {
    const tiles: TileKey[] = [
      { variant: 'a', size: 's', locale: 'en' },
      { variant: 'a', size: 's', locale: 'de' },
      { variant: 'b', size: 's', locale: 'de' },
    ];
    const [page] = planSheets(tiles);
    expect(page!.rows[1]!.cells).toEqual([undefined, 2]);
  });

  it('breaks pages between rows once the cell limit is reached', () => {
    const tiles = grid(['v1', 'v2', 'v3', 'v4', 'v5'], ['square'], ['en', 'de', 'fr']);
    const pages = planSheets(tiles, 6);
    expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 1]);
    const placed = pages.flatMap((p) => p.rows.flatMap((r) => r.cells));
    expect(placed.sort((a, b) => a! - b!)).toEqual(tiles.map((_, i) => i));
  });

  it('splits the locales across pages when one row alone exceeds the limit', () => {
    const tiles = grid(['v'], ['s'], ['a', 'b', 'c', 'd', 'e']);
    const pages = planSheets(tiles, 2);
    expect(pages.map((p) => p.locales)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const page of pages) expect(page.rows.length * page.locales.length).toBeLessThanOrEqual(2);
  });

  it('keeps the first of two tiles for the same cell', () => {
    const tiles: TileKey[] = [
      { variant: 'a', size: 's', locale: 'en' },
      { variant: 'a', size: 's', locale: 'en' },
    ];
    expect(planSheets(tiles)[0]!.rows[0]!.cells).toEqual([0]);
  });

  it('has no pages for no tiles', () => {
    expect(planSheets([])).toEqual([]);
  });
});

describe('sheet file names', () => {
  it.each([
    [1, 'contact-sheet.png'],
    [2, 'contact-sheet-2.png'],
    [12, 'contact-sheet-12.png'],
  ])('page %i is %s and back', (n, name) => {
    expect(sheetFileName(n)).toBe(name);
    expect(sheetPageNumber(name)).toBe(n);
  });

  it.each(['contact-sheet-0.png', 'contact-sheet-02.png', 'contact-sheet.png.tmp-abc', 'contact-sheet-2.jpg', 'hero.png'])('%s is not a page', (name) => {
    expect(sheetPageNumber(name)).toBeUndefined();
  });
});

describe('paletteFor', () => {
  it('is a pure function of the key', () => {
    expect(paletteFor('abc')).toEqual(paletteFor('abc'));
    expect(paletteFor('abc')).not.toEqual(paletteFor('abd'));
  });

  it('stays dark enough for white type', () => {
    for (let i = 0; i < 500; i++) {
      for (const [r, g, b] of paletteFor(`key-${i}`)) expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThanOrEqual(121);
    }
  });
});
