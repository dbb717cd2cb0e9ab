import type { ResolvedCampaign } from '../core/campaign.js';
import { problem, type Problem } from '../core/errors.js';
import type { Cell } from '../core/generation.js';
import type { PlacedLayer } from '../core/text.js';
import { fitAssetLayers, fontsFor, placedLayers } from '../post/text-layers.js';
import { coverageFacts, fitFacts } from '../typeset/index.js';

/**
 * Copy-fit and glyph coverage of every text layer of the cells to build, before anything is paid
 * for: the copy ships exactly as written or not at all. Each distinct problem is reported once,
 * at the locale's value in its file, naming the locale, the size and the layer.
 */
export function checkTextLayers(campaign: ResolvedCampaign, cells: readonly Cell[]): Problem[] {
  if (!campaign.text) return [];
  const fonts = fontsFor(campaign.dir);
  const problems = new Map<string, Problem>();
  const seen = new Set<string>();
  for (const cell of cells) {
    const cellKey = `${cell.locale.tag}\u0000${cell.size.id}`;
    // Variants share their text: one check per locale and size.
    if (seen.has(cellKey)) continue;
    seen.add(cellKey);
    const layers = placedLayers(campaign, cell.locale, cell.size);
    const fits = fitAssetLayers(layers, fonts);
    layers.forEach((layer, i) => {
      const fit = fits[i]!;
      const at = locate(campaign, layer);
      const index = layerIndex(campaign, layer);
      const coverage = coverageFacts(`${layer.locale} ${layer.field} (text.layers[${index}])`, fit.missing);
      if (coverage) {
        problems.set(`missing\u0000${layer.locale}\u0000${layer.field}`, problem('E_TEXT', { kind: 'missing', coverage }, at));
        return;
      }
      const refused = fitFacts(`${layer.locale} ${layer.field}`, `${cell.size.id} ${cell.size.width}×${cell.size.height}`, fit);
      if (refused === undefined) return;
      problems.set(`fit\u0000${layer.locale}\u0000${layer.field}\u0000${cell.size.id}`, problem('E_TEXT', { kind: 'fit', fit: refused, layer: index, field: layer.field }, at));
    });
  }
  return [...problems.values()];
}

function layerIndex(campaign: ResolvedCampaign, layer: PlacedLayer): number {
  return campaign.text!.fields.indexOf(layer.field);
}

/** The locale's value in its file (campaign.yaml or the locale file), else the layer. */
function locate(campaign: ResolvedCampaign, layer: PlacedLayer): Pick<Problem, 'file' | 'line' | 'col' | 'path'> {
  const path = `locales.${layer.locale}.${layer.field}`;
  const value = campaign.locations[path];
  if (value) return { ...value, path };
  const layerPath = `text.layers[${layerIndex(campaign, layer)}]`;
  return { ...(campaign.locations[layerPath] ?? { file: campaign.file }), path: layerPath };
}
