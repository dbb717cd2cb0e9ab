import { join } from 'node:path';
import { openCacheStore } from '../cache/store.js';
import { writeOutputFile } from '../fs/write-error.js';
import { loadSharp } from '../image/sharp.js';
import { perceptualDifference } from '../image/perceptual.js';
import { frozenProblems } from '../plan/approvals.js';
import { drawDiffSheet, type DiffPair } from '../post/diff-sheet.js';
import { createOutGuard } from '../post/out-paths.js';
import { DIFF_DIR, DIFF_PAGE, DIFF_PNG, diffFilesOf, removeDiffSummary, removeUnreferenced } from '../post/review-files.js';
import { renderDiffPage, type DiffRow } from '../report/gallery/diff-html.js';
import { readApprovals } from './approvals-io.js';
import { refreshGallery } from './gallery.js';
import type { PreparedCampaign } from './prepare.js';

export interface ChangedCell {
  readonly cell: string;
  /** 0 (same picture) to 1; absent when either image is not in the cache. */
  readonly score?: number;
  readonly note?: string;
}

export interface CampaignDiff {
  readonly name: string;
  readonly changed: readonly ChangedCell[];
  /** out/<campaign>/diff.png and diff.html; absent when nothing changed. */
  readonly png?: string;
  readonly html?: string;
}

/**
 * For every cell whose generation key changed since approval: the approved and the new generated
 * image from the cache, side by side with a perceptual difference score, as out/<campaign>/diff.png
 * and diff.html. Cells approved but never regenerated say so: build first. Pictures of an earlier
 * diff that no longer apply are removed.
 */
export async function diffCampaign(p: PreparedCampaign, options: { readonly outRoot: string; readonly cacheDir: string }): Promise<CampaignDiff> {
  const lock = await readApprovals(p);
  const changed = frozenProblems(lock, p.generations, p.provider.multipleResults).filter((c) => c.reason === 'changed');
  const outDir = join(options.outRoot, p.campaign.name);
  const guard = createOutGuard(outDir);
  const written = new Set<string>();
  if (changed.length === 0) {
    await removeUnreferenced(guard, DIFF_DIR, written);
    await removeDiffSummary(guard);
    await refreshGallery(p, options.outRoot);
    return { name: p.campaign.name, changed: [] };
  }
  const cache = openCacheStore(options.cacheDir);
  const sharp = await loadSharp();
  const rows: DiffRow[] = [];
  const pairs: DiffPair[] = [];
  const cells: ChangedCell[] = [];
  const write = async (file: string, bytes: Uint8Array | string) => {
    const path = await guard(file);
    if (!path) throw new Error(`not writing ${p.campaign.name}/${file}: its folder lies outside out/${p.campaign.name}`);
    await writeOutputFile(path, bytes);
    written.add(file);
    return path;
  };
  for (const c of changed) {
    // The new image of an approved candidate is that candidate made today, else what a build delivers now.
    const [approved, current] = await Promise.all([cache.read(c.approvedKey!), cache.read(c.key).then((hit) => hit ?? cache.read(c.generationKey))]);
    const [approvedName, currentName] = diffFilesOf(c.cell);
    const thumb = async (bytes: Uint8Array | undefined, file: string) => {
      if (!bytes) return undefined;
      await write(file, await sharp(bytes).resize(480, 480, { fit: 'inside' }).webp({ quality: 80 }).toBuffer());
      return file;
    };
    const [approvedFile, currentFile] = await Promise.all([thumb(approved?.bytes, approvedName), thumb(current?.bytes, currentName)]);
    if (approved && current) {
      const { score } = await perceptualDifference(approved.bytes, current.bytes);
      pairs.push({ cell: c.cell, approved: approved.bytes, current: current.bytes, score });
      rows.push({ cell: c.cell, approved: approvedFile, current: currentFile, score });
      cells.push({ cell: c.cell, score });
    } else {
      const note = !current ? 'new image not built yet: run pressroom build first' : 'approved image no longer in the cache';
      rows.push({ cell: c.cell, approved: approvedFile, current: currentFile, note });
      cells.push({ cell: c.cell, note });
    }
  }
  const png = await write(DIFF_PNG, await drawDiffSheet(pairs));
  const html = await write(DIFF_PAGE, renderDiffPage(p.campaign.name, rows));
  await removeUnreferenced(guard, DIFF_DIR, written);
  await refreshGallery(p, options.outRoot);
  return { name: p.campaign.name, changed: cells, png, html };
}

