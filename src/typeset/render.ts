import { createCanvas } from '@napi-rs/canvas';
import { PressroomError } from '../core/errors.js';
import { loadSharp } from '../image/sharp.js';
import { backgroundContrast, chooseScrim, cssColour, MIN_CONTRAST, parseColour, type Rect, type Rgba } from './contrast.js';
import { describeFit, describeMissing, fitText, layoutFor, resolveStyle, type FitStyle, type Layout } from './fit.js';
import type { FontFace, FontLibrary } from './library.js';
import { directionOf } from './locale.js';
import { BLEED, fontString, type Direction } from './measure.js';

export interface LayerStyle extends FitStyle {
  /** Logical alignment: start is the right edge in right-to-left text. Default start. */
  readonly align?: 'start' | 'center' | 'end';
  /** Default top. */
  readonly valign?: 'top' | 'middle' | 'bottom';
  /** Text colour, `#rrggbb`. Default white. */
  readonly color?: string;
  /** `auto` (default): a scrim only where contrast is under 4.5:1; `none`; or a plate colour. */
  readonly background?: string;
}

export interface LayerSpec {
  /** Which string this is (`headline`), echoed in the result. */
  readonly field: string;
  readonly text: string;
  readonly locale: string;
  /** Default: the locale's (directionOf). */
  readonly direction?: Direction;
  /** Pixels in the image, already mirrored for right-to-left locales (see mirrorBox). */
  readonly box: Rect;
  readonly style: LayerStyle;
}

export interface LayerContrast {
  /** WCAG ratio of the text over what is finally behind it. */
  readonly ratio: number;
  /** Over the bare image. */
  readonly before: number;
  readonly treatment: 'none' | 'scrim' | 'plate';
}

export interface TypesetLayer {
  readonly field: string;
  readonly text: string;
  readonly fontFiles: readonly string[];
  readonly size: number;
  readonly lines: readonly string[];
  readonly box: Rect;
  /** Where the text's ink went, inside `box`. */
  readonly ink: Rect;
  readonly contrast: LayerContrast;
}

export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

export interface TypesetResult {
  /** PNG, or raw RGBA when `output: 'raw'`. */
  readonly image: Buffer;
  readonly width: number;
  readonly height: number;
  readonly layers: readonly TypesetLayer[];
}

/**
 * Draws each layer into the image, in order. A layer that does not fit its box at the minimum
 * size (E_COPYFIT), has a character no font draws (E_COVERAGE) or a box outside the image
 * (E_LAYOUT) is an error: validate reports these before anything is paid for, and drawing it
 * smaller, clipped or in tofu would ship wrong copy.
 */
export async function typeset(
  image: Buffer | RawImage,
  layers: readonly LayerSpec[],
  fonts: FontLibrary,
  options: { readonly output?: 'png' | 'raw' } = {},
): Promise<TypesetResult> {
  const { data, width, height } = await toRgba(image);
  const rgba = Buffer.from(data);
  const done = layers.map((layer) => drawLayer(rgba, width, height, layer, fonts));
  const out = options.output === 'raw' ? rgba : await (await loadSharp())(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer();
  return { image: out, width, height, layers: done };
}

async function toRgba(image: Buffer | RawImage): Promise<{ data: Buffer; width: number; height: number }> {
  if (!Buffer.isBuffer(image) && image.channels === 4) return image;
  const sharp = await loadSharp();
  const input = Buffer.isBuffer(image) ? sharp(image) : sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  const { data, info } = await input.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function drawLayer(rgba: Buffer, width: number, height: number, layer: LayerSpec, fonts: FontLibrary): TypesetLayer {
  const direction = layer.direction ?? directionOf(layer.locale);
  const { box } = layer;
  if (box.x < 0 || box.y < 0 || box.width <= 0 || box.height <= 0 || box.x + box.width > width || box.y + box.height > height) {
    throw new PressroomError(
      'E_LAYOUT',
      `${layer.locale} ${layer.field}: box ${box.width}×${box.height} at ${box.x},${box.y} is not inside the ${width}×${height} image`,
    );
  }
  const spec = { text: layer.text, locale: layer.locale, direction, box: layer.box, style: layer.style };
  const fit = fitText(spec, fonts);
  const missing = describeMissing(`${layer.locale} ${layer.field}`, fit.missing);
  if (missing) throw new PressroomError('E_COVERAGE', missing);
  const layout = layoutFor(spec, fit, fonts);
  if (!layout) {
    const where = `its ${Math.round(box.width)}×${Math.round(box.height)} box`;
    throw new PressroomError('E_COPYFIT', describeFit(`${layer.locale} ${layer.field}`, where, fit) ?? 'does not fit');
  }
  const colour = parseColour(layer.style.color ?? '#ffffff');
  const { faces } = fonts.select(layer.text, layer.locale, resolveStyle(layer.style).weight, layer.style.fonts);
  const placed = place(layout, layer, direction);
  const before = backgroundContrast(rgba, width, placed.rects, colour);
  const background = layer.style.background ?? 'auto';
  let scrim: Rgba | undefined;
  let contrast: LayerContrast = { ratio: before, before, treatment: 'none' };
  if (background === 'auto' && before < MIN_CONTRAST) {
    const chosen = chooseScrim(rgba, width, placed.rects, colour);
    scrim = chosen.scrim.rgba;
    contrast = { ratio: chosen.contrast, before, treatment: scrim[3] === 255 ? 'plate' : 'scrim' };
  } else if (background !== 'auto' && background !== 'none') {
    scrim = parseColour(background);
    contrast = { ratio: backgroundContrast(rgba, width, placed.rects, colour, { rgba: scrim }), before, treatment: 'plate' };
  }
  const pad = Math.round(layout.size * 0.3);
  const area = clampRect(
    { x: placed.ink.x - pad, y: placed.ink.y - pad, width: placed.ink.width + 2 * pad, height: placed.ink.height + 2 * pad },
    width,
    height,
  );
  const overlay = drawOverlay(area, layout, placed, faces, direction, colour, scrim);
  blendOver(rgba, width, overlay, area);
  return {
    field: layer.field,
    text: layer.text,
    fontFiles: fit.fontFiles,
    size: fit.size,
    lines: fit.lines,
    box: layer.box,
    ink: placed.ink,
    contrast: { ...contrast, ratio: round2(contrast.ratio), before: round2(contrast.before) },
  };
}

interface Placed {
  /** Pen position of each line (left anchor, baseline), in image pixels. */
  readonly pens: readonly { readonly x: number; readonly y: number }[];
  readonly rects: readonly Rect[];
  readonly ink: Rect;
}

/** Lines aligned in the box; right-to-left text swaps start and end. Integer pens keep output stable. */
export function place(layout: Layout, layer: Pick<LayerSpec, 'box' | 'style'>, direction: Direction): Placed {
  // Antialiasing reaches past the measured ink: keep a pixel clear inside each edge.
  const outer = layer.box;
  const box = { x: outer.x + BLEED, y: outer.y + BLEED, width: outer.width - 2 * BLEED, height: outer.height - 2 * BLEED };
  const logical = layer.style.align ?? 'start';
  const visual = logical === 'center' ? 'center' : (logical === 'start') === (direction === 'ltr') ? 'left' : 'right';
  const valign = layer.style.valign ?? 'top';
  const slackY = box.height - layout.height;
  const top = box.y + (valign === 'top' ? 0 : valign === 'middle' ? slackY / 2 : slackY) - layout.inkTop;
  const pens = layout.lines.map((l, i) => {
    const right = Math.max(l.advance, l.inkRight);
    const extent = l.inkLeft + right;
    const x = visual === 'left' ? box.x + l.inkLeft : visual === 'right' ? box.x + box.width - right : box.x + (box.width - extent) / 2 + l.inkLeft;
    return { x: Math.round(x), y: Math.round(top + layout.baselines[i]!) };
  });
  // Rounding the pens may push ink half a pixel past the box: nudge back inside.
  const inkTop = Math.min(...pens.map((p, i) => p.y - layout.lines[i]!.ascent));
  const inkBottom = Math.max(...pens.map((p, i) => p.y + layout.lines[i]!.descent));
  const dy = inkTop < box.y ? Math.ceil(box.y - inkTop) : inkBottom > box.y + box.height ? -Math.ceil(inkBottom - box.y - box.height) : 0;
  const nudged = pens.map((p, i) => {
    const l = layout.lines[i]!;
    const left = p.x - l.inkLeft;
    const right = p.x + Math.max(l.advance, l.inkRight);
    const dx = left < box.x ? Math.ceil(box.x - left) : right > box.x + box.width ? -Math.ceil(right - box.x - box.width) : 0;
    return { x: p.x + dx, y: p.y + dy };
  });
  const rects = layout.lines.map((l, i) => {
    const ascent = Math.max(l.ascent, layout.size * 0.7);
    const descent = Math.max(l.descent, layout.size * 0.2);
    return { x: nudged[i]!.x - l.inkLeft, y: nudged[i]!.y - ascent, width: l.inkLeft + Math.max(l.advance, l.inkRight), height: ascent + descent };
  });
  const x0 = Math.min(...rects.map((r) => r.x));
  const y0 = Math.min(...nudged.map((p, i) => p.y - layout.lines[i]!.ascent));
  const x1 = Math.max(...rects.map((r) => r.x + r.width));
  const y1 = Math.max(...nudged.map((p, i) => p.y + layout.lines[i]!.descent));
  return { pens: nudged, rects, ink: { x: Math.floor(x0), y: Math.floor(y0), width: Math.ceil(x1 - Math.floor(x0)), height: Math.ceil(y1 - Math.floor(y0)) } };
}

function drawOverlay(
  area: Rect,
  layout: Layout,
  placed: Placed,
  faces: readonly FontFace[],
  direction: Direction,
  colour: Rgba,
  scrim: Rgba | undefined,
): Uint8ClampedArray {
  const canvas = createCanvas(area.width, area.height);
  const ctx = canvas.getContext('2d');
  if (scrim) {
    ctx.fillStyle = cssColour(scrim);
    ctx.fillRect(0, 0, area.width, area.height);
  }
  ctx.font = fontString(faces, layout.size);
  ctx.direction = direction;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = cssColour(colour);
  layout.lines.forEach((l, i) => ctx.fillText(l.text, placed.pens[i]!.x - area.x, placed.pens[i]!.y - area.y));
  return ctx.getImageData(0, 0, area.width, area.height).data;
}

/** Source-over of a straight-alpha RGBA overlay onto the RGBA image, in place. */
export function blendOver(rgba: Buffer, imageWidth: number, overlay: Uint8ClampedArray, area: Rect): void {
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      const o = (y * area.width + x) * 4;
      const a = overlay[o + 3]! / 255;
      if (a === 0) continue;
      const i = ((area.y + y) * imageWidth + area.x + x) * 4;
      const under = rgba[i + 3]! / 255;
      const outA = a + under * (1 - a);
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round((overlay[o + c]! * a + rgba[i + c]! * under * (1 - a)) / outA);
      rgba[i + 3] = Math.round(outA * 255);
    }
  }
}

function clampRect(r: Rect, width: number, height: number): Rect {
  const x = Math.max(0, Math.floor(r.x));
  const y = Math.max(0, Math.floor(r.y));
  return { x, y, width: Math.max(1, Math.min(width, Math.ceil(r.x + r.width)) - x), height: Math.max(1, Math.min(height, Math.ceil(r.y + r.height)) - y) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
