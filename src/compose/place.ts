import type { DeliverySize, Locale, ResolvedCampaign } from '../core/campaign.js';
import type { CampaignLayer, ImageLayer, LayerFile, PlacedAny, PlacedImage, PlacedShape, ShapeLayer } from '../core/layers.js';
import type { FractionBox, PixelBox, PlacedLayer, SizeBound, TextAlign, TextLayer } from '../core/text.js';
// The one file of the typesetter placement needs: a campaign without text loads no more of it.
import { mirrorBox } from '../typeset/locale.js';

/**
 * Where each layer of a size goes on one asset, for one locale: boxes in pixels, mirrored for
 * right-to-left locales where the layer mirrors, the locale's text and the locale's image file.
 * What delivery draws and hashes, what validate fits and checks.
 */

type Size = { readonly width: number; readonly height: number };
type Place = { readonly tag: string; readonly direction: 'ltr' | 'rtl' };

/** The layers of a size in drawing order (campaigns without `layers`: their text layers). */
export function layersOf(campaign: Pick<ResolvedCampaign, 'layers' | 'text'>, sizeId: string): readonly CampaignLayer[] {
  return campaign.layers?.bySize[sizeId] ?? campaign.text?.bySize[sizeId] ?? [];
}

/** Every layer of `size` placed for `locale`; text layers whose field the locale lacks are left out (the checks report them). */
export function placedLayers(campaign: Pick<ResolvedCampaign, 'layers' | 'text'>, locale: Locale, size: DeliverySize): PlacedAny[] {
  return layersOf(campaign, size.id).flatMap((layer): PlacedAny[] => {
    if (layer.kind === 'image') return [placeImage(layer, size, locale)];
    if (layer.kind === 'shape') return [placeShape(layer, size, locale)];
    const text = locale.strings[layer.field];
    return typeof text === 'string' && text.trim() !== '' ? [placeLayer(layer, size, locale, text)] : [];
  });
}

/** The text layers of a placed list. */
export const textOnly = (placed: readonly PlacedAny[]): PlacedLayer[] => placed.filter((p): p is PlacedLayer => p.kind !== 'image' && p.kind !== 'shape');

/** A fraction box in whole pixels of a `size` asset, at least one pixel and never past its edges. */
export function pixelBox(b: FractionBox, size: Size): PixelBox {
  const x = Math.round(b.x * size.width);
  const y = Math.round(b.y * size.height);
  return {
    x,
    y,
    width: Math.max(1, Math.min(size.width - x, Math.round(b.width * size.width))),
    height: Math.max(1, Math.min(size.height - y, Math.round(b.height * size.height))),
  };
}

/** Pixels of a size bound against a length (`fraction` of it); never below one pixel. */
export function boundPx(bound: SizeBound, length: number): number {
  return Math.max(1, 'px' in bound ? bound.px : Math.round(bound.fraction * length));
}

/**
 * A text layer on a `width` x `height` asset for one locale's text. Right-to-left locales read from
 * the right: the box is mirrored unless the layer says `mirror: false` (the typesetter turns `start`
 * into the right edge).
 */
export function placeLayer(layer: TextLayer, size: Size, locale: Place, text: string): PlacedLayer {
  const s = layer.style;
  const box = pixelBox(layer.box, size);
  // The minimum is the legibility floor: a box too small for it refuses the copy rather than shrinking it.
  const minSize = boundPx(s.size.min, box.height);
  const placed = locale.direction === 'rtl' && s.mirror ? mirrorBox(box, size.width) : box;
  return {
    field: layer.field,
    text,
    locale: locale.tag,
    direction: locale.direction,
    box: placed,
    align: s.align,
    valign: s.valign,
    ...(s.fonts !== undefined ? { fonts: s.fonts } : {}),
    ...(s.keep !== undefined ? { keep: s.keep } : {}),
    hyphenate: s.hyphenate,
    ...(s.minRatio !== undefined ? { minRatio: s.minRatio } : {}),
    weight: s.weight,
    color: s.color,
    background: s.background,
    minSize,
    maxSize: Math.max(minSize, boundPx(s.size.max, box.height)),
    lineHeight: s.lineHeight,
    ...(s.maxLines !== undefined ? { maxLines: s.maxLines } : {}),
    ...(s.plate !== undefined ? { plate: s.plate } : {}),
    regions: s.mirror ? [box, mirrorBox(box, size.width)] : [box],
  };
}

/** The file an image layer draws for a locale: its own tag, else its language, else `default`. */
export function fileFor(files: Readonly<Record<string, LayerFile>>, tag: string): LayerFile {
  return files[tag] ?? files[tag.split('-')[0]!] ?? files['default']!;
}

/** Logical alignment made visual: `start` is the right edge in right-to-left locales. */
const visual = (align: TextAlign, direction: 'ltr' | 'rtl'): PlacedImage['align'] => (align === 'center' ? 'center' : (align === 'start') === (direction === 'ltr') ? 'left' : 'right');

export function placeImage(layer: ImageLayer, size: Size, locale: Place): PlacedImage {
  const file = fileFor(layer.files, locale.tag);
  const box = pixelBox(layer.box, size);
  return {
    kind: 'image',
    id: layer.id,
    file: file.path,
    sha256: file.sha256,
    box: locale.direction === 'rtl' && layer.mirror ? mirrorBox(box, size.width) : box,
    fit: layer.fit,
    align: visual(layer.align, locale.direction),
    valign: layer.valign,
  };
}

export function placeShape(layer: ShapeLayer, size: Size, locale: Place): PlacedShape {
  const box = pixelBox(layer.box, size);
  const radius = 'px' in layer.radius ? layer.radius.px : layer.radius.fraction * Math.min(box.width, box.height);
  return {
    kind: 'shape',
    id: layer.id,
    shape: layer.shape,
    box: locale.direction === 'rtl' && layer.mirror ? mirrorBox(box, size.width) : box,
    color: layer.color,
    radius: Math.round(Math.min(radius, box.width / 2, box.height / 2)),
  };
}

/**
 * Where an image layer's pixels go inside its box: `contain` fits the file inside, aligned; `cover`
 * fills the box (what lies outside it is cut, from the side away from the alignment).
 */
export function imageRect(file: { readonly width: number; readonly height: number }, placed: Pick<PlacedImage, 'box' | 'fit' | 'align' | 'valign'>): { drawn: PixelBox; scale: number } {
  const { box } = placed;
  const scale = placed.fit === 'contain' ? Math.min(box.width / file.width, box.height / file.height) : Math.max(box.width / file.width, box.height / file.height);
  const width = Math.max(1, Math.round(file.width * scale));
  const height = Math.max(1, Math.round(file.height * scale));
  const slackX = box.width - width;
  const slackY = box.height - height;
  const x = box.x + Math.round(placed.align === 'left' ? 0 : placed.align === 'center' ? slackX / 2 : slackX);
  const y = box.y + Math.round(placed.valign === 'top' ? 0 : placed.valign === 'middle' ? slackY / 2 : slackY);
  return { drawn: { x, y, width, height }, scale };
}
