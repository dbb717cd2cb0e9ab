import type { CampaignPlan } from '../core/results.js';
import { candidateRequests } from '../plan/candidates.js';
import { openCacheStore } from '../cache/store.js';
import { type FolderSources, preflightPlan } from './preflight.js';
import type { PreparedCampaign } from './prepare.js';

/** USD per image of a campaign's model: the campaign's `prices:` over the provider's table; undefined when neither knows. */
export function priceOf(p: PreparedCampaign): { readonly price?: number; readonly override?: number } {
  const override = p.campaign.prices?.[p.campaign.model];
  return { price: override ?? p.provider.prices[p.campaign.model], override };
}

/** What a build would do, without calling any provider: cache lookups only. */
export async function planCampaigns(
  prepared: readonly PreparedCampaign[],
  options: { cacheDir: string; force: boolean; sources?: FolderSources; candidates?: number },
): Promise<readonly CampaignPlan[]> {
  await preflightPlan(options);
  const cache = openCacheStore(options.cacheDir);
  return Promise.all(
    prepared.map(async (p) => {
      const hits = options.force ? [] : await Promise.all(p.generations.map((g) => cache.peek(g.key)));
      const cached = hits.filter(Boolean).length;
      const toGenerate = p.generations.length - cached;
      // A request asking for several images (numberResults) is billed for each of them.
      const images = p.generations.reduce((s, g, i) => s + (hits[i] ? 0 : 1 + (g.extraImageKeys?.length ?? 0)), 0);
      const reviewImages = await candidateImagesToGenerate(p, options.candidates ?? p.campaign.candidates ?? 1, (key) => cache.peek(key));
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
        // Review candidates are images paid for too (plan shows generations; the cost counts them).
        estimatedCost: price === undefined ? (images + reviewImages === 0 ? 0 : null) : Math.round((images + reviewImages) * price * 1e6) / 1e6,
        ...(p.campaign.budget !== undefined ? { budget: p.campaign.budget } : {}),
      };
    }),
  );
}

/** Images the candidate requests of a campaign would generate: n - 1 per generation, minus cached requests (--force keeps candidates). */
async function candidateImagesToGenerate(p: PreparedCampaign, n: number, peek: (key: string) => Promise<unknown>): Promise<number> {
  if (n <= 1) return 0;
  const counts = await Promise.all(
    p.generations.flatMap((g) => candidateRequests(g, n, p.provider.multipleResults).generations).map(async (g) => ((await peek(g.key)) ? 0 : 1 + (g.extraImageKeys?.length ?? 0))),
  );
  return counts.reduce((s, c) => s + c, 0);
}
