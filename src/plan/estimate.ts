import type { Generation } from '../core/generation.js';
import type { PlannedCampaign, PlannedGeneration } from '../core/results.js';
import type { CampaignBuildPlan } from './build-plan.js';
import type { PreparedCampaign } from './prepared.js';

/** How many images a request bills: numberResults asks for several. */
const billedImages = (g: Generation) => 1 + (g.extraImageKeys?.length ?? 0);

const requested = (g: Generation, candidate: boolean): Omit<PlannedGeneration, 'estimatedCost'> => ({
  key: g.key,
  cells: g.cells.map((c) => ({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id })),
  images: billedImages(g),
  ...(candidate ? { candidate: true as const } : {}),
});

/**
 * What a build would do with a campaign, without calling any provider: cache lookups only. The
 * generations it delivers (picks included) that are not cached are due; so are the review
 * candidates' requests not cached (--force keeps candidates). Counted, not priced.
 */
export async function planCampaign(p: PreparedCampaign, plan: CampaignBuildPlan, options: { readonly force: boolean; readonly isCached: (key: string) => Promise<boolean> }): Promise<PlannedCampaign> {
  // What a build delivers: a cell approved with --pick from its candidate (never generated again).
  const { generations, fromCache } = plan.picked;
  const hits = options.force ? [] : await Promise.all(generations.map((g) => options.isCached(g.key)));
  const due = generations.filter((g, i) => !hits[i] && !fromCache.has(g.key));
  const candidates = plan.review.flatMap((r) => r.generations);
  const cachedCandidates = await Promise.all(candidates.map((g) => options.isCached(g.key)));
  const reviewDue = candidates.filter((_, i) => !cachedCandidates[i]);
  return {
    name: p.campaign.name,
    provider: p.provider.name,
    model: p.campaign.model,
    assets: p.cells.length,
    generations: generations.length,
    cached: hits.filter(Boolean).length,
    toGenerate: due.length,
    ...(p.campaign.budget !== undefined ? { budget: p.campaign.budget } : {}),
    requests: [...due.map((g) => requested(g, false)), ...reviewDue.map((g) => requested(g, true))],
  };
}
