import { openCacheStore } from '../cache/store.js';
import { approvalCellId, frozenGenerations, frozenProblems } from '../plan/approvals.js';
import { approvalsFileOf, builtManifest, readApprovals } from './approvals-io.js';
import { relativeTo, reported, type ReportedError } from './outcome.js';
import type { PreparedCampaign } from './prepare.js';

export interface FrozenPlan {
  /** One per cell that cannot be delivered as approved; the build then does nothing. */
  readonly errors: readonly ReportedError[];
  /** The campaigns with each cell's generation replaced by the image its approval picked. */
  readonly prepared: readonly PreparedCampaign[];
  /** Keys of approved candidates: delivered from the cache, never generated again. */
  readonly cacheOnlyKeys: ReadonlySet<string>;
}

/**
 * `build --frozen`, before anything runs: every cell must be approved in approved.lock with the
 * key its pick has today, and an approved candidate (pick >= 1) must still be in the cache with
 * the approved bytes: it is delivered from there, not made again. `checkCache` is false where a
 * remote cache may hold what the local one lacks (the build then reports the miss per cell).
 */
export async function planFrozen(prepared: readonly PreparedCampaign[], options: { readonly cwd: string; readonly cacheDir: string; readonly checkCache: boolean }): Promise<FrozenPlan> {
  const rel = relativeTo(options.cwd);
  const cache = openCacheStore(options.cacheDir);
  const errors: ReportedError[] = [];
  const cacheOnlyKeys = new Set<string>();
  const frozen: PreparedCampaign[] = [];
  for (const p of prepared) {
    const lock = await readApprovals(p);
    const multiple = p.provider.multipleResults;
    const at = (cell: string) => ({ file: rel(approvalsFileOf(p)), field: cell });
    const problems = frozenProblems(lock, p.generations, multiple);
    for (const problem of problems) {
      const message =
        problem.reason === 'unapproved'
          ? `${p.campaign.name} ${problem.cell}: not approved`
          : `${p.campaign.name} ${problem.cell}: changed since approval (approved generation ${problem.approvedKey!.slice(0, 12)}, now ${problem.key.slice(0, 12)})`;
      errors.push(reported('E_UNAPPROVED', message, at(problem.cell)));
    }
    const failing = new Set(problems.map((x) => x.cell));
    const planned = new Set(p.generations.flatMap((g) => g.cells.map((c) => approvalCellId({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id }))));
    for (const [cell, a] of Object.entries(lock?.cells ?? {})) {
      if (a.pick === 0 || failing.has(cell) || !planned.has(cell)) continue;
      cacheOnlyKeys.add(a.key);
      if (!options.checkCache) continue;
      const meta = await cache.peek(a.key);
      const rebuild = `build with --candidates ${a.of ?? a.pick + 1} to make candidates again, then review and approve one`;
      if (!meta) errors.push(reported('E_UNAPPROVED', `${p.campaign.name} ${cell}: approved candidate ${a.pick} (${a.key.slice(0, 12)}) is no longer in the cache: ${rebuild}`, at(cell)));
      else if (meta.sha256 !== a.sha256) errors.push(reported('E_UNAPPROVED', `${p.campaign.name} ${cell}: the cached candidate ${a.pick} is not the approved image (sha256 ${meta.sha256.slice(0, 12)}, approved ${a.sha256.slice(0, 12)}): ${rebuild}`, at(cell)));
    }
    frozen.push({ ...p, generations: frozenGenerations(lock, p.generations, multiple) });
  }
  return { errors, prepared: frozen, cacheOnlyKeys };
}

/**
 * `build --frozen`, after delivery: every delivered file must be the very image that was approved:
 * the approved file itself (pick 0), or a cut of the approved candidate's image (pick >= 1).
 */
export async function unapprovedDeliveries(prepared: readonly PreparedCampaign[], outRoot: string, cwd: string): Promise<ReportedError[]> {
  const rel = relativeTo(cwd);
  const errors: ReportedError[] = [];
  for (const p of prepared) {
    const lock = await readApprovals(p);
    const manifest = await builtManifest(p, outRoot);
    for (const asset of manifest.assets) {
      const id = approvalCellId(asset);
      const approved = lock?.cells[id];
      if (!approved) continue;
      const where = { file: rel(approvalsFileOf(p)), field: id };
      if (approved.pick === 0 && approved.sha256 !== asset.sha256) {
        errors.push(reported('E_UNAPPROVED', `${p.campaign.name} ${id}: delivered ${asset.file} (sha256 ${asset.sha256.slice(0, 12)}) is not the approved image (${approved.sha256.slice(0, 12)})`, where));
      } else if (approved.pick > 0 && approved.key !== asset.generation.key) {
        errors.push(reported('E_UNAPPROVED', `${p.campaign.name} ${id}: delivered ${asset.file} is not cut from approved candidate ${approved.pick}`, where));
      }
    }
  }
  return errors;
}
