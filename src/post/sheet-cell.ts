import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../image/sharp.js';
import { notoFonts } from '../compose/index.js';
import { labelOverlay } from './sheet-label.js';
import { renderBlock } from '../typeset/index.js';
import type { PlacedTile, SectionHeader } from './sheet-layout.js';

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

const INK = '#1F2328';
const MUTED = '#57606A';
const FAILED_FILL = { r: 253, g: 236, b: 236, alpha: 1 };
const FAILED_INK = '#B42318';
const FRAME = { r: 208, g: 215, b: 222, alpha: 1 };
/** Label sizes: the locale line, and the caption (the headline in its own script) on up to two lines. */
export const LABEL_PX = { locale: 13, caption: 14 } as const;
/** The caption starts this far under the locale line's top. */
export const CAPTION_TOP = 20;

interface Thumbnail {
  readonly input: Buffer;
  readonly raw: { readonly width: number; readonly height: number; readonly channels: 4 };
}

/**
 * The asset scaled into its place on the sheet (`width` x `height`, fitted). Resizing straight
 * from the file lets libvips shrink JPEG and WebP while decoding, so a 2048x2048 source never
 * sits in memory at full size. Returns the reason instead when the file cannot be read: one
 * broken asset must not sink the sheet.
 */
export async function loadThumbnail(file: string, width: number, height: number): Promise<Thumbnail | { readonly error: string }> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(file)
      .autoOrient()
      .resize(Math.max(1, width), Math.max(1, height), { fit: 'inside', withoutEnlargement: true })
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

/** Everything drawn for one placed tile: frame, picture or placeholder, labels. `language`: "German". */
export async function cellOverlays(tile: SheetTile, thumb: Thumbnail | { readonly error: string } | undefined, at: PlacedTile, language?: string): Promise<OverlayOptions[]> {
  const overlays: OverlayOptions[] = [];
  const error = thumb && 'error' in thumb ? thumb.error : tile.error;
  if (thumb && 'input' in thumb) {
    const { width: w, height: h } = thumb.raw;
    const left = at.x + Math.floor((at.cellWidth - w) / 2);
    // Stands on its label line, like every picture of the row.
    const top = at.rowTop + at.rowHeight - h;
    overlays.push({ input: { create: { width: w + 2, height: h + 2, channels: 4, background: FRAME } }, left: left - 1, top: top - 1 });
    overlays.push({ input: thumb.input, raw: thumb.raw, left, top });
  } else {
    overlays.push(...placeholder(tile, error ?? 'no asset', at));
  }

  // Labels go through the typesetter: every script it sets in an asset also reads on the sheet.
  const name = labelOverlay(language ? `${tile.locale} · ${language}` : tile.locale, { left: at.x, top: at.labelTop }, { px: LABEL_PX.locale, colour: INK, maxWidth: at.cellWidth, weight: 700 });
  overlays.push(name);
  if (tile.caption && tile.caption.trim() !== '') {
    const caption = renderBlock(tile.caption.trim().replace(/\s+/g, ' '), tile.locale, LABEL_PX.caption, INK, at.cellWidth, notoFonts(), { direction: tile.direction ?? 'ltr', maxLines: 2, lineHeight: 1.35 });
    overlays.push({ input: caption.data, raw: { width: caption.width, height: caption.height, channels: 4 }, left: at.x, top: at.labelTop + CAPTION_TOP });
  }
  return overlays;
}

/** The `variant · size  W×H` line over a section (cut to the section's width). */
export function headerOverlays(header: SectionHeader): OverlayOptions[] {
  const name = labelOverlay(`${header.variant} · ${header.size}${header.continued ? ' (continued)' : ''}`, { left: header.x, top: header.y }, { px: 14, colour: INK, maxWidth: header.span, weight: 700 });
  const overlays: OverlayOptions[] = [name];
  const room = header.span - name.raw.width - 10;
  if (room > 40) overlays.push(labelOverlay(`${header.width}×${header.height}`, { left: header.x + name.raw.width + 10, top: header.y + 1 }, { px: 13, colour: MUTED, maxWidth: room }));
  // A rule under the line groups the section's tiles when several share a row.
  overlays.push({ input: { create: { width: Math.max(1, header.span), height: 1, channels: 4, background: FRAME } }, left: header.x, top: header.y + 21 });
  return overlays;
}

/**
 * A failed cell: a red box shaped like the asset would have been (big enough for its message,
 * within the row), saying why it is empty. Set by the same engine as the captions, in the tile's
 * locale: a message quoting Thai copy reads as Thai.
 */
function placeholder(tile: SheetTile, error: string, at: PlacedTile): OverlayOptions[] {
  const width = Math.min(at.cellWidth, Math.max(140, at.image.width));
  const height = Math.min(Math.max(at.rowHeight, 60), Math.max(110, at.image.height));
  const left = at.x + Math.floor((at.cellWidth - width) / 2);
  const top = at.rowTop + at.rowHeight - height;
  const title = labelOverlay('FAILED', { left: left + 8, top: top + 6 }, { px: 13, colour: FAILED_INK, maxWidth: width - 16, weight: 700 });
  const messageTop = title.top + title.raw.height;
  const px = 13;
  const maxLines = Math.max(1, Math.floor((top + height - 8 - messageTop) / (px * 1.3)));
  const message = renderBlock(error.replace(/\s+/g, ' ').trim(), tile.locale, px, FAILED_INK, width - 16, notoFonts(), { direction: 'ltr', maxLines });
  const rows = Math.max(1, Math.min(message.height, top + height - 2 - messageTop));
  return [
    { input: { create: { width, height, channels: 4, background: { r: 180, g: 35, b: 24, alpha: 1 } } }, left, top },
    { input: { create: { width: width - 4, height: height - 4, channels: 4, background: FAILED_FILL } }, left: left + 2, top: top + 2 },
    title,
    { input: message.data.subarray(0, message.width * 4 * rows), raw: { width: message.width, height: rows, channels: 4 }, left: left + 8, top: messageTop },
  ];
}
