import { join } from 'node:path';
import type { CampaignManifest } from '../core/results.js';
import { approvalCellId, cellIdOf, deliversApproved } from '../plan/approvals.js';
import { deliveryPlanOf } from '../plan/approved-delivery.js';
import { createOutGuard, type OutGuard } from '../post/out-paths.js';
import { writeGalleryFonts, type GalleryFonts } from '../post/gallery-fonts.js';
import { DIFF_PAGE, isFile } from '../post/review-files.js';
import { writeThumbnails } from '../post/thumbnails.js';
import type { GalleryShot } from '../report/gallery/html.js';
import { writeCampaignGallery } from '../report/gallery/write.js';
import { builtManifest } from './approvals-io.js';
import type { PreparedCampaign } from './prepare.js';

/** post (thumbnails) -> report (the page) for one campaign's gallery, after its manifest. */
export async function writeGallery(p: PreparedCampaign, manifest: CampaignManifest, out: { readonly outDir: string; readonly guard: OutGuard }): Promise<string> {
  const thumbs = await writeThumbnails(out.guard, manifest.assets);
  const locales = p.campaign.locales.map((l) => {
    const headline = l.strings['headline'];
    return { tag: l.tag, direction: l.direction, ...(typeof headline === 'string' ? { headline } : {}) };
  });
  const lock = p.approvals;
  const cellsById = new Map(p.allCells.map((c) => [cellIdOf(c), c]));
  const extraShots = new Map<string, GalleryShot[]>();
  const approvedCells = new Set<string>();
  for (const a of manifest.assets) {
    const cell = approvalCellId(a);
    const approval = lock?.cells[cell];
    // Outlined: the delivered file when it is the approved one; else the approved candidate, while
    // what it would deliver today is what was approved (a pick not yet built).
    const delivered = deliversApproved(approval, a);
    if (delivered) approvedCells.add(cell);
    const planned = cellsById.get(cell);
    const pending = (key: string) =>
      !delivered && approval?.key === key && (!approval.delivered || (planned !== undefined && deliveryPlanOf(p.campaign, planned, key).recipe === approval.delivered.recipe));
    const shots = (a.candidates ?? []).map((c) => ({ file: c.file, thumb: c.thumb, label: `candidate ${c.pick}`, approved: pending(c.key) }));
    if (shots.length > 0) extraShots.set(cell, shots);
  }
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

/**
 * The campaign's gallery again from its last build's manifest, after `approve` or `diff` changed
 * what it shows (approved marks, the diff link); nothing when the campaign was never built.
 */
export async function refreshGallery(p: PreparedCampaign, outRoot: string): Promise<void> {
  const manifest = await builtManifest(p, outRoot).catch(() => undefined);
  const outDir = join(outRoot, p.campaign.name);
  if (manifest) await writeGallery(p, manifest, { outDir, guard: createOutGuard(outDir) });
}
