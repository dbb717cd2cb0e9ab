import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';

export type Direction = 'ltr' | 'rtl';

/** One font file as the engine uses it. */
export interface FontFace {
  /** What reports and manifests show: `@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf`, or the brand font's path as the campaign wrote it. */
  readonly name: string;
  /** Absolute path (never reported). */
  readonly file: string;
  /** Family name the file is registered under with Skia: unique per file, so nothing else can shadow it. */
  readonly family: string;
}

/** One line's horizontal and vertical extents at a size, relative to a left-anchored pen at the baseline. */
export interface LineMetrics {
  readonly text: string;
  /** Advance width. */
  readonly advance: number;
  /** Ink left of the pen (≥ 0): the first glyph's overhang that logical extents miss. */
  readonly inkLeft: number;
  /** Right edge of the ink, from the pen. */
  readonly inkRight: number;
  /** Ink above and below the baseline. */
  readonly ascent: number;
  readonly descent: number;
}

/** Pixels of antialiasing that may lie past the measured ink on each side. */
export const BLEED = 1;

/** Space the line takes: from its leftmost ink or pen position to its rightmost ink or advance. */
export const lineExtent = (m: LineMetrics): number => m.inkLeft + Math.max(m.advance, m.inkRight);

/**
 * The weight was chosen by picking files: every face is alone in its family, and asking for its
 * regular weight keeps Skia from emboldening a regular brand font synthetically (it would for 600+).
 */
export function fontString(faces: readonly FontFace[], size: number): string {
  return `400 ${size}px ${faces.map((f) => `"${f.family}"`).join(', ')}`;
}

/**
 * Skia's advances and glyph bounds scale linearly with size (no hinting), so every line is shaped
 * once at a reference size and scaled: a copy-fit search over sizes costs one shaping per
 * distinct line, and validate runs thousands of them without rendering anything.
 */
const REFERENCE = 100;

export interface Measurer {
  measure(line: string, faces: readonly FontFace[], size: number, direction: Direction): LineMetrics;
}

export function createMeasurer(): Measurer {
  const ctx: SKRSContext2D = createCanvas(1, 1).getContext('2d');
  ctx.textAlign = 'left';
  const cache = new Map<string, Omit<LineMetrics, 'text'>>();
  return {
    measure(line, faces, size, direction) {
      const font = fontString(faces, REFERENCE);
      const key = `${direction}\u0000${font}\u0000${line}`;
      let ref = cache.get(key);
      if (!ref) {
        if (cache.size > 100_000) cache.clear();
        ref = exact(ctx, line, font, direction);
        cache.set(key, ref);
      }
      const k = size / REFERENCE;
      return {
        text: line,
        advance: ref.advance * k,
        inkLeft: ref.inkLeft * k,
        inkRight: ref.inkRight * k,
        ascent: ref.ascent * k,
        descent: ref.descent * k,
      };
    },
  };
}

/** Measures with the same context settings the renderer draws with. */
export function exact(ctx: SKRSContext2D, line: string, font: string, direction: Direction): Omit<LineMetrics, 'text'> {
  ctx.font = font;
  ctx.direction = direction;
  ctx.textAlign = 'left';
  const m = ctx.measureText(line);
  return {
    advance: m.width,
    inkLeft: Math.max(0, m.actualBoundingBoxLeft),
    inkRight: m.actualBoundingBoxRight,
    ascent: Math.max(0, m.actualBoundingBoxAscent),
    descent: Math.max(0, m.actualBoundingBoxDescent),
  };
}
