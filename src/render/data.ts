import { aspectLabel, orientation, type ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';

/**
 * Template data of one cell: vars, then variant fields, then locale strings (later wins), then
 * reserved names. Strings set as text layers are typeset over the image, not asked of the model:
 * the prompt does not see them, so locales can share one background.
 */
export function templateData(campaign: ResolvedCampaign, cell: Cell): Readonly<Record<string, unknown>> {
  const typeset = new Set(campaign.text?.fields ?? []);
  return {
    ...campaign.vars,
    ...cell.variant.fields,
    ...Object.fromEntries(Object.entries(cell.locale.strings).filter(([k]) => !typeset.has(k))),
    campaign: campaign.name,
    variant: cell.variant.id,
    locale: cell.locale.tag,
    language: cell.locale.language,
    size: {
      id: cell.size.id,
      width: cell.size.width,
      height: cell.size.height,
      aspect: aspectLabel(cell.size),
      orientation: orientation(cell.size),
    },
  };
}
