import { createHash } from 'node:crypto';
import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../../image/sharp.js';
import { fontDescription } from '../../image/fonts.js';
import { clipText, escapeMarkup, renderText, truncate, type RenderedText } from '../../image/text.js';

/** What a proof shows; plain data so the local provider and tests can build one without a request. */
export interface ProofSpec {
  /** Seeds the background colours: the request's content hash, so equal requests look equal. */
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly headline: string;
  readonly copy: string;
  readonly direction: 'ltr' | 'rtl';
  /** Locale tag, to pick the right CJK face. */
  readonly locale: string;
  /** Small print: ids, model, prompt. Always set left to right. */
  readonly smallPrint: readonly string[];
  readonly quality?: number;
}

type Rgb = readonly [number, number, number];

/**
 * A JPEG placeholder at exactly `width` x `height`: a gradient picked from the key, the headline and
 * copy set in type, and small print naming the cell. Same spec, same bytes.
 */
export async function renderProof(spec: ProofSpec): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height } = spec;
  const short = Math.min(width, height);
  const margin = Math.round(short * 0.06);
  const boxWidth = width - 2 * margin;
  const headlineSize = Math.max(14, Math.round(short * 0.085));
  const copySize = Math.max(10, Math.round(headlineSize * 0.5));
  // Small print follows the area rather than the short side, or a wide banner's would be unreadable.
  const smallSize = Math.max(9, Math.round(Math.sqrt(width * height) * 0.016));
  const align = spec.direction === 'rtl' ? 'right' : 'left';

  const blocks: { text: RenderedText; top: number; maxHeight: number; align: 'left' | 'right' }[] = [];
  let top = margin;
  const bottomLimit = height - margin;

  const small = spec.smallPrint.filter((line) => line.trim() !== '');
  let smallTop = bottomLimit;
  if (small.length > 0) {
    const markup = `<span foreground="#FFFFFF" fgalpha="78%">${small.map((l) => escapeMarkup(truncate(l, 200))).join('\n')}</span>`;
    const text = await renderText({ markup, font: fontDescription(smallSize, { locale: spec.locale }), width: boxWidth, align: 'left' }, 'ltr');
    smallTop = Math.max(margin, bottomLimit - text.raw.height);
    blocks.push({ text, top: smallTop, maxHeight: height - smallTop, align: 'left' });
  }
  for (const [content, size, bold] of [
    [spec.headline, headlineSize, true],
    [spec.copy, copySize, false],
  ] as const) {
    if (content.trim() === '' || top >= smallTop) continue;
    const markup = `<span foreground="#FFFFFF">${escapeMarkup(truncate(content, charBudget(boxWidth, smallTop - top, size)))}</span>`;
    const text = await renderText({ markup, font: fontDescription(size, { bold, locale: spec.locale }), width: boxWidth, align }, spec.direction);
    // A headline too long for the proof is cut off above the small print rather than running over it.
    blocks.push({ text, top, maxHeight: smallTop - top, align });
    top += text.raw.height + Math.round(copySize * 0.8);
  }

  const overlays: OverlayOptions[] = blocks.map(({ text, top: y, maxHeight, align: a }) => {
    const fitted = clipText(text, boxWidth, maxHeight);
    const left = a === 'right' ? margin + boxWidth - fitted.raw.width : margin;
    return { input: fitted.input, raw: fitted.raw, left, top: y };
  });

  const [from, to] = paletteFor(spec.key);
  return sharp(gradient(width, height, from, to, directionFor(spec.key)), { raw: { width, height, channels: 3 } })
    .composite(overlays)
    .jpeg({ quality: spec.quality ?? 88, mozjpeg: false })
    .toBuffer();
}

/**
 * About twice the characters that fit the space (narrow Latin fills it at ~1.3x, CJK at ~0.7x):
 * enough to fill it, and a bound on the rendered height, since Pango cannot draw text taller
 * than 32767 px and a runaway headline would otherwise fail the job.
 */
function charBudget(width: number, height: number, size: number): number {
  return Math.min(600, Math.max(1, Math.ceil(1.5 * (width / size) * (height / size))));
}

function keyBytes(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** Two dark-to-mid colours from the key, far enough apart in hue to read as a gradient; white type stays legible. */
export function paletteFor(key: string): [Rgb, Rgb] {
  const b = keyBytes(key);
  const hue = (b[0]! * 256 + b[1]!) % 360;
  const shift = 40 + (b[2]! % 100);
  return [dim(hsl(hue, 0.55, 0.3 + (b[3]! % 10) / 100)), dim(hsl((hue + shift) % 360, 0.6, 0.42 + (b[4]! % 10) / 100))];
}

/** Yellows and greens are bright at any HSL lightness: scale them down until white type reads on them. */
function dim(rgb: Rgb): Rgb {
  const luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  const max = 120;
  if (luminance <= max) return rgb;
  const f = max / luminance;
  return [Math.round(rgb[0] * f), Math.round(rgb[1] * f), Math.round(rgb[2] * f)];
}

function directionFor(key: string): number {
  return keyBytes(key)[5]! % 4;
}

function hsl(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/**
 * Raw RGB gradient. Written directly rather than drawn as SVG: at 2048x2048 a byte loop is cheaper
 * than rasterising, and integer arithmetic keeps it identical everywhere.
 * Direction 0-3: left to right, top to bottom, and the two diagonals.
 */
function gradient(width: number, height: number, from: Rgb, to: Rgb, direction: number): Buffer {
  const steps = 256;
  const ramp = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) {
    for (let ch = 0; ch < 3; ch++) ramp[i * 3 + ch] = Math.round(from[ch]! + ((to[ch]! - from[ch]!) * i) / (steps - 1));
  }
  const out = Buffer.allocUnsafe(width * height * 3);
  const wx = direction === 1 ? 0 : direction === 0 ? 2 : 1;
  const wy = direction === 0 ? 0 : direction === 1 ? 2 : 1;
  const flipX = direction === 3;
  const span = wx * (width - 1) + wy * (height - 1) || 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = Math.floor(((wx * (flipX ? width - 1 - x : x) + wy * y) * (steps - 1)) / span) * 3;
      out[o++] = ramp[i]!;
      out[o++] = ramp[i + 1]!;
      out[o++] = ramp[i + 2]!;
    }
  }
  return out;
}
