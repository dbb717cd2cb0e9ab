/**
 * Where each tile goes on which contact-sheet page. Pure: the reviewer compares locales side by
 * side, so a page is a grid with one row per (variant, size) and one column per locale, both in the
 * order the tiles came in; pages break between rows, and between columns only when one row of
 * locales alone is more than a page.
 */

export interface TileKey {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
}

export interface SheetRow {
  readonly variant: string;
  readonly size: string;
  /** Index into the tiles for each column of the page; undefined where that cell has no tile. */
  readonly cells: readonly (number | undefined)[];
}

export interface SheetPage {
  readonly locales: readonly string[];
  readonly rows: readonly SheetRow[];
}

/** Enough to compare a few variants across six locales on one sheet that still opens quickly. */
export const DEFAULT_TILES_PER_PAGE = 48;

export function planSheets(tiles: readonly TileKey[], maxTilesPerPage = DEFAULT_TILES_PER_PAGE): SheetPage[] {
  const perPage = Math.max(1, Math.floor(maxTilesPerPage));
  const locales = unique(tiles.map((t) => t.locale));
  const rowKeys = unique(tiles.map((t) => rowKey(t)));
  // Later duplicates of a cell are ignored: the grid has one place per (variant, size, locale).
  const index = new Map<string, number>();
  tiles.forEach((t, i) => {
    const key = `${rowKey(t)}\u0000${t.locale}`;
    if (!index.has(key)) index.set(key, i);
  });

  const columnsPerPage = Math.min(Math.max(1, locales.length), perPage);
  const rowsPerPage = Math.max(1, Math.floor(perPage / columnsPerPage));
  const pages: SheetPage[] = [];
  for (let c = 0; c < locales.length; c += columnsPerPage) {
    const pageLocales = locales.slice(c, c + columnsPerPage);
    for (let r = 0; r < rowKeys.length; r += rowsPerPage) {
      const rows = rowKeys.slice(r, r + rowsPerPage).map((key): SheetRow => {
        const [variant = '', size = ''] = key.split('\u0000');
        return { variant, size, cells: pageLocales.map((locale) => index.get(`${key}\u0000${locale}`)) };
      });
      pages.push({ locales: pageLocales, rows });
    }
  }
  return pages;
}

/** File name of page `n` (1-based): contact-sheet.png, contact-sheet-2.png, ... */
export function sheetFileName(n: number): string {
  return n === 1 ? 'contact-sheet.png' : `contact-sheet-${n}.png`;
}

/** The page number of a contact-sheet file name, or undefined for any other file. */
export function sheetPageNumber(name: string): number | undefined {
  if (name === 'contact-sheet.png') return 1;
  const match = /^contact-sheet-([1-9][0-9]*)\.png$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function rowKey(t: TileKey): string {
  return `${t.variant}\u0000${t.size}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
