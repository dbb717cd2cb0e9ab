import { readFile } from 'node:fs/promises';
import type { OverlayOptions } from 'sharp';
import { canonicalJson, sha256Hex } from '../core/hash.js';
import type { SheetTile } from './sheet-cell.js';
import type { PlacedTile, SheetPage } from './sheet-layout.js';

/**
 * What this process has drawn of contact sheets already: each tile's overlays by what it shows,
 * each page's file by the recipe of everything on it. A long-running process (`pressroom dev`)
 * then decodes and labels only the tiles a copy edit changed and redraws only the pages that show
 * them. Off unless such a process turns it on (`keepSheetsDrawn`): a one-shot build draws
 * everything once and keeps nothing. The bytes are the same either way: a page is a function of
 * its recipe. Bounded, oldest first out.
 */

/** The tiles' pixels kept at most (a 180-px tile with labels is some 150 KB). */
const MAX_TILE_BYTES = 96 * 1024 * 1024;

const tiles = new Map<string, { readonly overlays: OverlayOptions[]; readonly bytes: number }>();
let tileBytes = 0;
const pages = new Map<string, { readonly recipe: string; readonly sha256: string }>();
let enabled = false;

/** For a process that builds the same campaigns again and again: keep what was drawn. */
export function keepSheetsDrawn(): void {
  enabled = true;
}

/** A tile's identity on a page: its file's content, its labels and its place. Undefined without a content hash. */
export function tileKey(tile: SheetTile & { readonly sha256?: string }, at: PlacedTile, language: string | undefined): string | undefined {
  if (!enabled || tile.sha256 === undefined) return undefined;
  const { file: _file, ...shown } = tile;
  return sha256Hex(canonicalJson({ shown, at, language: language ?? null }));
}

const sizeOf = (overlays: readonly OverlayOptions[]) => overlays.reduce((n, o) => n + (Buffer.isBuffer(o.input) ? o.input.length : 0), 0);

/** The tile's overlays as drawn before, or drawn now and kept. */
export async function memoTile(key: string | undefined, draw: () => Promise<OverlayOptions[]>): Promise<OverlayOptions[]> {
  if (key === undefined) return draw();
  const hit = tiles.get(key);
  if (hit) {
    // Most recently used last: the Map's order is the eviction order.
    tiles.delete(key);
    tiles.set(key, hit);
    return hit.overlays;
  }
  const overlays = await draw();
  const bytes = sizeOf(overlays);
  tiles.set(key, { overlays, bytes });
  tileBytes += bytes;
  for (const [k, v] of tiles) {
    if (tileBytes <= MAX_TILE_BYTES) break;
    tiles.delete(k);
    tileBytes -= v.bytes;
  }
  return overlays;
}

/** Everything a page shows; undefined when a tile has no content hash (then it is always drawn). */
export function pageRecipe(page: SheetPage, all: readonly (SheetTile & { readonly sha256?: string })[], title: string, subtitle: string, languages: ReadonlyMap<string, string> | undefined): string | undefined {
  const shown = page.tiles.map((at) => all[at.index]!);
  if (!enabled || shown.some((t) => t.file !== undefined && t.sha256 === undefined)) return undefined;
  const tilesShown = shown.map(({ file: _file, ...t }, i) => ({ ...t, at: page.tiles[i], language: languages?.get(t.locale) ?? null }));
  return sha256Hex(canonicalJson({ width: page.width, height: page.height, headers: page.headers, tiles: tilesShown, title, subtitle }));
}

/** The sha256 of `file` when this process wrote it from `recipe` and it is still those bytes. */
export async function drawnPage(file: string, recipe: string | undefined): Promise<string | undefined> {
  const known = pages.get(file);
  if (recipe === undefined || known?.recipe !== recipe) return undefined;
  const bytes = await readFile(file).catch(() => undefined);
  return bytes && sha256Hex(bytes) === known.sha256 ? known.sha256 : undefined;
}

export function rememberPage(file: string, recipe: string | undefined, sha256: string): void {
  if (recipe === undefined) pages.delete(file);
  else pages.set(file, { recipe, sha256 });
}
