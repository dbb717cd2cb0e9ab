import type { Generation, StoredImage } from '../core/generation.js';
import type { CandidateEntry, ImageOutcome } from '../core/results.js';
import { approvalCellId } from '../plan/approvals.js';
import type { ReviewRequests } from '../plan/build-plan.js';
import type { OutGuard } from '../post/out-paths.js';
import { writeCandidateImage } from '../post/review-files.js';
import type { CandidatesOutcome } from '../report/campaign-manifest.js';
import { roundCost } from '../report/manifest.js';

export interface CandidatesContext {
  readonly guard: OutGuard;
  /** The entry, its hash verified; undefined when absent. */
  readonly readCache: (key: string) => Promise<StoredImage | undefined>;
  /** Runs the request (provider, cache write), or waits for another build's; never throws. */
  readonly obtain: (gen: Generation) => Promise<ImageOutcome>;
  readonly note: (message: string) => void;
}

/**
 * Candidates 1..n-1 of every generation of a campaign (candidate 0 is what the build delivered),
 * each request obtained like any generation (cache first, paid once), each image written once as
 * a WebP with a thumbnail under out/<campaign>/candidates/.
 */
export async function buildCandidates(review: readonly ReviewRequests[], n: number, c: CandidatesContext): Promise<CandidatesOutcome> {
  const byCell = new Map<string, CandidateEntry[]>();
  const costs = new Map<string, number>();
  let spent = 0;
  let billed = 0;
  const counted = { made: 0, cached: 0, failed: 0 };
  const obtainCached = async (gen: Generation): Promise<ImageOutcome> => {
    const hit = await c.readCache(gen.key);
    return hit ? { kind: 'cached', meta: hit.meta, bytes: hit.bytes } : c.obtain(gen);
  };
  await Promise.all(
    review.map(async (requests) => {
      const { gen } = requests;
      const label = `${gen.request.label.variant} · ${gen.request.label.locale}`;
      const outcomes = await Promise.all(requests.generations.map(async (g) => ({ g, outcome: await obtainCached(g) })));
      const images = new Map<string, StoredImage>();
      for (const { g, outcome } of outcomes) {
        // A request asking for several images (numberResults) makes each of them.
        const count = requests.keys.filter((k) => k === g.key || (g.extraImageKeys ?? []).includes(k)).length;
        counted[outcome.kind === 'generated' ? 'made' : outcome.kind === 'cached' ? 'cached' : 'failed'] += count;
        if (outcome.kind === 'failed') {
          c.note(`candidates of ${label}: ${outcome.failure.code} ${outcome.failure.message}`);
          continue;
        }
        images.set(g.key, outcome);
        if (outcome.meta.cost !== undefined) costs.set(g.key, outcome.meta.cost);
        if (outcome.kind === 'generated') {
          spent += outcome.meta.cost ?? 0;
          billed++;
        }
      }
      for (const [i, key] of requests.keys.entries()) {
        const pick = i + 1;
        // A request's further images are cached under their own keys when it is stored.
        const failed = outcomes.some((o) => o.outcome.kind === 'failed');
        const image = images.get(key) ?? (failed ? undefined : await c.readCache(key));
        if (!image) {
          if (!failed) c.note(`candidate ${pick} of ${label}: not in the cache (the provider returned fewer images than asked for, or the cell was not generated)`);
          continue;
        }
        const files = await writeCandidateImage(c.guard, key, image.bytes).catch((err: unknown) => {
          c.note(`candidate ${pick} of ${label}: not written: ${(err as Error)?.message ?? String(err)}`);
          return null;
        });
        if (files === null) continue;
        if (!files) {
          c.note(`candidate ${pick} of ${label}: not written, its folder lies outside the campaign's out folder`);
          continue;
        }
        for (const cell of gen.cells) {
          const id = approvalCellId({ variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id });
          byCell.set(id, [...(byCell.get(id) ?? []), { pick, key, sha256: image.meta.sha256, of: n, ...files }]);
        }
      }
    }),
  );
  for (const list of byCell.values()) list.sort((a, b) => a.pick - b.pick);
  const cost = costs.size > 0 ? roundCost([...costs.values()].reduce((s, v) => s + v, 0)) : undefined;
  return { byCell, ...(cost !== undefined ? { cost } : {}), spent: roundCost(spent), billed, images: counted };
}
