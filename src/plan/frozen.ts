import type { CacheStore } from '../cache/store.js';
import { relativeTo, reported, type ReportedError } from '../core/outcome.js';
import { approvalsFileOf } from './approval-lock.js';
import { cellIdOf, frozenProblems, unapprovedFacts } from './approvals.js';
import type { PreparedCampaign } from './prepared.js';

export interface FrozenPlan {
  /** One per cell that cannot be delivered as approved; the build then does nothing at all. */
  readonly errors: readonly ReportedError[];
  /** Campaign -> cell -> the sha256 its delivered file must have (the bytes check at delivery). */
  readonly approvedSha: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** What the lock cannot vouch for (a version 1 lock approved generations only), said once per campaign. */
  readonly notes: readonly string[];
}

/**
 * `build --frozen`, before anything runs or is written: every cell must be approved in
 * approved.lock with the key its pick has today (the key check) and, where the lock records it,
 * the recipe of its delivered file (copy, layout, fonts, format, quality, crop: the recipe check);
 * an approved candidate (pick >= 1) must still be in the cache with the approved bytes. What the
 * records cannot see (a font file replaced, a new Pressroom) is the bytes check's: at delivery a
 * file whose bytes are not the approved sha256 is not written. `cache` is absent where a remote
 * cache may hold what the local one lacks (the build then reports the miss per cell).
 */
export async function planFrozen(prepared: readonly PreparedCampaign[], options: { readonly cwd: string; readonly cache?: CacheStore }): Promise<FrozenPlan> {
  const rel = relativeTo(options.cwd);
  const errors: ReportedError[] = [];
  const notes: string[] = [];
  const approvedSha = new Map<string, Map<string, string>>();
  for (const p of prepared) {
    const lock = p.approvals;
    const campaign = p.campaign.name;
    const at = (cell: string) => ({ file: rel(approvalsFileOf(p.campaign.dir)), field: cell });
    const problems = frozenProblems(lock, p.campaign, p.generations, p.provider.multipleResults);
    for (const problem of problems) errors.push(reported('E_UNAPPROVED', unapprovedFacts(campaign, problem), at(problem.cell)));
    const failing = new Set(problems.map((x) => x.cell));
    const planned = p.generations.flatMap((g) => g.cells.map(cellIdOf)).filter((cell) => !failing.has(cell));
    const shas = new Map<string, string>();
    let unrecorded = 0;
    for (const cell of planned) {
      const a = lock!.cells[cell]!;
      const sha = a.delivered?.sha256 ?? (a.pick === 0 ? a.sha256 : undefined);
      if (sha !== undefined) shas.set(cell, sha);
      if (!a.delivered) unrecorded++;
      if (a.pick === 0 || !options.cache) continue;
      const meta = await options.cache.peek(a.key);
      const of = a.of ?? a.pick + 1;
      if (!meta) errors.push(reported('E_UNAPPROVED', { kind: 'candidate-gone', campaign, cell, pick: a.pick, key: a.key, of }, at(cell)));
      else if (meta.sha256 !== a.sha256) errors.push(reported('E_UNAPPROVED', { kind: 'candidate-differs', campaign, cell, pick: a.pick, sha256: meta.sha256, approved: a.sha256, of }, at(cell)));
    }
    approvedSha.set(campaign, shas);
    if (unrecorded > 0) {
      notes.push(`${campaign}: ${unrecorded} cell(s) were approved before Pressroom recorded delivered files: their approval covers the generated image (and the delivered file's sha256 where it was recorded), not the copy or layout; re-approve to cover the delivered file (pressroom approve ${campaign})`);
    }
  }
  return { errors, approvedSha, notes };
}
