import { describe, expect, it } from 'vitest';
import { paletteFor } from '../../src/providers/local/proof.js';
import { planSheets, SHEET, type SheetPage, sheetFileName, sheetPageNumber, spanOf, type TileKey } from '../../src/post/sheet-layout.js';

const SIZES: Record<string, readonly [number, number]> = {
  square: [1080, 1080],
  story: [1080, 1920],
  portrait: [1080, 1350],
  landscape: [1920, 1080],
  'link-ad': [1200, 628],
  banner: [1920, 480],
  leaderboard: [728, 90],
};

function grid(variants: string[], sizes: string[], locales: string[]): TileKey[] {
  return variants.flatMap((variant) => sizes.flatMap((size) => locales.map((locale) => ({ variant, size, locale, width: SIZES[size]![0], height: SIZES[size]![1] }))));
}

const locales = (n: number) => Array.from({ length: n }, (_, i) => `l${String(i).padStart(2, '0')}-XX`);
const placed = (pages: readonly SheetPage[]) => pages.flatMap((p) => p.tiles);
/** The tiles of each row of a page, as indices, rows top to bottom. */
const rowsOf = (page: SheetPage) => [...new Set(page.tiles.map((t) => t.rowTop))].sort((a, b) => a - b).map((top) => page.tiles.filter((t) => t.rowTop === top).map((t) => t.index));

describe('planSheets', () => {
  it('wraps a 31-locale sweep into pages that fit a laptop screen, every tile once, locales in order', () => {
    const tiles = grid(['evening'], ['portrait', 'landscape'], locales(31));
    const pages = planSheets(tiles);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.width).toBeLessThanOrEqual(1600);
      expect(page.height).toBeLessThanOrEqual(SHEET.maxPageHeight);
      for (const row of rowsOf(page)) expect(row.length).toBeLessThanOrEqual(SHEET.columns);
    }
    expect(placed(pages).map((t) => t.index).sort((a, b) => a - b)).toEqual(tiles.map((_, i) => i));
    // Reading order: the portrait section, locale by locale, then the landscape one.
    expect(placed(pages).map((t) => t.index)).toEqual(tiles.map((_, i) => i));
  });

  it('names each section over its first row, and again, continued, at the top of a page', () => {
    const tiles = grid(['evening'], ['portrait', 'landscape'], locales(31));
    const pages = planSheets(tiles);
    const headers = pages.flatMap((p, n) => p.headers.map((h) => `${n + 1}:${h.variant}/${h.size}${h.continued ? ' (continued)' : ''}`));
    expect(headers[0]).toBe('1:evening/portrait');
    expect(headers.filter((h) => h.endsWith('evening/landscape'))).toHaveLength(1);
    for (const [n, page] of pages.entries()) if (n > 0) expect(page.headers[0]!.y).toBeLessThan(Math.min(...page.tiles.map((t) => t.rowTop)));
    expect(headers.some((h) => h.includes('(continued)'))).toBe(true);
  });

  it('packs short sections into shared rows, never a banner beside a square', () => {
    // social-kit: 2 variants x 4 sizes x 2 locales.
    const tiles = grid(['summer', 'desk'], ['square', 'story', 'link-ad', 'banner'], ['en-US', 'es-ES']);
    const [page, ...more] = planSheets(tiles);
    expect(more).toHaveLength(0);
    const rows = rowsOf(page!).map((r) => r.map((i) => `${tiles[i]!.variant}/${tiles[i]!.size}`));
    // Squares and stories of both variants fill the first row; the short pictures share rows too.
    expect(rows[0]).toEqual(['summer/square', 'summer/square', 'summer/story', 'summer/story', 'desk/square', 'desk/square', 'desk/story', 'desk/story']);
    expect(rows).toHaveLength(3);
    for (const row of rowsOf(page!)) {
      const heights = row.map((i) => page!.tiles.find((t) => t.index === i)!.image.height);
      expect(Math.min(...heights) / Math.max(...heights)).toBeGreaterThanOrEqual(0.5);
    }
    // One screen, not a 3,458-px column.
    expect(page!.height).toBeLessThan(SHEET.maxPageHeight);
  });

  it('makes each row as tall as its tallest picture: a row of banners is a short row', () => {
    const [page] = planSheets(grid(['v'], ['square', 'banner'], ['en', 'de', 'fr', 'it', 'es']));
    const heights = [...new Set(page!.tiles.map((t) => `${t.rowTop}:${t.rowHeight}`))].map((k) => Number(k.split(':')[1]));
    expect(heights).toEqual([SHEET.box, expect.any(Number), expect.any(Number)]);
    expect(Math.max(...heights.slice(1))).toBeLessThan(SHEET.box * 0.6);
  });

  it.each([
    ['square', 1],
    ['story', 1],
    ['link-ad', 1],
    ['banner', 2],
    ['leaderboard', 3],
  ])('gives a %s %i column(s), so a wide picture is not a sliver', (size, span) => {
    const [w, h] = SIZES[size]!;
    expect(spanOf(w, h)).toBe(span);
    const [page] = planSheets([{ variant: 'v', locale: 'en', size, width: w, height: h }]);
    expect(page!.tiles[0]!.cellWidth).toBe(span * SHEET.unit + (span - 1) * SHEET.gap);
  });

  it('fits every picture inside its cell, standing on its row\'s label line; no two cells overlap', () => {
    const tiles = grid(['a', 'b'], Object.keys(SIZES), locales(5));
    for (const page of planSheets(tiles)) {
      for (const t of page.tiles) {
        expect(t.image.left).toBeGreaterThanOrEqual(t.x);
        expect(t.image.left + t.image.width).toBeLessThanOrEqual(t.x + t.cellWidth);
        expect(t.image.top + t.image.height).toBe(t.rowTop + t.rowHeight);
        expect(t.image.height).toBeLessThanOrEqual(t.rowHeight);
        expect(t.labelTop).toBe(t.rowTop + t.rowHeight + SHEET.labelGap);
        expect(t.x + t.cellWidth).toBeLessThanOrEqual(page.width - SHEET.pad);
        expect(t.labelTop + SHEET.label).toBeLessThanOrEqual(page.height - SHEET.pad);
      }
      for (const a of page.tiles) {
        for (const b of page.tiles) {
          if (a === b || a.rowTop !== b.rowTop) continue;
          expect(a.x + a.cellWidth <= b.x || b.x + b.cellWidth <= a.x).toBe(true);
        }
      }
    }
  });

  it('groups by locale even when the tiles arrive locale-major', () => {
    const tiles = ['en-US', 'de-DE'].flatMap((locale) => ['a', 'b'].map((variant) => ({ variant, size: 's', locale, width: 100, height: 100 })));
    const [page] = planSheets(tiles);
    expect(page!.tiles.map((t) => t.index)).toEqual([0, 2, 1, 3]);
  });

  it('breaks pages between rows once the tile limit is reached', () => {
    const tiles = grid(['v1', 'v2', 'v3', 'v4', 'v5'], ['landscape'], ['en', 'de', 'fr', 'it', 'es', 'nl']);
    const pages = planSheets(tiles, { maxTilesPerPage: 12 });
    expect(pages.map((p) => p.tiles.length)).toEqual([12, 12, 6]);
    expect(pages.map((p) => p.width)).toEqual([pages[0]!.width, pages[0]!.width, pages[0]!.width]);
  });

  it('keeps the first of two tiles for the same cell', () => {
    const tiles: TileKey[] = [
      { variant: 'a', size: 's', locale: 'en', width: 10, height: 10 },
      { variant: 'a', size: 's', locale: 'en', width: 10, height: 10 },
    ];
    expect(planSheets(tiles)[0]!.tiles.map((t) => t.index)).toEqual([0]);
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
