import type { ResolvedCampaign } from '../core/campaign.js';
import type { Problem } from '../core/errors.js';
import type { Cell } from '../core/generation.js';
import { templateDataOf } from './data.js';
import { renderFailure } from './render-problems.js';
import { prepareTemplate } from './templates.js';

/**
 * Each asset's alt text: the campaign's `alt`, a Handlebars template over the cell's data (its
 * copy included, which the prompt does not see), compiled as strictly as prompts; without one, the
 * headline and copy. Problems are placed at the campaign's `alt:` line.
 */
export function altTexts(campaign: ResolvedCampaign): { readonly alt: (cell: Cell) => string | undefined; readonly problems: Problem[] } {
  const problems: Problem[] = [];
  if (campaign.alt === undefined) return { alt: defaultAlt, problems };
  const where = { ...(campaign.locations['alt'] ?? { file: campaign.file }), path: 'alt' };
  const source = { file: campaign.file, source: campaign.alt };
  const prepared = prepareTemplate(source, []);
  problems.push(...prepared.problems.map((p) => ({ ...p, ...where })));
  const { render } = prepared;
  if (!render) return { alt: () => undefined, problems };
  const dataOf = templateDataOf(campaign, true);
  const seen = new Set<string>();
  return {
    problems,
    alt: (cell) => {
      const data = dataOf(cell);
      try {
        return render(data).replace(/\s+/g, ' ').trim();
      } catch (err) {
        const cellName = `variant ${cell.variant.id}, locale ${cell.locale.tag}, size ${cell.size.id}`;
        const { problem } = renderFailure(err, { template: source, locator: prepared.locator, cell: cellName, defined: Object.keys(data) });
        // One line per mistake, not one per cell it breaks.
        const id = problem.message.replace(cellName, '');
        if (!seen.has(id)) seen.add(id), problems.push({ ...problem, ...where });
        return undefined;
      }
    },
  };
}

/** The headline, then the copy: what a reader of the picture would read in it. */
function defaultAlt(cell: Cell): string | undefined {
  const text = (key: string) => {
    const v = cell.locale.strings[key];
    return typeof v === 'string' && v.trim() !== '' ? v.replace(/\s+/g, ' ').trim() : undefined;
  };
  const parts = [text('headline'), text('copy')].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' — ') : undefined;
}
