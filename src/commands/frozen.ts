import { frozenProblems } from '../plan/approvals.js';
import { approvalCellId } from '../plan/approvals.js';
import { approvalsFileOf, builtManifest, readApprovals } from './approvals-io.js';
import { relativeTo, reported, type ReportedError } from './outcome.js';
import type { PreparedCampaign } from './prepare.js';

/**
 * `build --frozen`, before anything runs: every cell must be approved in approved.lock with the
 * generation key it has today. One error per cell otherwise (the build then does nothing).
 */
export async function unapprovedCells(prepared: readonly PreparedCampaign[], cwd: string): Promise<ReportedError[]> {
  const rel = relativeTo(cwd);
  const errors: ReportedError[] = [];
  for (const p of prepared) {
    const lock = await readApprovals(p);
    for (const problem of frozenProblems(lock, p.generations)) {
      const message =
        problem.reason === 'unapproved'
          ? `${p.campaign.name} ${problem.cell}: not approved`
          : `${p.campaign.name} ${problem.cell}: changed since approval (approved generation ${problem.approvedKey!.slice(0, 12)}, now ${problem.key.slice(0, 12)})`;
      errors.push(reported('E_UNAPPROVED', message, { file: rel(approvalsFileOf(p)), field: problem.cell }));
    }
  }
  return errors;
}

/** `build --frozen`, after delivery: every delivered file must be the very image that was approved. */
export async function unapprovedDeliveries(prepared: readonly PreparedCampaign[], outRoot: string, cwd: string): Promise<ReportedError[]> {
  const rel = relativeTo(cwd);
  const errors: ReportedError[] = [];
  for (const p of prepared) {
    const lock = await readApprovals(p);
    const manifest = await builtManifest(p, outRoot);
    for (const asset of manifest.assets) {
      const id = approvalCellId(asset);
      const approved = lock?.cells[id];
      if (approved && approved.sha256 !== asset.sha256) {
        errors.push(reported('E_UNAPPROVED', `${p.campaign.name} ${id}: delivered ${asset.file} (sha256 ${asset.sha256.slice(0, 12)}) is not the approved image (${approved.sha256.slice(0, 12)})`, { file: rel(approvalsFileOf(p)), field: id }));
      }
    }
  }
  return errors;
}
