import { fitText, type FitResult, type FitSpec } from './fit.js';
import type { FontLibrary } from './library.js';

/**
 * Several layers of one asset fitted together, keeping their hierarchy: a layer with `minRatio`
 * (the headline has 1 unless it says otherwise) is set at least that many times the size of every
 * layer after it. Each layer first takes the largest size that fits its box; a later layer that
 * came out too large is set smaller, down to its own minimum. When even that is too large, the
 * dominating layer is a copy-fit error (reason `hierarchy`): a headline smaller than its copy
 * reads as the wrong message.
 */
export interface AssetLayerFit {
  readonly field: string;
  readonly spec: FitSpec;
  readonly minRatio?: number;
}

export function fitLayers(layers: readonly AssetLayerFit[], fonts: FontLibrary): FitResult[] {
  const results = layers.map((l) => fitText(l.spec, fonts));
  layers.forEach((layer, i) => {
    const ratio = layer.minRatio;
    if (ratio === undefined || !results[i]!.fits) return;
    for (let j = i + 1; j < layers.length; j++) {
      const other = results[j]!;
      const top = results[i]!;
      if (!other.fits || top.size >= ratio * other.size - 1e-9) continue;
      const spec = layers[j]!.spec;
      const cap = Math.floor(top.size / ratio + 1e-9);
      const smaller = cap >= spec.style.size.min ? fitText({ ...spec, style: { ...spec.style, size: { min: spec.style.size.min, max: cap } } }, fonts) : undefined;
      if (smaller?.fits) {
        results[j] = smaller;
        continue;
      }
      results[i] = { ...top, fits: false, reason: 'hierarchy', below: { field: layers[j]!.field, ratio, size: Math.ceil(spec.style.size.min) } };
      return;
    }
  });
  return results;
}
