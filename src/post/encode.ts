import type { OutputFormat } from '../core/campaign.js';
import { errorOf } from '../core/errors.js';
import { loadSharp } from '../image/sharp.js';
import type { RawPixels } from '../compose/index.js';

/**
 * Encoding a delivered file: sRGB with the sRGB ICC profile embedded (no other metadata: no EXIF,
 * no provider comments), and, under a byte cap, the best quality that fits. The search is over a
 * fixed ladder (lossy formats: quality by bisection down to the format's floor; PNG: lossless,
 * then palettes), so the same pixels give the same bytes on every run. What does not fit at the
 * floor is an error: a file over its cap is never written.
 */

/** Moderate: level 9 takes several times as long for a few percent on photographic images. */
const PNG_COMPRESSION = 6;
/** The least quality a byte cap may push a lossy format to: below it the picture visibly breaks up. */
export const QUALITY_FLOOR: Readonly<Record<Exclude<OutputFormat, 'png'>, number>> = { jpeg: 50, webp: 50, avif: 40 };

export interface EncodeTarget {
  readonly format: OutputFormat;
  /** 1-100 (PNG: ignored without a cap). */
  readonly quality: number;
  readonly maxBytes?: number | undefined;
}

/** One way of writing a PNG, from lossless to the fewest colours a byte cap may go to. */
interface PngStep {
  readonly label: string;
  readonly options: Record<string, unknown>;
}
const PNG_LADDER: readonly PngStep[] = [
  { label: 'lossless', options: { compressionLevel: PNG_COMPRESSION, adaptiveFiltering: false } },
  { label: 'lossless, compression 9', options: { compressionLevel: 9, adaptiveFiltering: true } },
  ...[100, 90, 80, 70].map((quality) => ({ label: `256-colour palette at quality ${quality}`, options: { palette: true, colours: 256, quality, effort: 10, dither: 1, compressionLevel: 9 } })),
  { label: '128-colour palette', options: { palette: true, colours: 128, quality: 60, effort: 10, dither: 1, compressionLevel: 9 } },
  { label: '64-colour palette (the floor)', options: { palette: true, colours: 64, quality: 50, effort: 10, dither: 1, compressionLevel: 9 } },
];

/** Encodes raw pixels; under `maxBytes`, the best step that fits, or E_BYTE_CAP naming what the floor gave. */
export async function encodeWithin(raw: RawPixels, target: EncodeTarget, hasAlpha: boolean, shown: string): Promise<Buffer> {
  const cap = target.maxBytes;
  if (target.format === 'png') {
    const steps = cap === undefined ? PNG_LADDER.slice(0, 1) : PNG_LADDER;
    let smallest = Infinity;
    for (const step of steps) {
      const data = await encodeOnce(raw, target.format, target.quality, hasAlpha, step.options);
      if (cap === undefined || data.length <= cap) return data;
      smallest = Math.min(smallest, data.length);
    }
    throw errorOf('E_BYTE_CAP', { file: shown, format: 'png', floor: PNG_LADDER.at(-1)!.label, bytes: smallest, maxBytes: cap! });
  }
  const at = (q: number, fast = false) => encodeOnce(raw, target.format, q, hasAlpha, {}, fast);
  if (cap === undefined) return at(target.quality);
  // AVIF's full effort takes seconds a frame: the search runs at a fast effort, and the file is
  // written at full effort once, where that fits too (it is smaller at the same quality as a rule).
  const fast = target.format === 'avif';
  const finish = async (q: number, fitting: Buffer) => {
    if (!fast) return fitting;
    const full = await at(q);
    return full.length <= cap ? full : fitting;
  };
  const first = await at(target.quality, fast);
  if (first.length <= cap) return finish(target.quality, first);
  const floor = Math.min(QUALITY_FLOOR[target.format], target.quality);
  let best = await at(floor, fast);
  if (best.length > cap) {
    const full = fast ? await at(floor) : best;
    if (full.length > cap) throw errorOf('E_BYTE_CAP', { file: shown, format: target.format, floor: `quality ${floor}`, bytes: full.length, maxBytes: cap });
    return full;
  }
  // The largest quality that fits, by bisection between the floor (fits) and the asked quality (does not).
  let lo = floor;
  let hi = target.quality - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const data = await at(mid, fast);
    if (data.length <= cap) {
      lo = mid;
      best = data;
    } else hi = mid - 1;
  }
  return finish(lo, best);
}

/** AVIF's effort: the full one for files, a fast one for the byte-cap search (8 times faster at 1920×1080). */
const AVIF_EFFORT = 4;
const AVIF_SEARCH_EFFORT = 2;

async function encodeOnce(raw: RawPixels, format: OutputFormat, quality: number, hasAlpha: boolean, png: Record<string, unknown> = {}, fast = false): Promise<Buffer> {
  const sharp = await loadSharp();
  // Raw input is sRGB; the profile says so to every reader (browsers, ad servers, print previews).
  let pipeline = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  if (!hasAlpha && raw.channels === 4) pipeline = pipeline.removeAlpha();
  pipeline = pipeline.withIccProfile('srgb');
  switch (format) {
    case 'png':
      return pipeline.png(png).toBuffer();
    case 'jpeg':
      // JPEG has no alpha: a transparent source becomes white, as it would on a page.
      return (hasAlpha ? pipeline.flatten({ background: '#ffffff' }) : pipeline).jpeg({ quality, mozjpeg: false }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality, effort: 4 }).toBuffer();
    case 'avif':
      return pipeline.avif({ quality, effort: fast ? AVIF_SEARCH_EFFORT : AVIF_EFFORT }).toBuffer();
  }
}
