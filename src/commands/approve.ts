import { openCacheStore, type CacheStore } from '../cache/store.js';
import { InputError, type Problem } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import type { AssetEntry } from '../core/results.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { approvalCellId, cellIdOf, serialiseApprovals, type Approval } from '../plan/approvals.js';
import { approvedDelivery, deliveryPlanOf } from '../plan/approved-delivery.js';
import { candidateKey } from '../plan/candidates.js';
import { compositorFor } from '../compose/index.js';
import { composeInMemory, composeTarget } from '../post/compose.js';
import { approvalsFileOf, builtManifest } from './approvals-io.js';
import { refreshGallery } from './gallery.js';
import type { PreparedCampaign } from './prepare.js';

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

const OUTDATED = 'the delivered file predates a change to the campaign (its image, copy or layout); build again and review before approving';

interface Chosen {
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
function chosenImage(asset: AssetEntry, gen: Generation, pick: number | undefined, multiple: PreparedCampaign['provider']['multipleResults'], existing: Approval | undefined): Chosen | Problem {
  const id = approvalCellId(asset);
  if (pick === undefined || pick === 0) {
    if (pick === 0 || asset.generation.key === gen.key) return { key: gen.key, pick: 0 };
    // A build delivered a picked candidate (picks stick): approving what it delivered keeps the pick.
    if (existing && existing.pick > 0 && existing.key === asset.generation.key) return { key: existing.key, pick: existing.pick, of: existing.of ?? existing.pick + 1, imageSha: existing.sha256 };
    return { code: 'E_NOT_BUILT', path: id, message: OUTDATED };
  }
  const candidate = asset.candidates?.find((c) => c.pick === pick);
  if (!candidate) {
    const made = asset.candidates?.length ?? 0;
    return { code: 'E_USAGE', path: '--pick', message: `the last build showed ${made + 1} image${made === 0 ? '' : 's'} of ${id} (picks 0 to ${made}), not ${pick}: build with --candidates ${pick + 1} first` };
  }
  if (candidateKey(gen, pick, candidate.of, multiple) !== candidate.key) return { code: 'E_NOT_BUILT', path: id, message: OUTDATED };
  return { key: candidate.key, pick, of: candidate.of, imageSha: candidate.sha256 };
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
    if (asset.recipe !== plan.recipe) return { code: 'E_NOT_BUILT', path: id, message: OUTDATED };
    const delivered = approvedDelivery(plan, asset.sha256, asset.layers);
    return { ...head, sha256: chosen.imageSha ?? asset.sha256, delivered };
  }
  const image = await cache.read(chosen.key);
  if (!image || (chosen.imageSha !== undefined && image.meta.sha256 !== chosen.imageSha)) {
    const again = chosen.pick > 0 ? `build with --candidates ${chosen.of} and review again` : 'build again and review';
    return { code: 'E_NOT_BUILT', path: id, message: `candidate ${chosen.pick} of ${id} is not in the cache as the last build showed it: ${again} before approving` };
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
    problems.push({ code: 'E_USAGE', path: '--cell', message: `no cell ${JSON.stringify(options.cell)} in campaign ${p.campaign.name}; expected variant/locale/size, one of ${[...cells.keys()].slice(0, 5).join(', ')}` });
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
    problems.push({ code: 'E_NOT_BUILT', path: options.cell, message: 'this cell has no delivered image (it failed or was not built)' });
  }
  if (problems.length > 0) throw new InputError(dedupe(problems));
  const file = approvalsFileOf(p);
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
