import { openCacheStore } from '../cache/store.js';
import { cellIdOf, describeProblem, frozenProblems } from '../plan/approvals.js';
import { approvalsFileOf } from './approvals-io.js';
import { relativeTo, reported, type ReportedError } from './outcome.js';
import type { PreparedCampaign } from './prepare.js';

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
 * file whose bytes are not the approved sha256 is not written. `checkCache` is false where a remote
 * cache may hold what the local one lacks (the build then reports the miss per cell).
 */
export async function planFrozen(prepared: readonly PreparedCampaign[], options: { readonly cwd: string; readonly cacheDir: string; readonly checkCache: boolean }): Promise<FrozenPlan> {
  const rel = relativeTo(options.cwd);
  const cache = openCacheStore(options.cacheDir);
  const errors: ReportedError[] = [];
  const notes: string[] = [];
  const approvedSha = new Map<string, Map<string, string>>();
  for (const p of prepared) {
    const lock = p.approvals;
    const name = p.campaign.name;
    const at = (cell: string) => ({ file: rel(approvalsFileOf(p)), field: cell });
    const problems = frozenProblems(lock, p.campaign, p.generations, p.provider.multipleResults);
    for (const problem of problems) errors.push(reported('E_UNAPPROVED', describeProblem(name, problem), at(problem.cell)));
    const failing = new Set(problems.map((x) => x.cell));
    const planned = p.generations.flatMap((g) => g.cells.map(cellIdOf)).filter((cell) => !failing.has(cell));
    const shas = new Map<string, string>();
    let generationOnly = 0;
    for (const cell of planned) {
      const a = lock!.cells[cell]!;
      const sha = a.delivered?.sha256 ?? (a.pick === 0 ? a.sha256 : undefined);
      if (sha !== undefined) shas.set(cell, sha);
      if (!a.delivered) generationOnly++;
      if (a.pick === 0 || !options.checkCache) continue;
      const meta = await cache.peek(a.key);
      const rebuild = `build with --candidates ${a.of ?? a.pick + 1} to make candidates again, then review and approve one`;
      if (!meta) errors.push(reported('E_UNAPPROVED', `${name} ${cell}: approved candidate ${a.pick} (${a.key.slice(0, 12)}) is no longer in the cache: ${rebuild}`, at(cell)));
      else if (meta.sha256 !== a.sha256) errors.push(reported('E_UNAPPROVED', `${name} ${cell}: the cached candidate ${a.pick} is not the approved image (sha256 ${meta.sha256.slice(0, 12)}, approved ${a.sha256.slice(0, 12)}): ${rebuild}`, at(cell)));
    }
    approvedSha.set(name, shas);
    if (generationOnly > 0) {
      notes.push(`${name}: ${generationOnly} cell(s) were approved before Pressroom recorded delivered files: their approval covers the generated image (and the delivered file's sha256 where it was recorded), not the copy or layout; re-approve to cover the delivered file (pressroom approve ${name})`);
    }
  }
  return { errors, approvedSha, notes };
}
