import type { Generation, PromptedCell, GenerationRequest } from '../core/generation.js';
import { generationKey } from '../cache/key.js';
import { extraImageKeysOf } from './candidates.js';
import type { DeliverySize, PixelSize, ResolvedCampaign } from '../core/campaign.js';
import type { ProviderInfo } from '../providers/types.js';

/**
 * Groups cells whose generation request comes out identical (same prompt, model, generation size,
 * seed, references): two square sizes of a size-agnostic template cost one image, not two.
 */
export function groupGenerations(campaign: ResolvedCampaign, provider: ProviderInfo, cells: readonly PromptedCell[]): readonly Generation[] {
  const byKey = new Map<string, { request: GenerationRequest; cells: PromptedCell[] }>();
  // Only the prompt and the generation size vary between cells: each delivery size is sized once,
  // and each (prompt, generation size) hashed once: sizes of one aspect ratio share a key.
  const sizes = new Map<DeliverySize, PixelSize>();
  const keyOf = new Map<string, string>();
  for (const cell of cells) {
    let size = sizes.get(cell.size);
    if (!size) sizes.set(cell.size, (size = provider.generationSize(campaign.model, cell.size)));
    const keyInput = () => ({
      provider: provider.name,
      model: campaign.model,
      prompt: cell.prompt,
      size,
      seed: campaign.seed,
      references: campaign.references,
      options: campaign.providerOptions,
    });
    const memo = `${size.width}x${size.height}\u0000${cell.prompt}`;
    let key = keyOf.get(memo);
    if (key === undefined) keyOf.set(memo, (key = generationKey(keyInput())));
    const existing = byKey.get(key);
    if (existing) {
      existing.cells.push(cell);
      continue;
    }
    // A background shared by locales carries no locale's text: the local proof must not draw it.
    const strings = campaign.text ? {} : cell.locale.strings;
    const shared = campaign.text !== undefined;
    byKey.set(key, {
      // Object.assign, not `{ ...keyInput(), key }`: a literal starting with a spread gets a hidden
      // class per object on Node 20 (see PromptedCell in render/prompts.ts).
      request: Object.assign(keyInput(), {
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
      }),
      cells: [cell],
    });
  }
  const extras = (key: string) => extraImageKeysOf(key, campaign.providerOptions, provider.multipleResults);
  return [...byKey.entries()].map(([key, g]) => {
    const extraImageKeys = extras(key);
    return { key, request: g.request, cells: g.cells, ...(extraImageKeys.length > 0 ? { extraImageKeys } : {}) };
  });
}
