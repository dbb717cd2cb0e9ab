import { join } from 'node:path';
import { PressroomError } from '../core/errors.js';
import type { CampaignManifest, CampaignResult, FailureEntry, JobFailure } from '../core/results.js';
import { WriteError } from '../fs/write-error.js';
import { writeCampaignSheet } from '../post/campaign-sheet.js';
import { writeDeliveredState, type FileStamp, type Stamps } from '../post/delivered-state.js';
import { type Delivery, removeStaleDeliveries } from '../post/deliver.js';
import type { OutGuard } from '../post/out-paths.js';
import { MANIFEST_FILE, mergeEntries, totalCostOf, writeManifest } from '../report/manifest.js';
import { campaignResult } from '../report/summary.js';
import type { CandidatesOutcome } from './candidates.js';
import { writeGallery } from './gallery.js';
import type { PreparedCampaign } from './prepare.js';
import { removeStaleReviewFiles, withCandidateSpend, withCandidates, withCandidatesCost } from './review-build.js';

/** Where one campaign of a build writes, and how it was built. */
export interface CampaignOut {
  readonly outDir: string;
  readonly shownOutDir: string;
  readonly guard: OutGuard;
  readonly statePath: string;
  readonly stamps: Stamps;
  readonly verify: boolean;
  readonly note: (message: string) => void;
  readonly stopped?: CampaignManifest['stopped'];
  /** A frozen build: every cell it delivers is as approved. */
  readonly frozen?: boolean;
  /** Cells this build delivers (the rest a filter or another shard left out). */
  readonly built: number;
}

/**
 * post -> report for one campaign: stale files out, contact sheet, manifest, counts. A contact
 * sheet that cannot be written never costs the manifest; what failed is reported per campaign.
 */
export async function finishCampaign(
  p: PreparedCampaign,
  results: readonly Delivery[],
  previous: CampaignManifest | undefined,
  out: CampaignOut,
  review?: CandidatesOutcome,
): Promise<CampaignResult> {
  const { outDir, shownOutDir } = out;
  // A cell a frozen build refused to overwrite keeps its approved file, in out/ and in the manifest.
  const kept = new Set((previous?.assets ?? []).map((a) => `${a.variant}/${a.locale}/${a.size}`));
  const refusedHere = (f: FailureEntry) => out.frozen === true && f.error.code === 'E_UNAPPROVED' && kept.has(`${f.variant}/${f.locale}/${f.size}`);
  const merged = results.map((r) => ({ ...r, failures: r.failures.filter((f) => !refusedHere(f)) }));
  const entries = withCandidates(mergeEntries(p.allCells, merged, previous), results, review);
  await removeStaleDeliveries(out.guard, previous?.assets ?? [], entries.assets);
  await removeStaleReviewFiles(p, entries.assets, out.guard);
  const writeErrors: JobFailure[] = [];
  const failedWrite = (err: unknown, what: string): JobFailure => {
    const message =
      err instanceof WriteError ? err.describe(err.path.startsWith(`${outDir}/`) ? `${shownOutDir}/${err.path.slice(outDir.length + 1)}` : err.path) : `${what}: ${(err as Error)?.message ?? String(err)}`;
    const failure: JobFailure = { code: err instanceof PressroomError ? err.code : 'E_INTERNAL', message, provider: p.provider.name };
    out.note(`failed ${p.campaign.name}: ${message}`);
    return failure;
  };
  let contactSheet: CampaignManifest['contactSheet'];
  try {
    contactSheet = await writeCampaignSheet(p.campaign, p.provider.name, p.allCells, entries, previous, outDir, out.verify);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'contact sheet'));
    // No recipe: the next build draws the sheet again.
    contactSheet = { recipe: '', pages: [] };
  }
  const totalCost = totalCostOf(entries.assets);
  const manifest: CampaignManifest = {
    campaign: p.campaign.name,
    provider: p.provider.name,
    model: p.campaign.model,
    assets: entries.assets,
    failures: entries.failures,
    contactSheet,
    // Every manifest says what it cost: the local renderer is free; a silent provider is unknown, not free.
    totalCost: withCandidatesCost(totalCost ?? (p.provider.cpuBound || entries.assets.length === 0 ? 0 : null), review),
    ...(review?.cost !== undefined ? { candidatesCost: review.cost } : {}),
    ...(out.stopped ? { stopped: out.stopped } : {}),
  };
  let manifestFile = join(outDir, MANIFEST_FILE);
  try {
    manifestFile = await writeManifest(outDir, manifest);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'manifest'));
  }
  try {
    await writeGallery(p, manifest, out);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'gallery'));
  }
  // Stamps of this build's files, and the previous ones for cells a filter left alone.
  const fresh = new Map(results.flatMap((r) => r.stamps));
  const stamps = new Map<string, FileStamp>();
  for (const a of entries.assets) {
    const stamp = fresh.get(a.file) ?? out.stamps.get(a.file);
    if (stamp) stamps.set(a.file, stamp);
  }
  await writeDeliveredState(out.statePath, stamps);
  const refused = results.flatMap((r) => r.failures.filter(refusedHere));
  const counts = { previous, built: out.built, allCells: p.allCells.length, refused };
  const result = withCandidateSpend(campaignResult(p.campaign.name, results, entries, manifestFile, counts), review);
  return writeErrors.length > 0 ? { ...result, writeErrors } : result;
}
