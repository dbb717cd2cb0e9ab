import { problem, type Problem } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import type { AssetEntry } from '../core/results.js';
import { approvalCellId, type Approval } from './approval-lock.js';
import { candidateKey, type MultipleResults } from './candidates.js';

/** The image of a cell `approve` records: its key, which candidate, of how many. */
export interface Chosen {
  readonly key: string;
  readonly pick: number;
  readonly of?: number;
  /** sha256 of the approved image as the gallery showed it: the candidate's cached image for pick >= 1. */
  readonly imageSha?: string;
}

/**
 * Which image of the cell is approved: candidate `pick` (the last build must have shown it), or
 * without --pick what the last build delivered (its own image, or the candidate an approval
 * already picked). A problem when the campaign no longer makes it.
 */
export function chosenImage(asset: AssetEntry, gen: Generation, pick: number | undefined, multiple: MultipleResults, existing: Approval | undefined): Chosen | Problem {
  const id = approvalCellId(asset);
  const outdated = problem('E_NOT_BUILT', { kind: 'outdated' }, { path: id });
  if (pick === undefined || pick === 0) {
    if (pick === 0 || asset.generation.key === gen.key) return { key: gen.key, pick: 0 };
    // A build delivered a picked candidate (picks stick): approving what it delivered keeps the pick.
    if (existing && existing.pick > 0 && existing.key === asset.generation.key) return { key: existing.key, pick: existing.pick, of: existing.of ?? existing.pick + 1, imageSha: existing.sha256 };
    return outdated;
  }
  const candidate = asset.candidates?.find((c) => c.pick === pick);
  if (!candidate) return problem('E_USAGE', { kind: 'pick', cell: id, shown: (asset.candidates?.length ?? 0) + 1, pick }, { path: '--pick' });
  if (candidateKey(gen, pick, candidate.of, multiple) !== candidate.key) return outdated;
  return { key: candidate.key, pick, of: candidate.of, imageSha: candidate.sha256 };
}
