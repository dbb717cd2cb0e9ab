import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../image/sharp.js';
import { writeOutputFile } from '../fs/write-error.js';
import { CELL, cellOverlays, loadThumbnail, type SheetTile } from './sheet-cell.js';
import { DEFAULT_TILES_PER_PAGE, planSheets, sheetFileName, sheetPageNumber, type SheetPage } from './sheet-layout.js';
import { labelOverlay } from './text-layers.js';

export type { SheetTile } from './sheet-cell.js';

export interface ContactSheetOptions {
  readonly title: string;
  /** The campaign's output folder; pages are written into it. */
  readonly outDir: string;
  /** Locale tag -> language name for the column headers ("zh-TW · Traditional Chinese"). */
  readonly languages?: ReadonlyMap<string, string>;
  /** Cells per page (default 48); a page breaks between rows of the grid. */
  readonly maxTilesPerPage?: number;
}

export interface WrittenSheet {
  readonly file: string;
  readonly sha256: string;
}

const PAD = 24;
const GAP = 20;
const TITLE_HEIGHT = 44;
const HEADER_HEIGHT = 26;
const BACKGROUND = { r: 246, g: 248, b: 250 };
/** Thumbnails decoded at once: both cores busy, and only a few full-size PNG decodes in memory. */
const THUMBNAIL_CONCURRENCY = 2;

/**
 * Writes contact-sheet.png (and contact-sheet-2.png, ... when the tiles do not fit one page) into
 * `outDir`, then removes pages a previous, larger build left behind. Each page is one composite and
 * one PNG encode. Identical input gives identical bytes.
 */
export async function writeContactSheets(tiles: readonly SheetTile[], options: ContactSheetOptions): Promise<WrittenSheet[]> {
  const pages = planSheets(tiles, options.maxTilesPerPage ?? DEFAULT_TILES_PER_PAGE);
  // An empty build still replaces the old sheet, so nobody reviews last week's images.
  if (pages.length === 0) pages.push({ locales: [], rows: [] });
  const failed = tiles.filter((t) => !t.file).length;
  const summary = `${tiles.length} asset${tiles.length === 1 ? '' : 's'}${failed ? `, ${failed} failed` : ''}`;

  const written: WrittenSheet[] = [];
  for (const [i, page] of pages.entries()) {
    const pageLabel = pages.length > 1 ? `page ${i + 1} of ${pages.length} · ` : '';
    const png = await renderPage(page, tiles, options.title, `${pageLabel}${summary}`, options.languages);
    const file = join(options.outDir, sheetFileName(i + 1));
    await writeOutputFile(file, png);
    written.push({ file, sha256: createHash('sha256').update(png).digest('hex') });
  }
  await removeStalePages(options.outDir, pages.length);
  return written;
}

async function renderPage(page: SheetPage, tiles: readonly SheetTile[], title: string, subtitle: string, languages: ReadonlyMap<string, string> | undefined): Promise<Buffer> {
  const sharp = await loadSharp();
  const columns = Math.max(1, page.locales.length);
  const rowHeight = CELL.box + CELL.labelGap + CELL.label;
  const width = Math.max(2 * PAD + columns * CELL.box + (columns - 1) * GAP, 640);
  const gridTop = PAD + TITLE_HEIGHT + HEADER_HEIGHT;
  const height = gridTop + page.rows.length * rowHeight + Math.max(0, page.rows.length - 1) * GAP + PAD;

  const overlays: OverlayOptions[] = [];
  const heading = labelOverlay(title, { left: PAD, top: PAD }, { px: 22, colour: '#1F2328', maxWidth: (width - 2 * PAD) * 0.7, weight: 700 });
  overlays.push(heading);
  const rest = width - 2 * PAD - heading.raw.width - 16;
  if (rest > 40) overlays.push(labelOverlay(subtitle, { left: PAD + heading.raw.width + 16, top: PAD + 6 }, { px: 16, colour: '#57606A', maxWidth: rest }));

  for (const [c, locale] of page.locales.entries()) {
    const language = languages?.get(locale);
    const header = language ? `${locale} · ${language}` : locale;
    overlays.push(labelOverlay(header, { left: PAD + c * (CELL.box + GAP), top: PAD + TITLE_HEIGHT }, { px: 15, colour: '#1F2328', maxWidth: CELL.box, weight: 700 }));
  }

  const placed = page.rows.flatMap((row, r) =>
    row.cells.flatMap((index, c) => (index === undefined ? [] : [{ tile: tiles[index]!, x: PAD + c * (CELL.box + GAP), y: gridTop + r * (rowHeight + GAP) }])),
  );
  const limit = pLimit(THUMBNAIL_CONCURRENCY);
  const cells = await Promise.all(
    placed.map(({ tile, x, y }) =>
      limit(async () => cellOverlays(tile, tile.file ? await loadThumbnail(tile.file) : undefined, x, y)),
    ),
  );
  overlays.push(...cells.flat());

  return sharp({ create: { width, height, channels: 3, background: BACKGROUND } })
    .composite(overlays)
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}

async function removeStalePages(outDir: string, pageCount: number): Promise<void> {
  // Only page names, only in outDir itself, only files (a link is removed, never followed).
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const n = sheetPageNumber(entry.name);
    if (n !== undefined && n > pageCount && (entry.isFile() || entry.isSymbolicLink())) await rm(join(outDir, entry.name), { force: true });
  }
}
