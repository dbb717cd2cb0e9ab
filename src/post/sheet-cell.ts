import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../image/sharp.js';
import { labelOverlay, notoFonts } from './text-layers.js';
import { renderBlock } from '../typeset/index.js';

/** One asset on the contact sheet (see contact-sheet.ts). */
export interface SheetTile {
  /** Absolute path of the delivered asset; absent if the job failed. */
  readonly file?: string;
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  readonly width: number;
  readonly height: number;
  /** E.g. the headline, in its own script. */
  readonly caption?: string;
  readonly direction?: 'ltr' | 'rtl';
  /** Why the cell has no asset. */
  readonly error?: string;
}

/** Cell geometry in pixels: the asset is scaled to fit BOX x BOX, the labels sit under it. */
export const CELL = { box: 320, label: 72, labelGap: 8 } as const;

const INK = '#1F2328';
const MUTED = '#57606A';
const FAILED_FILL = { r: 253, g: 236, b: 236, alpha: 1 };
const FAILED_INK = '#B42318';
const FRAME = { r: 208, g: 215, b: 222, alpha: 1 };

interface Thumbnail {
  readonly input: Buffer;
  readonly raw: { readonly width: number; readonly height: number; readonly channels: 4 };
}

/**
 * The asset scaled into the cell box. Resizing straight from the file lets libvips shrink JPEG and
 * WebP while decoding, so a 2048x2048 source never sits in memory at full size.
 * Returns the reason instead when the file cannot be read: one broken asset must not sink the sheet.
 */
export async function loadThumbnail(file: string): Promise<Thumbnail | { readonly error: string }> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(file)
      .autoOrient()
      .resize(CELL.box, CELL.box, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { input: data, raw: { width: info.width, height: info.height, channels: 4 } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'asset file is missing' : 'asset file is not a readable image' };
  }
}

/** Everything drawn for one cell whose top-left corner is (x, y): frame, image or placeholder, labels. */
export async function cellOverlays(tile: SheetTile, thumb: Thumbnail | { readonly error: string } | undefined, x: number, y: number): Promise<OverlayOptions[]> {
  const overlays: OverlayOptions[] = [];
  const error = thumb && 'error' in thumb ? thumb.error : tile.error;
  if (thumb && 'input' in thumb) {
    const { width: w, height: h } = thumb.raw;
    const left = x + Math.floor((CELL.box - w) / 2);
    // Sits on its label: a wide banner would otherwise float far above it.
    const top = y + CELL.box - h;
    overlays.push({ input: { create: { width: w + 2, height: h + 2, channels: 4, background: FRAME } }, left: left - 1, top: top - 1 });
    overlays.push({ input: thumb.input, raw: thumb.raw, left, top });
  } else {
    overlays.push(...placeholder(tile, error ?? 'no asset', x, y));
  }

  // Labels go through the typesetter: every script it sets in an asset also reads on the sheet.
  const labelTop = y + CELL.box + CELL.labelGap;
  const ids = labelOverlay(`${tile.variant} · ${tile.locale} · ${tile.size}`, { left: x, top: labelTop }, { px: 13, colour: INK, maxWidth: CELL.box - 90, weight: 700 });
  overlays.push(ids);
  const dims = labelOverlay(`${tile.width}×${tile.height}`, { left: ids.left + ids.raw.width + 8, top: labelTop }, { px: 13, colour: MUTED, maxWidth: 82 });
  if (dims.left + dims.raw.width <= x + CELL.box) overlays.push(dims);

  if (tile.caption && tile.caption.trim() !== '') {
    const direction = tile.direction ?? 'ltr';
    const caption = tile.caption.trim().replace(/\s+/g, ' ');
    const style = { locale: tile.locale, px: 15, colour: INK, maxWidth: CELL.box, direction };
    overlays.push(labelOverlay(caption, direction === 'rtl' ? { left: x, right: x + CELL.box, top: labelTop + 24 } : { left: x, top: labelTop + 24 }, style));
  }
  return overlays;
}

/**
 * A failed cell: a red box shaped like the asset would have been, saying why it is empty. Set by
 * the same engine as the captions, in the tile's locale: a message quoting Thai copy reads as Thai.
 */
function placeholder(tile: SheetTile, error: string, x: number, y: number): OverlayOptions[] {
  const scale = Math.min(1, CELL.box / Math.max(1, tile.width), CELL.box / Math.max(1, tile.height));
  // At least big enough to hold the message, even for a thin banner.
  const w = Math.max(160, Math.round(Math.max(1, tile.width) * scale));
  const h = Math.max(120, Math.round(Math.max(1, tile.height) * scale));
  const width = Math.min(CELL.box, w);
  const height = Math.min(CELL.box, h);
  const left = x + Math.floor((CELL.box - width) / 2);
  const top = y + CELL.box - height;
  const title = labelOverlay('FAILED', { left: left + 10, top: top + 8 }, { px: 13, colour: FAILED_INK, maxWidth: width - 20, weight: 700 });
  const messageTop = title.top + title.raw.height;
  const px = 13;
  const maxLines = Math.max(1, Math.floor((top + height - 10 - messageTop) / (px * 1.3)));
  const message = renderBlock(error.replace(/\s+/g, ' ').trim(), tile.locale, px, FAILED_INK, width - 20, notoFonts(), { direction: 'ltr', maxLines });
  const rows = Math.min(message.height, top + height - 2 - messageTop);
  return [
    { input: { create: { width: width, height: height, channels: 4, background: { r: 180, g: 35, b: 24, alpha: 1 } } }, left, top },
    { input: { create: { width: width - 4, height: height - 4, channels: 4, background: FAILED_FILL } }, left: left + 2, top: top + 2 },
    title,
    { input: message.data.subarray(0, message.width * 4 * rows), raw: { width: message.width, height: rows, channels: 4 }, left: left + 10, top: messageTop },
  ];
}
