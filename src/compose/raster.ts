import type { LayerFile, PlacedImage, PlacedShape } from '../core/layers.js';
import type { PixelBox } from '../core/text.js';
import { loadSharp } from '../image/sharp.js';
import { imageRect } from './place.js';

/** Raw pixels: 8 bits a channel, rows top to bottom; what the encoder cuts and what layers draw into. */
export interface RawPixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
}

/** Straight-alpha RGBA pixels to lay over a frame at (x, y). */
export interface Overlay {
  readonly data: Buffer;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Vector art is drawn at this density per 72 dpi of scale: sharp renders an SVG at 72 dpi by default. */
const SVG_BASE_DPI = 72;
/** librsvg's own ceiling. */
const MAX_DENSITY = 100_000;

/**
 * An image layer's file drawn at the pixels its box gives it: an SVG rasterised at that size (never
 * a small bitmap scaled up), a PNG scaled down with lanczos3; both in sRGB with straight alpha.
 * `cover` keeps what falls inside the box.
 */
export async function imageOverlay(file: LayerFile, placed: PlacedImage): Promise<Overlay> {
  const sharp = await loadSharp();
  const { drawn, scale } = imageRect(file, placed);
  const input =
    file.format === 'svg' ? sharp(file.bytes, { density: Math.min(MAX_DENSITY, SVG_BASE_DPI * scale) }) : sharp(file.bytes);
  const raster = await input
    .resize(drawn.width, drawn.height, { fit: 'fill', kernel: 'lanczos3' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return crop({ data: raster.data, x: drawn.x, y: drawn.y, width: raster.info.width, height: raster.info.height }, placed.box);
}

/** A rectangle of colour (alpha included) with rounded corners, antialiased by librsvg. */
export async function shapeOverlay(placed: PlacedShape): Promise<Overlay> {
  const sharp = await loadSharp();
  const { box, radius } = placed;
  const hex = placed.color.slice(1, 7);
  const alpha = placed.color.length === 9 ? parseInt(placed.color.slice(7, 9), 16) / 255 : 1;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${box.width}" height="${box.height}"><rect width="${box.width}" height="${box.height}" rx="${radius}" ry="${radius}" fill="#${hex}" fill-opacity="${alpha.toFixed(4)}"/></svg>`;
  const raster = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: raster.data, x: box.x, y: box.y, width: raster.info.width, height: raster.info.height };
}

/** The part of an overlay inside `box` (a `cover` image larger than its box). */
function crop(o: Overlay, box: PixelBox): Overlay {
  const x0 = Math.max(o.x, box.x);
  const y0 = Math.max(o.y, box.y);
  const x1 = Math.min(o.x + o.width, box.x + box.width);
  const y1 = Math.min(o.y + o.height, box.y + box.height);
  if (x0 === o.x && y0 === o.y && x1 === o.x + o.width && y1 === o.y + o.height) return o;
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((y0 - o.y + y) * o.width + (x0 - o.x)) * 4;
    o.data.copy(data, y * width * 4, from, from + width * 4);
  }
  return { data, x: x0, y: y0, width, height };
}

/**
 * Source-over of a straight-alpha overlay onto RGBA pixels, in place, in integers (the same bytes
 * on every machine). Parts outside the frame are skipped.
 */
export function blendInto(frame: RawPixels & { readonly channels: 4 }, o: Overlay): void {
  const d = frame.data;
  for (let y = Math.max(0, -o.y); y < o.height && o.y + y < frame.height; y++) {
    for (let x = Math.max(0, -o.x); x < o.width && o.x + x < frame.width; x++) {
      const s = (y * o.width + x) * 4;
      const a = o.data[s + 3]!;
      if (a === 0) continue;
      const i = ((o.y + y) * frame.width + o.x + x) * 4;
      if (a === 255) {
        d[i] = o.data[s]!;
        d[i + 1] = o.data[s + 1]!;
        d[i + 2] = o.data[s + 2]!;
        d[i + 3] = 255;
        continue;
      }
      const under = (d[i + 3]! * (255 - a) + 127) / 255;
      const outA = a + under;
      for (let c = 0; c < 3; c++) d[i + c] = Math.round((o.data[s + c]! * a + d[i + c]! * under) / outA);
      d[i + 3] = Math.round(outA);
    }
  }
}
