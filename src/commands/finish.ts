import { join } from 'node:path';
import { InputError, problem } from '../core/errors.js';
import { failureOf } from '../core/outcome.js';
import type { CampaignManifest, CampaignResult, JobFailure } from '../core/results.js';
import { WriteError } from '../fs/write-error.js';
import { approvalMarks, cellsStillDiffering } from '../plan/approvals.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { writeCampaignSheet } from '../post/campaign-sheet.js';
import { writeDeliveredState, type FileStamp, type Stamps } from '../post/delivered-state.js';
import { type Delivery, removeStaleDeliveries } from '../post/deliver.js';
import { writeGalleryFonts, type GalleryFonts } from '../post/gallery-fonts.js';
import { createOutGuard, trustedManifest, type OutGuard } from '../post/out-paths.js';
import { DIFF_PAGE, isFile, removeStaleReviewFiles } from '../post/review-files.js';
import { writeThumbnails } from '../post/thumbnails.js';
import { campaignEntries, campaignManifest, withCandidateSpend, type CandidatesOutcome } from '../report/campaign-manifest.js';
import { writeCampaignGallery } from '../report/gallery/write.js';
import { MANIFEST_FILE, readPreviousManifest, writeManifest } from '../report/manifest.js';
import { campaignResult } from '../report/summary.js';

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
 * post -> report for one campaign: stale files out, contact sheet, manifest, gallery, counts. A
 * contact sheet that cannot be written never costs the manifest; what failed is reported per campaign.
 */
export async function finishCampaign(p: PreparedCampaign, results: readonly Delivery[], previous: CampaignManifest | undefined, out: CampaignOut, review?: CandidatesOutcome): Promise<CampaignResult> {
  const entries = campaignEntries(p.allCells, results, previous, { ...(out.frozen ? { frozen: true } : {}), ...(review ? { review } : {}) });
  await removeStaleDeliveries(out.guard, previous?.assets ?? [], entries.assets);
  await removeStaleReviewFiles(out.guard, entries.assets, cellsStillDiffering(p.approvals, p.campaign, p.generations, p.provider.multipleResults));
  const writeErrors: JobFailure[] = [];
  const failedWrite = (err: unknown, what: string): void => {
    const failure = failureOf(err, p.provider.name);
    const message = err instanceof WriteError ? err.describeUnder(out.outDir, out.shownOutDir) : `${what}: ${failure.message}`;
    out.note(`failed ${p.campaign.name}: ${message}`);
    writeErrors.push({ ...failure, message });
  };
  // No recipe when the sheet could not be written: the next build draws it again.
  const contactSheet = await writeCampaignSheet(p.campaign, p.provider.name, p.allCells, entries, previous, out.outDir, out.verify).catch((err: unknown) => {
    failedWrite(err, 'contact sheet');
    return { recipe: '', pages: [] };
  });
  const head = { campaign: p.campaign.name, provider: p.provider.name, model: p.campaign.model, contactSheet };
  // The local renderer is free; a silent provider is unknown, not free (report/cost.ts).
  const manifest = campaignManifest(head, entries, { free: p.provider.cpuBound === true, ...(review ? { review } : {}), ...(out.stopped ? { stopped: out.stopped } : {}) });
  const manifestFile = await writeManifest(out.outDir, manifest).catch((err: unknown) => {
    failedWrite(err, 'manifest');
    return join(out.outDir, MANIFEST_FILE);
  });
  await writeGallery(p, manifest, out).catch((err: unknown) => failedWrite(err, 'gallery'));
  // Stamps of this build's files, and the previous ones for cells a filter left alone.
  const fresh = new Map(results.flatMap((r) => r.stamps));
  const stamps = new Map<string, FileStamp>();
  for (const a of entries.assets) {
    const stamp = fresh.get(a.file) ?? out.stamps.get(a.file);
    if (stamp) stamps.set(a.file, stamp);
  }
  await writeDeliveredState(out.statePath, stamps);
  const counts = { previous, built: out.built, allCells: p.allCells.length, refused: entries.refused };
  const result = withCandidateSpend(campaignResult(p.campaign.name, results, entries, manifestFile, counts), review);
  return writeErrors.length > 0 ? { ...result, writeErrors } : result;
}

/** post (thumbnails, fonts) -> plan (approval marks) -> report (the page) for one campaign's gallery, after its manifest. */
export async function writeGallery(p: PreparedCampaign, manifest: CampaignManifest, out: { readonly outDir: string; readonly guard: OutGuard }): Promise<string> {
  const thumbs = await writeThumbnails(out.guard, manifest.assets);
  const locales = p.campaign.locales.map((l) => {
    const headline = l.strings['headline'];
    return { tag: l.tag, direction: l.direction, ...(typeof headline === 'string' ? { headline } : {}) };
  });
  const { approvedCells, approvedCandidates } = approvalMarks(p.approvals, p.campaign, p.allCells, manifest.assets);
  const extraShots = new Map(
    manifest.assets
      .filter((a) => (a.candidates ?? []).length > 0)
      .map((a) => {
        const cell = `${a.variant}/${a.locale}/${a.size}`;
        return [cell, a.candidates!.map((c) => ({ file: c.file, thumb: c.thumb, label: `candidate ${c.pick}`, approved: approvedCandidates.get(cell)?.has(c.key) ?? false }))] as const;
      }),
  );
  const fonts = await pageFonts(p, manifest, out.guard);
  const diffPath = await out.guard(DIFF_PAGE);
  const hasDiff = diffPath !== undefined && (await isFile(diffPath));
  return writeCampaignGallery(out.outDir, {
    campaign: manifest.campaign,
    provider: manifest.provider,
    model: manifest.model,
    ...(manifest.totalCost !== undefined ? { totalCost: manifest.totalCost } : {}),
    locales,
    assets: manifest.assets,
    failures: manifest.failures,
    thumbs,
    extraShots,
    approvedCells,
    fonts,
    ...(hasDiff ? { diffPage: DIFF_PAGE } : {}),
  });
}

/**
 * The Noto faces the campaign's pages (gallery, diff) ship, written under out/<campaign>/fonts/:
 * for each locale, what drew its layers in the last build, else what its headline needs.
 */
export function pageFonts(p: PreparedCampaign, manifest: CampaignManifest | undefined, guard: OutGuard): Promise<GalleryFonts> {
  const layerFonts = new Map<string, string[]>();
  for (const a of manifest?.assets ?? []) for (const l of a.layers ?? []) layerFonts.set(a.locale, [...(layerFonts.get(a.locale) ?? []), ...l.fonts]);
  return writeGalleryFonts(
    guard,
    p.campaign.locales.map((l) => {
      const headline = l.strings['headline'];
      return { tag: l.tag, layerFonts: layerFonts.get(l.tag) ?? [], ...(typeof headline === 'string' ? { headline } : {}) };
    }),
  );
}

/** The last build's manifest of the campaign (what a reviewer saw in its gallery); undefined when there is none to trust. */
export async function lastManifest(p: PreparedCampaign, outRoot: string): Promise<{ manifest?: CampaignManifest; problem?: string }> {
  return trustedManifest(await readPreviousManifest(join(outRoot, p.campaign.name)), p.campaign.name);
}

/**
 * The campaign's gallery again from its last build's manifest, after `approve` or `diff` changed
 * what it shows (approved marks, the diff link); nothing when the campaign was never built.
 */
export async function refreshGallery(p: PreparedCampaign, outRoot: string): Promise<void> {
  const { manifest } = await lastManifest(p, outRoot);
  const outDir = join(outRoot, p.campaign.name);
  if (manifest) await writeGallery(p, manifest, { outDir, guard: createOutGuard(outDir) });
}

/** The last build's manifest, or why there is nothing to approve or compare (exit 2). */
export async function builtManifest(p: PreparedCampaign, outRoot: string): Promise<CampaignManifest> {
  const { manifest, problem: reason } = await lastManifest(p, outRoot);
  if (manifest) return manifest;
  throw new InputError([problem('E_NOT_BUILT', reason !== undefined ? { kind: 'untrusted', reason } : { kind: 'no-build' }, { file: join(outRoot, p.campaign.name, MANIFEST_FILE) })]);
}
