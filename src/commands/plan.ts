import type { CampaignPlan } from '../core/results.js';
import { openCacheStore } from '../cache/store.js';
import { type FolderSources, preflightPlan } from './preflight.js';
import type { PreparedCampaign } from './prepare.js';

/** USD per image of a campaign's model: the campaign's `prices:` over the provider's table; undefined when neither knows. */
export function priceOf(p: PreparedCampaign): { readonly price?: number; readonly override?: number } {
  const override = p.campaign.prices?.[p.campaign.model];
  return { price: override ?? p.provider.prices[p.campaign.model], override };
}

/** What a build would do, without calling any provider: cache lookups only. */
export async function planCampaigns(prepared: readonly PreparedCampaign[], options: { cacheDir: string; force: boolean; sources?: FolderSources }): Promise<readonly CampaignPlan[]> {
  await preflightPlan(options);
  const cache = openCacheStore(options.cacheDir);
  return Promise.all(
    prepared.map(async (p) => {
      const hits = options.force ? [] : await Promise.all(p.generations.map((g) => cache.peek(g.key)));
      const cached = hits.filter(Boolean).length;
      const toGenerate = p.generations.length - cached;
      const { price, override } = priceOf(p);
      return {
        name: p.campaign.name,
        provider: p.provider.name,
        model: p.campaign.model,
        assets: p.cells.length,
        generations: p.generations.length,
        cached,
        toGenerate,
        price: price ?? null,
        priceSource: override !== undefined ? 'campaign' : price !== undefined ? 'provider' : 'unknown',
        // An unknown price is never taken for free: nothing to generate costs 0, anything else is unknown.
        estimatedCost: price === undefined ? (toGenerate === 0 ? 0 : null) : Math.round(toGenerate * price * 1e6) / 1e6,
        ...(p.campaign.budget !== undefined ? { budget: p.campaign.budget } : {}),
      };
    }),
  );
}
