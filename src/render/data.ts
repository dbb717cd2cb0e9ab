import { aspectLabel, orientation, type ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';

/** Template data of one cell: vars, then variant fields, then locale strings (later wins), then reserved names. */
export function templateData(campaign: ResolvedCampaign, cell: Cell): Readonly<Record<string, unknown>> {
  return {
    ...campaign.vars,
    ...cell.variant.fields,
    ...cell.locale.strings,
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
