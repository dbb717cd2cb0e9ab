/**
 * Where each tile goes on which contact-sheet page. Pure. A page is sized for a laptop screen
 * (at most SHEET.columns columns, at most SHEET.maxPageHeight tall): the reviewer compares locales
 * side by side, so the tiles of one (variant, size) form a section, locales in the order they
 * came in, wrapped into rows of the page's columns. Sections short enough for one row share it
 * (two locales of four sizes fill one row instead of four), and each row is as tall as its
 * tallest picture, so a row of banners is a short row. Pages break between rows.
 */

export interface TileKey {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  /** The delivered size, in pixels: the tile's shape on the sheet. */
  readonly width: number;
  readonly height: number;
}

/** Sheet geometry in pixels. */
export const SHEET = {
  pad: 24,
  /** Title line of each page. */
  title: 44,
  /** One column: a square tile's side. */
  unit: 180,
  columns: 8,
  gap: 16,
  /** Tallest picture; a wide one spans columns until it is at least half this tall. */
  box: 180,
  maxSpan: 3,
  /** The `variant · size` line over a section. */
  header: 24,
  labelGap: 6,
  /** Locale line and up to two caption lines. */
  label: 62,
  rowGap: 20,
  maxPageHeight: 1000,
  minWidth: 640,
} as const;

export interface PlacedTile {
  /** Index into the tiles. */
  readonly index: number;
  /** Left edge of the tile's cell and its width (the labels' width). */
  readonly x: number;
  readonly cellWidth: number;
  /** The picture, fitted into the cell, centred, standing on the row's label line. */
  readonly image: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  /** The tallest picture of the row: a placeholder may use that much. */
  readonly rowTop: number;
  readonly rowHeight: number;
  readonly labelTop: number;
}

export interface SectionHeader {
  readonly variant: string;
  readonly size: string;
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
  /** The section's width on this row (the header is cut to it). */
  readonly span: number;
  /** The section began on an earlier page. */
  readonly continued: boolean;
}

export interface SheetPage {
  readonly width: number;
  readonly height: number;
  readonly tiles: readonly PlacedTile[];
  readonly headers: readonly SectionHeader[];
}

export interface LayoutOptions {
  /** Tiles per page at most (default: as many rows as the page height holds). */
  readonly maxTilesPerPage?: number;
  readonly maxPageHeight?: number;
}

const CONTENT_WIDTH = SHEET.columns * SHEET.unit + (SHEET.columns - 1) * SHEET.gap;
/** Sections share a row only when their pictures are at least this share of each other's height. */
const SIMILAR_HEIGHT = 0.6;

/** Columns a tile spans: a wide banner takes more than one, so it is not a sliver. */
export function spanOf(width: number, height: number): number {
  const aspect = Math.max(1, width) / Math.max(1, height);
  for (let span = 1; span < SHEET.maxSpan; span++) if (cellWidthOf(span) / aspect >= SHEET.box / 2) return span;
  return SHEET.maxSpan;
}

const cellWidthOf = (span: number) => span * SHEET.unit + (span - 1) * SHEET.gap;

/** The picture's size in a cell `cellWidth` wide: fitted, never enlarged. */
export function fitted(width: number, height: number, cellWidth: number): { width: number; height: number } {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const scale = Math.min(1, cellWidth / w, SHEET.box / h);
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

interface Segment {
  readonly section: number;
  readonly first: boolean;
  readonly tiles: readonly number[];
}

export function planSheets(tiles: readonly TileKey[], options: LayoutOptions = {}): SheetPage[] {
  const perPage = Math.max(1, Math.floor(options.maxTilesPerPage ?? Number.MAX_SAFE_INTEGER));
  const maxHeight = options.maxPageHeight ?? SHEET.maxPageHeight;
  const localeOrder = new Map<string, number>();
  for (const t of tiles) if (!localeOrder.has(t.locale)) localeOrder.set(t.locale, localeOrder.size);

  // Sections in order of first appearance; later duplicates of a cell are ignored.
  const sections: { key: string; tiles: number[] }[] = [];
  const byKey = new Map<string, { key: string; tiles: number[] }>();
  const seen = new Set<string>();
  tiles.forEach((t, i) => {
    const key = `${t.variant}\u0000${t.size}`;
    if (seen.has(`${key}\u0000${t.locale}`)) return;
    seen.add(`${key}\u0000${t.locale}`);
    let section = byKey.get(key);
    if (!section) {
      section = { key, tiles: [] };
      byKey.set(key, section);
      sections.push(section);
    }
    section.tiles.push(i);
  });
  for (const s of sections) s.tiles.sort((a, b) => localeOrder.get(tiles[a]!.locale)! - localeOrder.get(tiles[b]!.locale)!);

  // Each tile's cell width and picture size, once.
  const cells = tiles.map((t) => {
    const width = cellWidthOf(spanOf(t.width, t.height));
    return { width, picture: fitted(t.width, t.height, width) };
  });
  const widthOf = (indices: readonly number[]) => indices.reduce((w, i) => w + cells[i]!.width, 0) + Math.max(0, indices.length - 1) * SHEET.gap;
  const heightOf = (indices: readonly number[]) => indices.reduce((h, i) => Math.max(h, cells[i]!.picture.height), 0);
  // Shelves: a whole section goes into the first row with room whose pictures are about as tall
  // (a banner never stands in a square's row, leaving a hole over it); a longer one wraps over rows of its own.
  const rows: { segments: Segment[]; used: number; height: number; lowest: number }[] = [];
  const similar = (a: number, b: number) => Math.min(a, b) >= SIMILAR_HEIGHT * Math.max(a, b);
  sections.forEach((section, s) => {
    const chunks: number[][] = [];
    for (const i of section.tiles) {
      const last = chunks[chunks.length - 1];
      if (last && widthOf([...last, i]) <= CONTENT_WIDTH) last.push(i);
      else chunks.push([i]);
    }
    chunks.forEach((chunk, c) => {
      const width = widthOf(chunk);
      const height = heightOf(chunk);
      const shelf = chunks.length === 1 ? rows.find((r) => r.used + SHEET.gap + width <= CONTENT_WIDTH && similar(r.lowest, height) && similar(r.height, height)) : undefined;
      const segment = { section: s, first: c === 0, tiles: chunk };
      if (shelf) {
        shelf.segments.push(segment);
        shelf.used += SHEET.gap + width;
        shelf.height = Math.max(shelf.height, height);
        shelf.lowest = Math.min(shelf.lowest, height);
      } else rows.push({ segments: [segment], used: width, height, lowest: height });
    });
  });

  const pageWidth = Math.max(SHEET.minWidth, 2 * SHEET.pad + rows.reduce((w, r) => Math.max(w, r.used), 0));
  const pages: { tiles: PlacedTile[]; headers: SectionHeader[]; y: number; count: number }[] = [];
  const top = SHEET.pad + SHEET.title;
  let page = { tiles: [] as PlacedTile[], headers: [] as SectionHeader[], y: top, count: 0 };
  for (const { segments: row, height: imageHeight } of rows) {
    const count = row.reduce((n, seg) => n + seg.tiles.length, 0);
    const height = (withHeader: boolean) => (withHeader ? SHEET.header : 0) + imageHeight + SHEET.labelGap + SHEET.label;
    const starts = row.some((seg) => seg.first);
    const gapBefore = page.count > 0 ? SHEET.rowGap : 0;
    if (page.count > 0 && (page.y + gapBefore + height(starts) + SHEET.pad > maxHeight || page.count + count > perPage)) {
      pages.push(page);
      page = { tiles: [], headers: [], y: top, count: 0 };
    }
    // The first row of a page names its sections, continued or not.
    const withHeader = starts || page.count === 0;
    const y = page.y + (page.count > 0 ? SHEET.rowGap : 0);
    const rowTop = y + (withHeader ? SHEET.header : 0);
    let x = SHEET.pad;
    for (const seg of row) {
      const first = tiles[seg.tiles[0]!]!;
      if (withHeader) page.headers.push({ variant: first.variant, size: first.size, width: first.width, height: first.height, x, y, span: widthOf(seg.tiles), continued: !seg.first });
      for (const i of seg.tiles) {
        const { width: cellWidth, picture } = cells[i]!;
        const image = { left: x + Math.floor((cellWidth - picture.width) / 2), top: rowTop + imageHeight - picture.height, ...picture };
        page.tiles.push({ index: i, x, cellWidth, image, rowTop, rowHeight: imageHeight, labelTop: rowTop + imageHeight + SHEET.labelGap });
        x += cellWidth + SHEET.gap;
      }
    }
    page.y = y + height(withHeader);
    page.count += count;
  }
  if (page.count > 0) pages.push(page);
  return pages.map((p) => ({ width: pageWidth, height: p.y + SHEET.pad, tiles: p.tiles, headers: p.headers }));
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
