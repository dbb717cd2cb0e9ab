import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { CampaignManifest } from '../core/results.js';
import { trustedManifest } from '../post/out-paths.js';
import { APPROVALS_FILE, parseApprovals, type ApprovalLock } from '../plan/approvals.js';
import { readPreviousManifest } from '../report/manifest.js';
import type { PreparedCampaign } from './prepare.js';

export const approvalsFileOf = (p: PreparedCampaign) => join(p.campaign.dir, APPROVALS_FILE);

/** The campaign's approved.lock, checked; undefined when there is none yet. */
export async function readApprovals(p: PreparedCampaign): Promise<ApprovalLock | undefined> {
  const file = approvalsFileOf(p);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new InputError([{ code: 'E_APPROVALS', file, message: `cannot read: ${err.code ?? err.message}` }]);
  });
  return text === undefined ? undefined : parseApprovals(text, file, p.campaign.name);
}

/** The last build's manifest of the campaign: what a reviewer saw in its gallery. */
export async function builtManifest(p: PreparedCampaign, outRoot: string): Promise<CampaignManifest> {
  const outDir = join(outRoot, p.campaign.name);
  const trusted = trustedManifest(await readPreviousManifest(outDir), p.campaign.name);
  if (!trusted.manifest) {
    throw new InputError([{ code: 'E_NOT_BUILT', file: join(outDir, 'manifest.json'), message: trusted.problem ?? 'no build of this campaign yet' }]);
  }
  return trusted.manifest;
}
