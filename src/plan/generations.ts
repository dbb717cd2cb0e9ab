import type { Generation, PromptedCell, GenerationRequest } from '../core/generation.js';
import { generationKey } from '../cache/key.js';
import { extraImageKeysOf } from './candidates.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { ProviderInfo } from '../providers/types.js';

/**
 * Groups cells whose generation request comes out identical (same prompt, model, generation size,
 * seed, references): two square sizes of a size-agnostic template cost one image, not two.
 */
export function groupGenerations(campaign: ResolvedCampaign, provider: ProviderInfo, cells: readonly PromptedCell[]): readonly Generation[] {
  const byKey = new Map<string, { request: GenerationRequest; cells: PromptedCell[] }>();
  for (const cell of cells) {
    const size = provider.generationSize(campaign.model, cell.size);
    const keyInput = {
      provider: provider.name,
      model: campaign.model,
      prompt: cell.prompt,
      size,
      seed: campaign.seed,
      references: campaign.references,
      options: campaign.providerOptions,
    };
    const key = generationKey(keyInput);
    const existing = byKey.get(key);
    if (existing) {
      existing.cells.push(cell);
      continue;
    }
    // A background shared by locales carries no locale's text: the local proof must not draw it.
    const strings = campaign.text ? {} : cell.locale.strings;
    const shared = campaign.text !== undefined;
    byKey.set(key, {
      request: {
        ...keyInput,
        key,
        label: {
          campaign: campaign.name,
          variant: cell.variant.id,
          locale: shared ? '' : cell.locale.tag,
          size: cell.size.id,
          headline: typeof strings['headline'] === 'string' ? strings['headline'] : '',
          copy: typeof strings['copy'] === 'string' ? strings['copy'] : '',
          direction: shared ? 'ltr' : cell.locale.direction,
        },
      },
      cells: [cell],
    });
  }
  const extras = (key: string) => extraImageKeysOf(key, campaign.providerOptions, provider.multipleResults);
  return [...byKey.entries()].map(([key, g]) => {
    const extraImageKeys = extras(key);
    return { key, request: g.request, cells: g.cells, ...(extraImageKeys.length > 0 ? { extraImageKeys } : {}) };
  });
}
