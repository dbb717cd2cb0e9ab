import { createCanvas, ImageData, type SKRSContext2D } from '@napi-rs/canvas';
import { errorOf } from '../core/errors.js';
import type { TypesetLayerEntry } from '../core/text.js';
import { chooseTreatment, cssColour, parseColour, type RawImage, type Rect, type Rgba, type Treatment } from './contrast.js';
import { layoutFor, type FitResult, type FitStyle, type Layout } from './fit.js';
import { fitLayers } from './hierarchy.js';
import type { FontLibrary } from './library.js';
import { directionOf, langOf } from './locale.js';
import { coverageFacts, fitFacts } from './messages.js';
import { BLEED, setContext, type Direction } from './measure.js';

export interface LayerStyle extends FitStyle {
  /** Logical alignment: start is the right edge in right-to-left text. Default start. */
  readonly align?: 'start' | 'center' | 'end';
  /** Default top. */
  readonly valign?: 'top' | 'middle' | 'bottom';
  /** Text colour, `#rrggbb`. Default white. */
  readonly color?: string;
  /** `auto` (default): a scrim only where contrast is under 4.5:1; `none`; or a plate colour. */
  readonly background?: string;
  /** At least this many times the size of every later layer of the asset (the headline's default is 1). */
  readonly minRatio?: number;
  /** A button behind the text (instead of `background`): contrast is measured against it. */
  readonly plate?: PlateSpec;
}

/** A rounded rectangle around the set text: padding in times the font size, radius px or a fraction of its height. */
export interface PlateSpec {
  readonly color: string;
  readonly radius: { readonly px: number } | { readonly fraction: number };
  readonly padding: { readonly x: number; readonly y: number };
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
  /**
   * Where `background: auto` reads the image: the box, and for a mirrored layer the mirrored box
   * too, so every locale of a row gets one treatment. Default: the box.
   */
  readonly regions?: readonly Rect[];
}

/** What the typesetter drew for one layer; the manifest records its projection, `TypesetLayerEntry` (see `layerEntry`). */
export interface TypesetLayer {
  readonly field: string;
  readonly text: string;
  readonly fontFiles: readonly string[];
  readonly size: number;
  readonly lines: readonly string[];
  readonly box: Rect;
  /** Where the text's ink went, inside `box`. */
  readonly ink: Rect;
  readonly contrast: { readonly ratio: number; readonly before: number; readonly treatment: Treatment['kind'] };
  /** The plate drawn behind the text, when the layer has one. */
  readonly plate?: Rect;
}

/**
 * A drawn layer as the manifest reports it: the one projection of `TypesetLayer` onto core's
 * `TypesetLayerEntry` (the fonts that drew it, the final size and lines, the contrast reached and
 * the treatment that reached it; not the ink box or the contrast before, which only tests read).
 */
export function layerEntry(l: TypesetLayer): TypesetLayerEntry {
  return { field: l.field, text: l.text, fonts: l.fontFiles, size: l.size, lines: l.lines, box: l.box, contrast: l.contrast.ratio, treatment: l.contrast.treatment, ...(l.plate ? { plate: l.plate } : {}) };
}

export interface TypesetResult {
  /** The input image, drawn into in place. */
  readonly image: RawImage;
  readonly layers: readonly TypesetLayer[];
}

/**
 * Draws the layers of one asset into its RGBA pixels, in place. The layers are fitted together
 * (fitLayers keeps the headline at least as large as the copy). A layer that does not fit its box
 * at its minimum size (E_COPYFIT), has a character no font draws (E_COVERAGE) or a box outside the
 * image (E_LAYOUT) is an error: validate reports these before anything is paid for, and drawing it
 * smaller, clipped or in tofu would ship wrong copy. Skia composites; only the rows under the
 * text are copied out of the frame and back.
 */
export function typeset(image: RawImage, layers: readonly LayerSpec[], fonts: FontLibrary, options: { readonly fits?: readonly FitResult[] } = {}): TypesetResult {
  const { width, height } = image;
  for (const layer of layers) {
    const { box } = layer;
    if (box.x < 0 || box.y < 0 || box.width <= 0 || box.height <= 0 || box.x + box.width > width || box.y + box.height > height) {
      throw errorOf('E_LAYOUT', { label: `${layer.locale} ${layer.field}`, box, width, height });
    }
  }
  const specs = layers.map((l) => ({ text: l.text, locale: l.locale, direction: l.direction ?? directionOf(l.locale), box: l.box, style: l.style }));
  // Fits made with the asset's other text layers (drawn in separate runs between image layers) keep their hierarchy.
  const fits =
    options.fits ??
    fitLayers(
      layers.map((l, i) => ({ field: l.field, spec: specs[i]!, ...(l.style.minRatio !== undefined ? { minRatio: l.style.minRatio } : {}) })),
      fonts,
    );
  const done = layers.map((layer, i): TypesetLayer => {
    const fit = fits[i]!;
    const label = `${layer.locale} ${layer.field}`;
    const missing = coverageFacts(label, fit.missing);
    if (missing) throw errorOf('E_COVERAGE', missing);
    const layout = layoutFor(specs[i]!, fit, fonts);
    // A layout only fails for copy that does not fit: its facts say why.
    if (!layout) throw errorOf('E_COPYFIT', fitFacts(label, `its ${Math.round(layer.box.width)}×${Math.round(layer.box.height)} box`, fit) ?? { label, box: 'its box', size: fit.size, reason: 'lines', needLines: fit.needLines, holdsLines: fit.holdsLines });
    const direction = specs[i]!.direction;
    const colour = parseColour(layer.style.color ?? '#ffffff');
    const placed = place(layout, layer, direction);
    const plate = layer.style.plate ? plateRect(layout, placed, layer.box, layer.style.plate) : undefined;
    const treatment = plate
      ? chooseTreatment(image, [plate.rect], colour, layer.style.plate!.color)
      : chooseTreatment(image, layer.regions ?? [layer.box], colour, layer.style.background ?? 'auto');
    draw(image, layer, layout, placed, colour, treatment, plate);
    return {
      field: layer.field,
      text: layer.text,
      fontFiles: fit.fontFiles,
      size: fit.size,
      lines: layout.lines.map((l) => l.text),
      box: layer.box,
      ink: placed.ink,
      contrast: { ratio: round2(treatment.ratio), before: round2(treatment.before), treatment: treatment.kind },
      ...(plate ? { plate: plate.rect } : {}),
    };
  });
  return { image, layers: done };
}

export interface Placed {
  /** Pen position of each line (left anchor, baseline), in image pixels. */
  readonly pens: readonly { readonly x: number; readonly y: number }[];
  readonly ink: Rect;
}

/** Lines aligned in the box, inside its inset; right-to-left text swaps start and end. Integer pens keep output stable. */
export function place(layout: Layout, layer: Pick<LayerSpec, 'box' | 'style'>, direction: Direction): Placed {
  // Antialiasing reaches past the measured ink: keep a pixel clear inside each edge.
  const padX = BLEED + layout.inset;
  const padY = BLEED + layout.insetY;
  const outer = layer.box;
  const box = { x: outer.x + padX, y: outer.y + padY, width: outer.width - 2 * padX, height: outer.height - 2 * padY };
  const logical = layer.style.align ?? 'start';
  const visual = logical === 'center' ? 'center' : (logical === 'start') === (direction === 'ltr') ? 'left' : 'right';
  const valign = layer.style.valign ?? 'top';
  const slackY = box.height - layout.height;
  const top = box.y + (valign === 'top' ? 0 : valign === 'middle' ? slackY / 2 : slackY);
  const pens = layout.lines.map((l, i) => {
    const right = Math.max(l.advance, l.inkRight);
    const extent = l.inkLeft + right;
    const x = visual === 'left' ? box.x + l.inkLeft : visual === 'right' ? box.x + box.width - right : box.x + (box.width - extent) / 2 + l.inkLeft;
    return { x: Math.round(x), y: Math.round(top + layout.baselines[i]!) };
  });
  // Rounding the pens may push ink half a pixel past the box: nudge back inside.
  const extentOf = (ps: typeof pens) => ({
    top: Math.min(...ps.map((p, i) => p.y - layout.lines[i]!.ascent)),
    bottom: Math.max(...ps.map((p, i) => p.y + layout.lines[i]!.descent)),
    left: Math.min(...ps.map((p, i) => p.x - layout.lines[i]!.inkLeft)),
    right: Math.max(...ps.map((p, i) => p.x + Math.max(layout.lines[i]!.advance, layout.lines[i]!.inkRight))),
  });
  const e = extentOf(pens);
  const dy = e.top < box.y ? Math.ceil(box.y - e.top) : e.bottom > box.y + box.height ? -Math.ceil(e.bottom - box.y - box.height) : 0;
  const dx = e.left < box.x ? Math.ceil(box.x - e.left) : e.right > box.x + box.width ? -Math.ceil(e.right - box.x - box.width) : 0;
  const nudged = pens.map((p) => ({ x: p.x + dx, y: p.y + dy }));
  const n = extentOf(nudged);
  const x0 = Math.floor(n.left);
  const y0 = Math.floor(n.top);
  return { pens: nudged, ink: { x: x0, y: y0, width: Math.ceil(n.right - x0), height: Math.ceil(n.bottom - y0) } };
}

/** Draws every piece of every line; `origin` is the canvas's position in the image. */
export function drawLines(ctx: SKRSContext2D, layout: Layout, pens: Placed['pens'], colour: Rgba, lang: string, origin = { x: 0, y: 0 }, only?: number): void {
  layout.lines.forEach((line, i) => {
    if (only !== undefined && only !== i) return;
    for (const piece of line.pieces) {
      setContext(ctx, piece.face, layout.size, piece.rtl, lang);
      ctx.fillStyle = cssColour(colour);
      ctx.fillText(piece.text, pens[i]!.x + piece.x - origin.x, pens[i]!.y - origin.y);
    }
  });
}

/** Cap height of the faces we set, as a fraction of the size (Noto Sans: 714/1000): a button's text is centred on its capitals. */
const CAP_HEIGHT = 0.714;
/** Ink of marks and descenders stays this far (times the size) inside the plate's edge. */
const PLATE_INK_MARGIN = 0.12;

interface Plate {
  readonly rect: Rect;
  readonly radius: number;
}

/**
 * The button behind a layer's text: from the first line's cap height to the last baseline, plus the
 * padding, so every locale's button has the same height whatever its letters; wider where ink
 * (descenders, marks, tall scripts) would come near its edge. Never past the box.
 */
function plateRect(layout: Layout, placed: Placed, box: Rect, spec: PlateSpec): Plate {
  const s = layout.size;
  const first = placed.pens[0]!;
  const last = placed.pens[placed.pens.length - 1]!;
  const caps = { x: placed.ink.x, y: first.y - CAP_HEIGHT * s, width: placed.ink.width, height: last.y - first.y + CAP_HEIGHT * s };
  const around = union(caps, grow(placed.ink, PLATE_INK_MARGIN * s));
  const padded = { x: around.x - spec.padding.x * s, y: around.y - spec.padding.y * s, width: around.width + 2 * spec.padding.x * s, height: around.height + 2 * spec.padding.y * s };
  const rect = clip(padded, box);
  const wanted = 'px' in spec.radius ? spec.radius.px : spec.radius.fraction * rect.height;
  return { rect, radius: Math.max(0, Math.min(wanted, rect.width / 2, rect.height / 2)) };
}

/** Scrim (ink plus the inset, never past the box) or plate, and text, composited by Skia over a copy of the rows they touch. */
function draw(image: RawImage, layer: LayerSpec, layout: Layout, placed: Placed, colour: Rgba, treatment: Treatment, plate?: Plate): void {
  const { box } = layer;
  const margin = BLEED + 1;
  const scrim = plate ? plate.rect : treatment.rgba && treatment.kind !== 'none' ? clip(grow(placed.ink, layout.inset), box) : undefined;
  const area = clip(union(grow(placed.ink, margin), scrim), { x: 0, y: 0, width: image.width, height: image.height });
  if (area.width <= 0 || area.height <= 0) return;
  const canvas = createCanvas(area.width, area.height);
  const ctx = canvas.getContext('2d');
  const rowBytes = area.width * 4;
  // Skia composites over the pixels themselves when they are opaque (generated backgrounds are):
  // its premultiplied buffer then holds them exactly. Translucent pixels would not survive the
  // round trip, so there the overlay alone is drawn and blended in integers.
  const opaque = isOpaque(image, area);
  if (opaque) {
    const crop = new Uint8ClampedArray(rowBytes * area.height);
    for (let y = 0; y < area.height; y++) {
      const from = ((area.y + y) * image.width + area.x) * 4;
      crop.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
    }
    ctx.putImageData(new ImageData(crop, area.width, area.height), 0, 0);
  }
  if (scrim && treatment.rgba) {
    ctx.fillStyle = cssColour(treatment.rgba);
    if (plate) {
      ctx.beginPath();
      ctx.roundRect(scrim.x - area.x, scrim.y - area.y, scrim.width, scrim.height, plate.radius);
      ctx.fill();
    } else ctx.fillRect(scrim.x - area.x, scrim.y - area.y, scrim.width, scrim.height);
  }
  drawLines(ctx, layout, placed.pens, colour, langOf(layer.locale), area);
  const out = ctx.getImageData(0, 0, area.width, area.height).data;
  if (!opaque) return blendOver(image, out, area);
  for (let y = 0; y < area.height; y++) image.data.set(out.subarray(y * rowBytes, (y + 1) * rowBytes), ((area.y + y) * image.width + area.x) * 4);
}

function isOpaque(image: RawImage, area: Rect): boolean {
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let i = (y * image.width + area.x) * 4 + 3, end = i + area.width * 4; i < end; i += 4) if (image.data[i] !== 255) return false;
  }
  return true;
}

/** Source-over of a straight-alpha overlay onto translucent pixels, in integers (rounded as Skia rounds). */
function blendOver(image: RawImage, overlay: Uint8ClampedArray, area: Rect): void {
  const d = image.data;
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      const o = (y * area.width + x) * 4;
      const a = overlay[o + 3]!;
      if (a === 0) continue;
      const i = ((area.y + y) * image.width + area.x + x) * 4;
      const under = (d[i + 3]! * (255 - a) + 127) / 255;
      const outA = a + under;
      for (let c = 0; c < 3; c++) d[i + c] = Math.round((overlay[o + c]! * a + d[i + c]! * under) / outA);
      d[i + 3] = Math.round(outA);
    }
  }
}

const grow = (r: Rect, by: number): Rect => ({ x: r.x - by, y: r.y - by, width: r.width + 2 * by, height: r.height + 2 * by });

function union(a: Rect, b: Rect | undefined): Rect {
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function clip(r: Rect, to: Rect): Rect {
  const x = Math.max(Math.floor(r.x), Math.ceil(to.x));
  const y = Math.max(Math.floor(r.y), Math.ceil(to.y));
  const right = Math.min(Math.ceil(r.x + r.width), Math.floor(to.x + to.width));
  const bottom = Math.min(Math.ceil(r.y + r.height), Math.floor(to.y + to.height));
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
