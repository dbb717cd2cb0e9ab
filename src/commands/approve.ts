import { openCacheStore, type CacheStore } from '../cache/store.js';
import { InputError, problem, type Problem } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import type { AssetEntry } from '../core/results.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { approvalCellId, approvalsFileOf, cellIdOf, serialiseApprovals, type Approval } from '../plan/approvals.js';
import { chosenImage, type Chosen } from '../plan/approve.js';
import { approvedDelivery, deliveryPlanOf } from '../plan/approved-delivery.js';
import { compositorFor } from '../compose/index.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { composeInMemory, composeTarget } from '../post/compose.js';
import { builtManifest, refreshGallery } from './finish.js';

export interface ApproveOptions {
  /** `variant/locale/size`; every delivered cell when absent. */
  readonly cell?: string;
  /** Candidate k of the cell (0: the cell's own image); absent: whatever the last build delivered. */
  readonly pick?: number;
}

export interface ApprovedCampaign {
  readonly name: string;
  readonly file: string;
  readonly approved: readonly string[];
}

/**
 * The approval of a cell: the chosen image's key and the delivered file made from it today. The
 * file the last build delivered is taken as it is when it is that file; otherwise (a candidate never
 * delivered) it is made in memory from the cached image exactly as delivery would make it.
 */
async function approvalOf(p: PreparedCampaign, asset: AssetEntry, cell: Generation['cells'][number], chosen: Chosen, cache: CacheStore): Promise<Approval | Problem> {
  const id = approvalCellId(asset);
  const plan = deliveryPlanOf(p.campaign, cell, chosen.key);
  const head = { key: chosen.key, pick: chosen.pick, ...(chosen.pick > 0 ? { of: chosen.of } : {}) };
  if (asset.generation.key === chosen.key) {
    if (asset.recipe !== plan.recipe) return problem('E_NOT_BUILT', { kind: 'outdated' }, { path: id });
    const delivered = approvedDelivery(plan, asset.sha256, asset.layers);
    return { ...head, sha256: chosen.imageSha ?? asset.sha256, delivered };
  }
  const image = await cache.read(chosen.key);
  if (!image || (chosen.imageSha !== undefined && image.meta.sha256 !== chosen.imageSha)) {
    return problem('E_NOT_BUILT', { kind: 'candidate-gone', cell: id, pick: chosen.pick, ...(chosen.of !== undefined ? { of: chosen.of } : {}) }, { path: id });
  }
  const [file] = await composeInMemory(image.bytes, [composeTarget(plan, plan.placed)], compositorFor(p.campaign));
  return { ...head, sha256: chosen.imageSha ?? file!.sha256, delivered: approvedDelivery(plan, file!.sha256, file!.layers) };
}

/** Approves what the last build showed: for each chosen cell, the image and its delivered file go into campaigns/<campaign>/approved.lock. */
export async function approveCampaign(p: PreparedCampaign, options: ApproveOptions & { readonly outRoot: string; readonly cacheDir: string }): Promise<ApprovedCampaign> {
  const manifest = await builtManifest(p, options.outRoot);
  const lock = p.approvals;
  const cells = new Map(p.generations.flatMap((g) => g.cells.map((c) => [cellIdOf(c), { gen: g, cell: c }] as const)));
  const cache = openCacheStore(options.cacheDir);
  const problems: Problem[] = [];
  if (options.cell !== undefined && !cells.has(options.cell)) {
    problems.push(problem('E_USAGE', { kind: 'no-cell', cell: options.cell, campaign: p.campaign.name, cells: [...cells.keys()].slice(0, 5) }, { path: '--cell' }));
  }
  const chosen = new Map<string, Approval>();
  for (const asset of manifest.assets) {
    const id = approvalCellId(asset);
    const planned = cells.get(id);
    if ((options.cell !== undefined && id !== options.cell) || !planned) continue;
    const image = chosenImage(asset, planned.gen, options.pick, p.provider.multipleResults, lock?.cells[id]);
    const approval = 'code' in image ? image : await approvalOf(p, asset, planned.cell, image, cache);
    if ('code' in approval) problems.push(approval);
    else chosen.set(id, approval);
  }
  if (options.cell !== undefined && cells.has(options.cell) && !chosen.has(options.cell) && problems.length === 0) {
    problems.push(problem('E_NOT_BUILT', { kind: 'no-image' }, { path: options.cell }));
  }
  if (problems.length > 0) throw new InputError(dedupe(problems));
  const file = approvalsFileOf(p.campaign.dir);
  const approvals = { campaign: p.campaign.name, cells: { ...(lock?.cells ?? {}), ...Object.fromEntries(chosen) } };
  const text = serialiseApprovals(approvals);
  // The lock as read (prepare checked it): approving what is approved already leaves the file alone.
  if (!lock || serialiseApprovals(lock) !== text) await writeFileAtomic(file, text);
  await refreshGallery({ ...p, approvals }, options.outRoot);
  return { name: p.campaign.name, file, approved: [...chosen.keys()].sort() };
}

/** One --pick problem for the whole campaign rather than one per cell, where the message is the same. */
function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((x) => {
    const id = `${x.code}|${x.path}|${x.message}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}
