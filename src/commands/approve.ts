import { readFile } from 'node:fs/promises';
import { InputError, type Problem } from '../core/errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { approvalCellId, serialiseApprovals, type Approval } from '../plan/approvals.js';
import { approvalsFileOf, builtManifest, readApprovals } from './approvals-io.js';
import type { PreparedCampaign } from './prepare.js';

export interface ApproveOptions {
  /** `variant/locale/size`; every delivered cell when absent. */
  readonly cell?: string;
  /** Candidate k of the cell (0: the cell's own seed). */
  readonly pick?: number;
}

export interface ApprovedCampaign {
  readonly name: string;
  readonly file: string;
  readonly approved: readonly string[];
}

/**
 * Approves what the last build delivered: for each chosen cell, its generation key and the sha256
 * of its delivered file go into campaigns/<campaign>/approved.lock. Only cells whose delivered
 * image is the one the campaign makes today can be approved (build first, then review, then approve).
 */
export async function approveCampaign(p: PreparedCampaign, outRoot: string, options: ApproveOptions): Promise<ApprovedCampaign> {
  const manifest = await builtManifest(p, outRoot);
  const lock = await readApprovals(p);
  const currentKey = new Map(p.generations.flatMap((g) => g.cells.map((c) => [approvalCellId({ variant: c.variant.id, locale: c.locale.tag, size: c.size.id }), g.key] as const)));
  const problems: Problem[] = [];
  const pick = options.pick ?? 0;
  if (pick !== 0) problems.push({ code: 'E_USAGE', path: '--pick', message: `this build delivered candidate 0 only; received ${pick}` });
  if (options.cell !== undefined && !currentKey.has(options.cell)) {
    problems.push({ code: 'E_USAGE', path: '--cell', message: `no cell ${JSON.stringify(options.cell)} in campaign ${p.campaign.name}; expected variant/locale/size, one of ${[...currentKey.keys()].slice(0, 5).join(', ')}` });
  }
  const chosen = new Map<string, Approval>();
  for (const asset of manifest.assets) {
    const id = approvalCellId(asset);
    if (options.cell !== undefined && id !== options.cell) continue;
    const key = currentKey.get(id);
    if (key === undefined) continue;
    if (key !== asset.generation.key) {
      problems.push({ code: 'E_NOT_BUILT', path: id, message: 'the delivered image predates a change to the campaign; build again and review before approving' });
      continue;
    }
    chosen.set(id, { key, sha256: asset.sha256, pick });
  }
  if (options.cell !== undefined && currentKey.has(options.cell) && !chosen.has(options.cell) && problems.length === 0) {
    problems.push({ code: 'E_NOT_BUILT', path: options.cell, message: 'this cell has no delivered image (it failed or was not built)' });
  }
  if (problems.length > 0) throw new InputError(problems);
  const file = approvalsFileOf(p);
  const text = serialiseApprovals({ campaign: p.campaign.name, cells: { ...(lock?.cells ?? {}), ...Object.fromEntries(chosen) } });
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(file, text);
  return { name: p.campaign.name, file, approved: [...chosen.keys()].sort() };
}
