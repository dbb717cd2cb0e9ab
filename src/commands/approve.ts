import { readFile } from 'node:fs/promises';
import { InputError, type Problem } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import type { AssetEntry } from '../core/results.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { approvalCellId, serialiseApprovals, type Approval } from '../plan/approvals.js';
import { candidateKey, type MultipleResults } from '../plan/candidates.js';
import { approvalsFileOf, builtManifest, readApprovals } from './approvals-io.js';
import { refreshGallery } from './gallery.js';
import type { PreparedCampaign } from './prepare.js';

export interface ApproveOptions {
  /** `variant/locale/size`; every delivered cell when absent. */
  readonly cell?: string;
  /** Candidate k of the cell (0: the delivered image). */
  readonly pick?: number;
}

export interface ApprovedCampaign {
  readonly name: string;
  readonly file: string;
  readonly approved: readonly string[];
}

const OUTDATED = 'the image predates a change to the campaign; build again and review before approving';

/**
 * What approving candidate `pick` of a delivered asset records: pick 0 is the delivered file (its
 * hash), pick k the candidate image the gallery showed beside it (its cache key and image hash).
 * Only an image the campaign makes today can be approved (build first, then review, then approve).
 */
function approvalOf(asset: AssetEntry, gen: Generation, pick: number, multiple: MultipleResults, existing: Approval | undefined): Approval | Problem {
  const id = approvalCellId(asset);
  if (pick === 0) {
    if (asset.generation.key === gen.key) return { key: gen.key, sha256: asset.sha256, pick };
    // A frozen build delivered an approved candidate: what it delivered stays approved as it was.
    return existing?.key === asset.generation.key ? existing : { code: 'E_NOT_BUILT', path: id, message: OUTDATED };
  }
  const candidate = asset.candidates?.find((c) => c.pick === pick);
  if (!candidate) {
    const made = asset.candidates?.length ?? 0;
    return { code: 'E_USAGE', path: '--pick', message: `the last build showed ${made + 1} image${made === 0 ? '' : 's'} of ${id} (picks 0 to ${made}), not ${pick}: build with --candidates ${pick + 1} first` };
  }
  if (candidateKey(gen, pick, candidate.of, multiple) !== candidate.key) return { code: 'E_NOT_BUILT', path: id, message: OUTDATED };
  return { key: candidate.key, sha256: candidate.sha256, pick, of: candidate.of };
}

/** Approves what the last build showed: for each chosen cell, the image's key and hash go into campaigns/<campaign>/approved.lock. */
export async function approveCampaign(p: PreparedCampaign, outRoot: string, options: ApproveOptions): Promise<ApprovedCampaign> {
  const manifest = await builtManifest(p, outRoot);
  const lock = await readApprovals(p);
  const genOf = new Map(p.generations.flatMap((g) => g.cells.map((c) => [approvalCellId({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id }), g] as const)));
  const problems: Problem[] = [];
  const pick = options.pick ?? 0;
  if (options.cell !== undefined && !genOf.has(options.cell)) {
    problems.push({ code: 'E_USAGE', path: '--cell', message: `no cell ${JSON.stringify(options.cell)} in campaign ${p.campaign.name}; expected variant/locale/size, one of ${[...genOf.keys()].slice(0, 5).join(', ')}` });
  }
  const chosen = new Map<string, Approval>();
  for (const asset of manifest.assets) {
    const id = approvalCellId(asset);
    const gen = genOf.get(id);
    if ((options.cell !== undefined && id !== options.cell) || !gen) continue;
    const approval = approvalOf(asset, gen, pick, p.provider.multipleResults, lock?.cells[id]);
    if ('code' in approval) problems.push(approval);
    else chosen.set(id, approval);
  }
  if (options.cell !== undefined && genOf.has(options.cell) && !chosen.has(options.cell) && problems.length === 0) {
    problems.push({ code: 'E_NOT_BUILT', path: options.cell, message: 'this cell has no delivered image (it failed or was not built)' });
  }
  if (problems.length > 0) throw new InputError(dedupe(problems));
  const file = approvalsFileOf(p);
  const text = serialiseApprovals({ campaign: p.campaign.name, cells: { ...(lock?.cells ?? {}), ...Object.fromEntries(chosen) } });
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(file, text);
  await refreshGallery(p, outRoot);
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
