import { lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { CampaignManifest } from '../core/results.js';
import { readProjectText } from '../manifest/project-file.js';
import { trustedManifest } from '../post/out-paths.js';
import { APPROVALS_FILE, parseApprovals, type ApprovalLock } from '../plan/approvals.js';
import { readPreviousManifest } from '../report/manifest.js';

/** A lock records a few hundred bytes per cell: 32 MiB is some 50,000 cells with text layers. */
export const MAX_LOCK_BYTES = 32 * 1024 * 1024;

export const approvalsFileOf = (p: { readonly campaign: ResolvedCampaign }) => join(p.campaign.dir, APPROVALS_FILE);

/**
 * The campaign's approved.lock, checked; undefined when there is none yet. Read like every other
 * project file (inside the project, a regular file, under a size cap, a FIFO never waited on): a
 * lock that links elsewhere is refused by its path, its content never read nor echoed.
 */
export async function readApprovals(campaign: ResolvedCampaign, projectRoot: string): Promise<ApprovalLock | undefined> {
  const file = join(campaign.dir, APPROVALS_FILE);
  const shown = relative(projectRoot, file).split('\\').join('/') || APPROVALS_FILE;
  // No lock (not even a dangling link): nothing approved yet.
  if ((await lstat(file).catch(() => undefined)) === undefined) return undefined;
  const read = await readProjectText(file, projectRoot, { maxBytes: MAX_LOCK_BYTES, shown, what: 'approval file' });
  if ('problem' in read) {
    const at = read.line !== undefined ? { line: read.line, ...(read.col !== undefined ? { col: read.col } : {}) } : {};
    throw new InputError([{ code: read.code ?? 'E_APPROVALS', file, ...at, message: read.problem }]);
  }
  return parseApprovals(read.text, file, campaign.name);
}

/** The last build's manifest of the campaign: what a reviewer saw in its gallery. */
export async function builtManifest(p: { readonly campaign: ResolvedCampaign }, outRoot: string): Promise<CampaignManifest> {
  const outDir = join(outRoot, p.campaign.name);
  const trusted = trustedManifest(await readPreviousManifest(outDir), p.campaign.name);
  if (!trusted.manifest) {
    throw new InputError([{ code: 'E_NOT_BUILT', file: join(outDir, 'manifest.json'), message: trusted.problem ?? 'no build of this campaign yet' }]);
  }
  return trusted.manifest;
}
