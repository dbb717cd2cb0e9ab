import type { PlacedLayer } from '../core/text.js';
import { fitLayers, type FitResult, type FontLibrary, type LayerSpec } from '../typeset/index.js';

/** Line count when a layer sets none: the box height is the limit. */
const UNBOUNDED_LINES = 20;
/**
 * Room kept inside the box, as a fraction of the font size, for a layer that may get a scrim or
 * plate: the same whether or not this background needs one, so copy-fit (which sees no pixels)
 * and delivery agree, and every locale of a row sits the same way in its box.
 */
const SCRIM_INSET = 0.2;
/** A button's plate reaches from the cap height down; lowercase ink starts this much (times the size) below it. */
const PLATE_CAP_ROOM = 0.2;

/** Room a layer keeps inside its box, in times the font size: its plate's padding, a scrim's margin, or none. */
function insetOf(p: PlacedLayer): number {
  if (p.plate) return Math.max(p.plate.padding.x, p.plate.padding.y + PLATE_CAP_ROOM);
  return p.background === 'none' ? 0 : SCRIM_INSET;
}

/** A placed text layer in the typesetting engine's terms. */
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
      inset: insetOf(p),
      weight: p.weight,
      size: { min: p.minSize, max: p.maxSize },
      lineHeight: p.lineHeight,
      maxLines: p.maxLines ?? UNBOUNDED_LINES,
      align: p.align,
      valign: p.valign,
      color: p.color,
      background: p.background,
      ...(p.plate !== undefined ? { plate: p.plate } : {}),
    },
  };
}

/** The text layers of one asset fitted together, as delivery sets them (the headline never smaller than the copy). */
export function fitAssetLayers(layers: readonly PlacedLayer[], fonts: FontLibrary): FitResult[] {
  return fitLayers(
    layers.map((p) => {
      const spec = engineSpec(p);
      return { field: p.field, spec: { text: spec.text, locale: spec.locale, direction: p.direction, box: p.box, style: spec.style }, ...(p.minRatio !== undefined ? { minRatio: p.minRatio } : {}) };
    }),
    fonts,
  );
}
