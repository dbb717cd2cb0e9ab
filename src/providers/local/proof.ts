import { createHash } from 'node:crypto';
import type { OverlayOptions } from 'sharp';
import { loadSharp } from '../../image/sharp.js';
import { notoFonts } from '../../compose/index.js';
import { renderBlock, type Label, type MissingChar } from '../../typeset/index.js';

/** What a proof shows; plain data so the local provider and tests can build one without a request. */
export interface ProofSpec {
  /** Seeds the background colours: the request's content hash, so equal requests look equal. */
  readonly key: string;
  readonly width: number;
  readonly height: number;
  readonly headline: string;
  readonly copy: string;
  readonly direction: 'ltr' | 'rtl';
  /** Locale tag: picks the fonts (the Han variant, the script's own face) and the line breaks. */
  readonly locale: string;
  /** Small print: ids, model, prompt. Always set left to right, in at most three lines. */
  readonly smallPrint: readonly string[];
  readonly quality?: number;
}

type Rgb = readonly [number, number, number];

const WHITE = '#FFFFFF';
/** White at 78 %: small print recedes behind the copy. */
const SMALL_INK = '#FFFFFFC7';
const LINE_HEIGHT = 1.3;
const SMALL_PRINT_LINES = 3;

/** One block of type on a proof: where it goes and what it says. */
export interface ProofBlock {
  readonly field: 'headline' | 'copy' | 'smallPrint';
  readonly label: Label;
  readonly left: number;
  readonly top: number;
  /** The lines drawn, cut with an ellipsis where the proof had no room. */
  readonly lines: readonly string[];
  /** Characters no font draws (they show as boxes). */
  readonly missing: readonly MissingChar[];
}

/**
 * Where the proof's type goes: small print at the bottom, headline and copy from the top down
 * to it. The type comes from the engine that sets copy layers, so every script a campaign can
 * deliver also reads on its proofs; text too long for the proof is cut, never an error.
 */
export function proofLayout(spec: ProofSpec): readonly ProofBlock[] {
  const { width, height } = spec;
  const short = Math.min(width, height);
  const margin = Math.round(short * 0.06);
  const boxWidth = width - 2 * margin;
  const headlineSize = Math.max(14, Math.round(short * 0.085));
  const copySize = Math.max(10, Math.round(headlineSize * 0.5));
  // Small print follows the area rather than the short side, or a wide banner's would be unreadable.
  const smallSize = Math.max(9, Math.round(Math.sqrt(width * height) * 0.016));
  const fonts = notoFonts();
  const linesIn = (space: number, size: number) => Math.floor(space / (size * LINE_HEIGHT));
  const blocks: ProofBlock[] = [];
  const add = (field: ProofBlock['field'], block: ReturnType<typeof renderBlock>, top: number) => {
    // Ink reaching a pixel or two past the last line box must not reach past the image.
    const rows = Math.min(block.height, height - top);
    const label: Label = { data: block.data.subarray(0, block.width * 4 * rows), width: block.width, height: rows, channels: 4 };
    if (rows > 0) blocks.push({ field, label, left: margin, top, lines: block.lines, missing: block.missing });
  };

  const small = spec.smallPrint.map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l !== '');
  let smallTop = height - margin;
  const smallLines = Math.min(SMALL_PRINT_LINES, linesIn(height - 2 * margin, smallSize));
  if (small.length > 0 && smallLines > 0) {
    const block = renderBlock(small.join('\n'), spec.locale, smallSize, SMALL_INK, boxWidth, fonts, { direction: 'ltr', maxLines: smallLines, lineHeight: LINE_HEIGHT });
    smallTop = Math.max(margin, height - margin - block.height);
    add('smallPrint', block, smallTop);
  }
  let top = margin;
  for (const [field, content, size, weight] of [
    ['headline', spec.headline, headlineSize, 700],
    ['copy', spec.copy, copySize, 400],
  ] as const) {
    const maxLines = linesIn(smallTop - top, size);
    if (content.trim() === '' || maxLines < 1) continue;
    // A headline too long for the proof is cut above the small print rather than running over it.
    const block = renderBlock(content.trim(), spec.locale, size, WHITE, boxWidth, fonts, { weight, direction: spec.direction, maxLines, lineHeight: LINE_HEIGHT });
    add(field, block, top);
    top += block.height + Math.round(copySize * 0.8);
  }
  return blocks;
}

/**
 * A JPEG placeholder at exactly `width` x `height`: a gradient picked from the key, the headline and
 * copy set in type, and small print naming the cell (see proofLayout). Same spec, same bytes.
 */
export async function renderProof(spec: ProofSpec): Promise<Buffer> {
  const sharp = await loadSharp();
  const { width, height } = spec;
  const overlays: OverlayOptions[] = proofLayout(spec).map(({ label, left, top }) => ({
    input: label.data,
    raw: { width: label.width, height: label.height, channels: 4 },
    left,
    top,
  }));
  const [from, to] = paletteFor(spec.key);
  return sharp(gradient(width, height, from, to, directionFor(spec.key)), { raw: { width, height, channels: 3 } })
    .composite(overlays)
    .jpeg({ quality: spec.quality ?? 88, mozjpeg: false })
    .toBuffer();
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
