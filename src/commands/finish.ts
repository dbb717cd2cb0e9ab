import { join } from 'node:path';
import { InputError, problem } from '../core/errors.js';
import { failureOf } from '../core/outcome.js';
import type { Cell, PromptedCell } from '../core/generation.js';
import type { AssetEntry, CampaignManifest, CampaignResult, JobFailure } from '../core/results.js';
import { WriteError } from '../fs/write-error.js';
import { approvalMarks, cellsStillDiffering } from '../plan/approvals.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { writeCampaignSheet } from '../post/campaign-sheet.js';
import { writeDeliveredState, type FileStamp, type FinishState, type Stamps } from '../post/delivered-state.js';
import { finishDigest, finishUnchanged, mapless, stampsUnder, type FinishInputs } from '../post/finish-state.js';
import { type Delivery, removeStaleDeliveries } from '../post/deliver.js';
import { writeGalleryFonts, type GalleryFonts } from '../post/gallery-fonts.js';
import { createOutGuard, trustedManifest, type OutGuard } from '../post/out-paths.js';
import { DIFF_PAGE, isFile, removeStaleReviewFiles } from '../post/review-files.js';
import { THUMBS_DIR, writeThumbnails } from '../post/thumbnails.js';
import { FONTS_DIR } from '../post/gallery-fonts.js';
import { campaignEntries, campaignManifest, withCandidateSpend, type CandidatesOutcome } from '../report/campaign-manifest.js';
import { GALLERY_FILE, writeCampaignGallery } from '../report/gallery/write.js';
import { MANIFEST_FILE, readPreviousManifest, writeManifest } from '../report/manifest.js';
import { campaignResult } from '../report/summary.js';

/** Where one campaign of a build writes, and how it was built. */
export interface CampaignOut {
  readonly outDir: string;
  readonly shownOutDir: string;
  readonly guard: OutGuard;
  readonly statePath: string;
  readonly stamps: Stamps;
  /** What the last build's finish of this campaign was made from and left (delivered-state). */
  readonly finish?: FinishState;
  /** The stat of out/<campaign>/manifest.json when the build read it as the previous manifest (size -1: none). */
  readonly previousStamp?: FileStamp;
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
  // Stamps of this build's files, and the previous ones for cells a filter left alone.
  const fresh = new Map(results.flatMap((r) => r.stamps));
  const stamps = new Map<string, FileStamp>();
  for (const a of entries.assets) {
    const stamp = fresh.get(a.file) ?? out.stamps.get(a.file);
    if (stamp) stamps.set(a.file, stamp);
  }
  const counts = { previous, built: out.built, allCells: p.allCells.length, refused: entries.refused };
  const manifestPath = join(out.outDir, MANIFEST_FILE);
  // Everything below reads these and nothing else (besides the files stamped with the digest and
  // the package's fonts, which the code identity covers). --verify rehashes, so it never skips.
  const digest = out.verify ? undefined : finishDigest(finishInputs(p, results, previous, out, review));
  if (digest !== undefined && (await finishUnchanged(out.outDir, out.finish, digest))) {
    await writeDeliveredState(out.statePath, { stamps, finish: out.finish! });
    return withCandidateSpend(campaignResult(p.campaign.name, results, entries, manifestPath, counts), review);
  }
  const writeErrors: JobFailure[] = [];
  const failedWrite = (err: unknown, what: string): void => {
    const failure = failureOf(err, p.provider.name);
    const message = err instanceof WriteError ? err.describeUnder(out.outDir, out.shownOutDir) : `${what}: ${failure.message}`;
    out.note(`failed ${p.campaign.name}: ${message}`);
    writeErrors.push({ ...failure, message });
  };
  const head = { campaign: p.campaign.name, provider: p.provider.name, model: p.campaign.model };
  // The local renderer is free; a silent provider is unknown, not free (report/cost.ts).
  const options = { free: p.provider.cpuBound === true, ...(review ? { review } : {}), ...(out.stopped ? { stopped: out.stopped } : {}) };
  // The contact sheet, then the manifest (the record of what was delivered), then the gallery: on
  // a disk that fills up, the review pages never take the room the manifest needs (they were once
  // drawn beside the sheet, and a gallery's thumbnails and fonts left no byte for the manifest).
  const noSheet = { recipe: '', pages: [] };
  const sheet = await writeCampaignSheet(p.campaign, p.provider.name, p.allCells, entries, previous, out.outDir, out.verify).catch((err: unknown) => {
    // No recipe when the sheet could not be written: the next build draws it again.
    failedWrite(err, 'contact sheet');
    return noSheet;
  });
  const manifest = campaignManifest({ ...head, contactSheet: sheet }, entries, options);
  const manifestFile = await writeManifest(out.outDir, manifest).catch((err: unknown) => {
    failedWrite(err, 'manifest');
    return join(out.outDir, MANIFEST_FILE);
  });
  await writeGallery(p, manifest, out).catch((err: unknown) => failedWrite(err, 'gallery'));
  // Recorded only when every file was written: a failed one makes the next build try again.
  const finish = digest !== undefined && writeErrors.length === 0 ? { digest, files: await stampsUnder(out.outDir, finishFiles(manifest)) } : undefined;
  await writeDeliveredState(out.statePath, { stamps, ...(finish ? { finish } : {}) });
  const result = withCandidateSpend(campaignResult(p.campaign.name, results, entries, manifestFile, counts), review);
  return writeErrors.length > 0 ? { ...result, writeErrors } : result;
}

/** What a finish reads: of the campaign, what finishCampaign and writeGallery use; plain data. */
export function finishInputs(p: PreparedCampaign, results: readonly Delivery[], previous: CampaignManifest | undefined, out: CampaignOut, review: CandidatesOutcome | undefined): FinishInputs {
  const { campaign, approvals, provider } = p;
  const provided = { name: provider.name, cpuBound: provider.cpuBound, multipleResults: provider.multipleResults };
  // A cell's variant, locale and size are the campaign's own (digested with it): named by id, not
  // repeated per cell, which made the digest of 1,000 cells cost more than what it spares.
  const cellOf = ({ variant, locale, size, ...own }: Cell) => [variant.id, locale.tag, size.id, own];
  const allCells = p.allCells.map(cellOf);
  // A generation without its request, which its key hashes (prompt, size, seed, model, references,
  // options; the label is the campaign's and its first cell's), and its cells without their prompt,
  // the key's too: spelled out again they were most of the digest, 50 MB of JSON at 50,000 cells.
  const promptedOf = ({ variant, locale, size, prompt: _prompt, ...own }: PromptedCell) => [variant.id, locale.tag, size.id, own];
  const generations = p.generations.map(({ cells, request: _request, ...gen }) => [gen, cells.map(promptedOf)]);
  // Stamps are when files were written, not what they hold: the entries carry their sha256. An
  // entry that is the last manifest's own (a file left in place) is that manifest's, which its
  // stat below pins: named by its file.
  const kept = new Set<AssetEntry>(previous?.assets ?? []);
  const delivered = results.map(({ stamps: _stamps, entries, ...rest }) => [rest, entries.map((e) => (kept.has(e) ? e.file : e))]);
  // The last manifest by the stat it had when this build read it: the same stat, the same manifest
  // (it is at least as large as everything else here together).
  const few = { campaign, approvals, provided, previous: out.previousStamp ?? null, review, stopped: out.stopped, frozen: out.frozen, built: out.built, outDir: out.outDir };
  return { few, many: [mapless(allCells), mapless(generations), mapless(delivered)] };
}

/** What a finish leaves under out/<campaign>/: the files and folders its skip must find as they were. */
function finishFiles(manifest: CampaignManifest): string[] {
  return [MANIFEST_FILE, GALLERY_FILE, DIFF_PAGE, THUMBS_DIR, FONTS_DIR, ...(manifest.contactSheet?.pages ?? []).map((pg) => pg.file)];
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
