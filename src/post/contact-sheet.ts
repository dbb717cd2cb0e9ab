import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../image/sharp.js';
import { writeOutputFile } from '../fs/write-error.js';
import { cellOverlays, headerOverlays, loadThumbnail, type SheetTile } from './sheet-cell.js';
import { planSheets, SHEET, sheetFileName, sheetPageNumber, type SheetPage } from './sheet-layout.js';
import { labelOverlay } from './sheet-label.js';
import { drawnPage, memoTile, pageRecipe, rememberPage, tileKey } from './sheet-memo.js';

export type { SheetTile } from './sheet-cell.js';

export interface ContactSheetOptions {
  readonly title: string;
  /** The campaign's output folder; pages are written into it. */
  readonly outDir: string;
  /** Locale tag -> language name for the tile labels ("zh-TW · Traditional Chinese"). */
  readonly languages?: ReadonlyMap<string, string>;
  /** Tiles per page at most (default: as many rows as a laptop-sized page holds); a page breaks between rows. */
  readonly maxTilesPerPage?: number;
}

export interface WrittenSheet {
  readonly file: string;
  readonly sha256: string;
}

const BACKGROUND = { r: 246, g: 248, b: 250 };
/** Thumbnails decoded at once: both cores busy, and only a few full-size PNG decodes in memory. */
const THUMBNAIL_CONCURRENCY = 2;
/**
 * zlib effort for a page: a review picture, redrawn on every copy edit under pressroom dev; level 3
 * encodes a 1600×900 page in 30 ms where 6 takes 72, for 5 % more bytes.
 */
const SHEET_PNG_COMPRESSION = 3;
/** Pages drawn at once: each holds its raw canvas (1600×1000×3) and its tiles. */
const PAGE_CONCURRENCY = 2;

/**
 * Writes contact-sheet.png (and contact-sheet-2.png, ... when the tiles do not fit one page) into
 * `outDir`, then removes pages a previous, larger build left behind. Each page is one composite and
 * one PNG encode. Identical input gives identical bytes.
 */
export async function writeContactSheets(tiles: readonly (SheetTile & { readonly sha256?: string })[], options: ContactSheetOptions): Promise<WrittenSheet[]> {
  const pages = planSheets(tiles, options.maxTilesPerPage !== undefined ? { maxTilesPerPage: options.maxTilesPerPage } : {});
  // An empty build still replaces the old sheet, so nobody reviews last week's images.
  if (pages.length === 0) pages.push({ width: SHEET.minWidth, height: SHEET.pad * 2 + SHEET.title, tiles: [], headers: [] });
  const failed = tiles.filter((t) => !t.file).length;
  const summary = `${tiles.length} asset${tiles.length === 1 ? '' : 's'}${failed ? `, ${failed} failed` : ''}`;

  // Pages drawn two at a time (one PNG encode per core); unchanged pages this process drew are kept.
  const limit = pLimit(PAGE_CONCURRENCY);
  const written = await Promise.all(
    pages.map((page, i) =>
      limit(async (): Promise<WrittenSheet> => {
        const pageLabel = pages.length > 1 ? `page ${i + 1} of ${pages.length} · ` : '';
        const file = join(options.outDir, sheetFileName(i + 1));
        const recipe = pageRecipe(page, tiles, options.title, `${pageLabel}${summary}`, options.languages);
        const kept = await drawnPage(file, recipe);
        if (kept) return { file, sha256: kept };
        const png = await renderPage(page, tiles, options.title, `${pageLabel}${summary}`, options.languages);
        await writeOutputFile(file, png);
        const sha256 = createHash('sha256').update(png).digest('hex');
        rememberPage(file, recipe, sha256);
        return { file, sha256 };
      }),
    ),
  );
  await removeStalePages(options.outDir, pages.length);
  return written;
}

async function renderPage(page: SheetPage, tiles: readonly (SheetTile & { readonly sha256?: string })[], title: string, subtitle: string, languages: ReadonlyMap<string, string> | undefined): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height, pad } = { ...page, pad: SHEET.pad };
  const overlays: OverlayOptions[] = [];
  const heading = labelOverlay(title, { left: pad, top: pad }, { px: 22, colour: '#1F2328', maxWidth: (width - 2 * pad) * 0.7, weight: 700 });
  overlays.push(heading);
  const rest = width - 2 * pad - heading.raw.width - 16;
  if (rest > 40) overlays.push(labelOverlay(subtitle, { left: pad + heading.raw.width + 16, top: pad + 6 }, { px: 16, colour: '#57606A', maxWidth: rest }));
  for (const header of page.headers) overlays.push(...headerOverlays(header));

  const limit = pLimit(THUMBNAIL_CONCURRENCY);
  const cells = await Promise.all(
    page.tiles.map((at) =>
      limit(async () => {
        const tile = tiles[at.index]!;
        const language = languages?.get(tile.locale);
        return memoTile(tileKey(tile, at, language), async () => {
          const thumb = tile.file ? await loadThumbnail(tile.file, at.image.width, at.image.height) : undefined;
          return cellOverlays(tile, thumb, at, language);
        });
      }),
    ),
  );
  overlays.push(...cells.flat());

  return sharp({ create: { width, height, channels: 3, background: BACKGROUND } })
    .composite(overlays)
    .png({ compressionLevel: SHEET_PNG_COMPRESSION, adaptiveFiltering: false })
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
