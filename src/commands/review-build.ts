import type { AssetEntry, CampaignResult, DeliveredGeneration, FailureEntry } from '../core/results.js';
import { approvalCellId, cellIdOf, frozenProblems } from '../plan/approvals.js';
import type { OutGuard } from '../post/out-paths.js';
import { CANDIDATES_DIR, DIFF_DIR, diffFilesOf, removeDiffSummary, removeUnreferenced } from '../post/review-files.js';
import { roundCost } from '../report/manifest.js';
import type { CandidatesOutcome } from './candidates.js';
import type { PreparedCampaign } from './prepare.js';

/**
 * What review adds to a build's report: each delivered cell's candidates in the manifest, their
 * cost in the totals, and the removal of review files nothing refers to any more.
 */

interface Entries {
  readonly assets: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
}

/** Cells this build delivered get this build's candidates (or none); cells it left alone keep theirs. */
export function withCandidates<E extends Entries>(entries: E, results: readonly DeliveredGeneration[], review: CandidatesOutcome | undefined): E {
  const rebuilt = new Set(results.flatMap((r) => r.entries.map((e) => approvalCellId(e))));
  const assets = entries.assets.map((a) => {
    const id = approvalCellId(a);
    if (!rebuilt.has(id)) return a;
    const { candidates: _old, ...rest } = a;
    const list = review?.byCell.get(id);
    return list && list.length > 0 ? { ...rest, candidates: list } : rest;
  });
  return { ...entries, assets };
}

/** The campaign's total with its candidates; unknown stays unknown. */
export function withCandidatesCost(total: number | null, review: CandidatesOutcome | undefined): number | null {
  return total === null || review?.cost === undefined ? total : roundCost(total + review.cost);
}

/** This build's spend and billed requests, candidates included, and the candidate images it made or read. */
export function withCandidateSpend(result: CampaignResult, review: CandidatesOutcome | undefined): CampaignResult {
  if (!review) return result;
  const generations = result.generations && { ...result.generations, billed: result.generations.billed + review.billed };
  return { ...result, cost: roundCost(result.cost + review.spent), ...(generations ? { generations } : {}), candidates: review.images };
}

/**
 * Candidate images no asset of the manifest names, and diff pictures of cells that no longer
 * differ from their approval (`pressroom diff` writes them; an approval or a rebuild ends them).
 */
export async function removeStaleReviewFiles(p: PreparedCampaign, assets: readonly AssetEntry[], guard: OutGuard): Promise<void> {
  const wanted = new Set(assets.flatMap((a) => (a.candidates ?? []).flatMap((c) => [c.file, c.thumb])));
  await removeUnreferenced(guard, CANDIDATES_DIR, wanted);
  const lock = p.approvals;
  const changed = new Set(frozenProblems(lock, p.campaign, p.generations, p.provider.multipleResults).filter((c) => c.reason === 'changed').map((c) => c.cell));
  const built = new Set(p.generations.flatMap((g) => g.cells.map(cellIdOf)));
  // Cells a filter left out of this build keep their pictures: nothing is known about them here.
  const keep = new Set(Object.keys(lock?.cells ?? {}).filter((cell) => changed.has(cell) || !built.has(cell)).flatMap(diffFilesOf));
  await removeUnreferenced(guard, DIFF_DIR, keep);
  if (keep.size === 0) await removeDiffSummary(guard);
}
