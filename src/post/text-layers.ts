import type { DeliverySize, Locale, ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';
import type { RawPixels } from './derive.js';
import type { PlacedLayer, SizeBound, TextLayer, TypesetLayerEntry } from '../core/text.js';
import { loadSharp } from '../image/sharp.js';
import { fitLayers, layerEntry, loadFonts, mirrorBox, renderLabel, typeset, type FitResult, type FontLibrary, type LayerSpec } from '../typeset/index.js';

/**
 * The campaign's text layers in the typesetting engine's terms: which layers a cell gets, whether
 * its copy fits (checks, before anything is paid for) and drawing it over a background (delivery).
 */

/** Bump when typesetting changes what is drawn, so every typeset asset is redrawn. */
export const TYPESET_VERSION = 2;

/** Line count when a layer sets none: the box height is the limit. */
const UNBOUNDED_LINES = 20;
/**
 * Room kept inside the box, as a fraction of the font size, for a layer that may get a scrim or
 * plate: the same whether or not this background needs one, so copy-fit (which sees no pixels)
 * and delivery agree, and every locale of a row sits the same way in its box.
 */
const SCRIM_INSET = 0.2;

const libraries = new Map<string, FontLibrary>();

/** One font library per campaign folder (brand fonts are relative to it), kept for the process: fonts are read once. */
export function fontsFor(campaignDir: string): FontLibrary {
  let fonts = libraries.get(campaignDir);
  if (!fonts) libraries.set(campaignDir, (fonts = loadFonts({ projectRoot: campaignDir })));
  return fonts;
}

let noto: FontLibrary | undefined;

/** Noto alone, for labels (the contact sheet): every script, no brand fonts. */
export function notoFonts(): FontLibrary {
  return (noto ??= loadFonts());
}

/** The layers of `size` with `locale`'s text, placed in pixels; layers whose field the locale lacks are left out (the checks report them). */
export function placedLayers(campaign: ResolvedCampaign, locale: Locale, size: DeliverySize): PlacedLayer[] {
  const layers = campaign.text?.bySize[size.id] ?? [];
  return layers.flatMap((layer) => {
    const text = locale.strings[layer.field];
    return typeof text === 'string' && text.trim() !== '' ? [placeLayer(layer, size, locale, text)] : [];
  });
}

/** Pixels of a size bound for a box `boxHeight` pixels tall; never below one pixel. */
function boundPx(bound: SizeBound, boxHeight: number): number {
  return Math.max(1, 'px' in bound ? bound.px : Math.round(bound.fraction * boxHeight));
}

/**
 * A layer on a `width` x `height` asset for one locale's text. Right-to-left locales read from the
 * right: the box is mirrored unless the layer says `mirror: false` (the typesetter turns `start`
 * into the right edge).
 */
export function placeLayer(
  layer: TextLayer,
  size: { readonly width: number; readonly height: number },
  locale: { readonly tag: string; readonly direction: 'ltr' | 'rtl' },
  text: string,
): PlacedLayer {
  const { box: b, style: s } = layer;
  const x = Math.round(b.x * size.width);
  const y = Math.round(b.y * size.height);
  const box = {
    x,
    y,
    width: Math.max(1, Math.min(size.width - x, Math.round(b.width * size.width))),
    height: Math.max(1, Math.min(size.height - y, Math.round(b.height * size.height))),
  };
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
    regions: s.mirror ? [box, mirrorBox(box, size.width)] : [box],
  };
}

export function engineSpec(p: PlacedLayer): LayerSpec {
  return {
    field: p.field,
    text: p.text,
    locale: p.locale,
    direction: p.direction,
    box: p.box,
    regions: p.regions,
    style: {
      ...(p.fonts !== undefined ? { fonts: p.fonts } : {}),
      ...(p.keep !== undefined ? { keep: p.keep } : {}),
      hyphenate: p.hyphenate,
      ...(p.minRatio !== undefined ? { minRatio: p.minRatio } : {}),
      inset: p.background === 'none' ? 0 : SCRIM_INSET,
      weight: p.weight,
      size: { min: p.minSize, max: p.maxSize },
      lineHeight: p.lineHeight,
      maxLines: p.maxLines ?? UNBOUNDED_LINES,
      align: p.align,
      valign: p.valign,
      color: p.color,
      background: p.background,
    },
  };
}

/** The layers of one asset fitted together, as delivery will set them (the headline never smaller than the copy). */
export function fitAssetLayers(layers: readonly PlacedLayer[], fonts: FontLibrary): FitResult[] {
  return fitLayers(
    layers.map((p) => {
      const spec = engineSpec(p);
      return { field: p.field, spec: { text: spec.text, locale: spec.locale, direction: p.direction, box: p.box, style: spec.style }, ...(p.minRatio !== undefined ? { minRatio: p.minRatio } : {}) };
    }),
    fonts,
  );
}

/** Draws a cell's layers over its cut background; what was drawn comes back for the manifest. */
export interface Typesetter {
  layers(cell: Cell): readonly PlacedLayer[];
  draw(image: RawPixels, layers: readonly PlacedLayer[]): Promise<{ readonly image: RawPixels; readonly entries: readonly TypesetLayerEntry[] }>;
}

export function createTypesetter(campaign: ResolvedCampaign): Typesetter {
  return {
    layers: (cell) => placedLayers(campaign, cell.locale, cell.size),
    async draw(image, layers) {
      if (layers.length === 0) return { image, entries: [] };
      const fonts = fontsFor(campaign.dir);
      const rgba = image.channels === 4 ? image : await withAlpha(image);
      const done = typeset({ data: rgba.data, width: rgba.width, height: rgba.height, channels: 4 }, layers.map(engineSpec), fonts);
      return { image: rgba, entries: done.layers.map(layerEntry) };
    },
  };
}

/** The typesetter draws into RGBA: an opaque cut gains an alpha channel (delivery drops it again). */
async function withAlpha(image: RawPixels): Promise<RawPixels> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}

/** One line of text in any script as a composite overlay at (left, top); `right` aligns its end there instead. */
export function labelOverlay(
  text: string,
  at: { readonly left: number; readonly top: number; readonly right?: number },
  style: { readonly locale?: string; readonly px: number; readonly colour: string; readonly maxWidth: number; readonly weight?: number; readonly direction?: 'ltr' | 'rtl' },
): { input: Buffer; raw: { width: number; height: number; channels: 4 }; left: number; top: number } {
  const label = renderLabel(text, style.locale ?? 'en', style.px, style.colour, style.maxWidth, notoFonts(), {
    ...(style.weight !== undefined ? { weight: style.weight } : {}),
    direction: style.direction ?? 'ltr',
  });
  const left = at.right !== undefined ? at.right - label.width : at.left;
  return { input: label.data, raw: { width: label.width, height: label.height, channels: 4 }, left: Math.max(0, Math.round(left)), top: at.top };
}
