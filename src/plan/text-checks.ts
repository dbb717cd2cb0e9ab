import type { ResolvedCampaign } from '../core/campaign.js';
import { problem, type Problem } from '../core/errors.js';
import type { Cell } from '../core/generation.js';
import type { PlacedLayer } from '../core/text.js';
import { fitAssetLayers, fontsFor, minContrastFor, placedLayers, plateContrast, textOnly, type KeptFits } from '../compose/index.js';
import { coverageFacts, fitFacts } from '../typeset/index.js';

/**
 * Copy-fit and glyph coverage of every text layer of the cells to build, before anything is paid
 * for: the copy ships exactly as written or not at all. Each distinct problem is reported once,
 * at the locale's value in its file, naming the locale, the size and the layer. Verdicts kept from
 * an earlier run (`kept`) answer for layers set exactly as then.
 */
export function checkTextLayers(campaign: ResolvedCampaign, cells: readonly Cell[], kept?: KeptFits): Problem[] {
  if (!campaign.text) return [];
  const fonts = fontsFor(campaign.dir);
  const problems = new Map<string, Problem>();
  const plateMins = new Map<string, number>();
  const seen = new Set<string>();
  for (const cell of cells) {
    const cellKey = `${cell.locale.tag}\u0000${cell.size.id}`;
    // Variants share their text: one check per locale and size.
    if (seen.has(cellKey)) continue;
    seen.add(cellKey);
    const layers = textOnly(placedLayers(campaign, cell.locale, cell.size));
    const fits = fitAssetLayers(layers, fonts, kept);
    layers.forEach((layer, i) => {
      const fit = fits[i]!;
      const at = locate(campaign, layer);
      const path = layerPath(campaign, layer);
      const coverage = coverageFacts(`${layer.locale} ${layer.field} (${path})`, fit.missing);
      if (coverage) {
        problems.set(`missing\u0000${layer.locale}\u0000${layer.field}`, problem('E_TEXT', { kind: 'missing', coverage }, at));
        return;
      }
      const refused = fitFacts(`${layer.locale} ${layer.field}`, `${cell.size.id} ${cell.size.width}×${cell.size.height}`, fit);
      if (refused === undefined) {
        if (layer.plate) checkPlate(campaign, layer, fit.size, problems, plateMins);
        return;
      }
      problems.set(`fit\u0000${layer.locale}\u0000${layer.field}\u0000${cell.size.id}`, problem('E_TEXT', { kind: 'fit', fit: refused, layer: path, field: layer.field }, at));
    });
  }
  return [...problems.values()];
}

/** A button whose text does not reach WCAG AA on it, at the size the text is set (large text: 3:1, else 4.5:1). */
function checkPlate(campaign: ResolvedCampaign, layer: PlacedLayer, size: number, problems: Map<string, Problem>, plateMins: Map<string, number>): void {
  const ratio = Math.round(plateContrast(layer.color, layer.plate!.color) * 100) / 100;
  const min = minContrastFor(size, layer.weight);
  if (ratio >= min) return;
  const path = `${layerPath(campaign, layer)}.plate`;
  // One plate, one report: where sizes set its text small and large, the stricter ratio says it all.
  const key = `plate\u0000${path}\u0000${layer.color}\u0000${layer.plate!.color}`;
  if ((plateMins.get(key) ?? 0) >= min) return;
  plateMins.set(key, min);
  const facts = { layer: layer.field, text: layer.color, plate: layer.plate!.color, ratio, min };
  problems.set(key, problem('E_PLATE_CONTRAST', facts, { ...(campaign.locations[path] ?? { file: campaign.file }), path }));
}

/** Where the layer is written: `layers[2]`, or `text.layers[0]`. */
function layerPath(campaign: ResolvedCampaign, layer: PlacedLayer): string {
  return campaign.text!.paths?.[layer.field] ?? `text.layers[${campaign.text!.fields.indexOf(layer.field)}]`;
}

/** The locale's value in its file (campaign.yaml or the locale file), else the layer. */
function locate(campaign: ResolvedCampaign, layer: PlacedLayer): Pick<Problem, 'file' | 'line' | 'col' | 'path'> {
  const value = `locales.${layer.locale}.${layer.field}`;
  if (campaign.locations[value]) return { ...campaign.locations[value], path: value };
  const path = layerPath(campaign, layer);
  return { ...(campaign.locations[path] ?? { file: campaign.file }), path };
}
