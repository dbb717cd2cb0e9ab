import type { Generation } from '../core/generation.js';
import { pickedGenerations, type PickedGenerations } from './approvals.js';
import { candidateRequests, type CandidateRequests } from './candidates.js';
import type { PreparedCampaign } from './prepared.js';

/** One generation's review candidates: the requests that make candidates 1..n-1 and the keys they end up under. */
export interface ReviewRequests extends CandidateRequests {
  readonly gen: Generation;
}

/**
 * What a build does with one campaign, decided once and read by everything after (the estimate,
 * the budget, delivery, review): the generations it delivers, each cell from the image its approval
 * picked while that holds, and the review candidates it asks for.
 */
export interface CampaignBuildPlan {
  readonly picked: PickedGenerations;
  /** Images per cell for review (1: no candidates). */
  readonly candidates: number;
  /** Per generation, its candidate requests; empty without candidates. */
  readonly review: readonly ReviewRequests[];
}

/**
 * The plan of every campaign of a build or `plan`. `candidates` overrides each campaign's own
 * (--candidates); a frozen build delivers approved files only and asks for no candidates.
 */
export function planBuild(prepared: readonly PreparedCampaign[], options: { readonly candidates?: number; readonly frozen?: boolean } = {}): ReadonlyMap<PreparedCampaign, CampaignBuildPlan> {
  return new Map(
    prepared.map((p) => {
      const n = options.frozen ? 1 : (options.candidates ?? p.campaign.candidates ?? 1);
      const multiple = p.provider.multipleResults;
      const review = n > 1 ? p.generations.map((gen) => ({ gen, ...candidateRequests(gen, n, multiple) })) : [];
      return [p, { picked: pickedGenerations(p.approvals, p.generations, multiple), candidates: n, review }] as const;
    }),
  );
}
