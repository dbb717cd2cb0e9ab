import { join } from 'node:path';
import { openCacheStore } from '../cache/store.js';
import { writeOutputFile } from '../fs/write-error.js';
import { loadSharp } from '../image/sharp.js';
import { perceptualDifference } from '../image/perceptual.js';
import { frozenProblems } from '../plan/approvals.js';
import { drawDiffSheet, type DiffPair } from '../post/diff-sheet.js';
import { renderDiffPage, type DiffRow } from '../report/gallery/diff-html.js';
import { readApprovals } from './approvals-io.js';
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

const DIFF_DIR = 'diff';

/**
 * For every cell whose generation key changed since approval: the approved and the new generated
 * image from the cache, side by side with a perceptual difference score, as out/<campaign>/diff.png
 * and diff.html. Cells approved but never regenerated say so: build first.
 */
export async function diffCampaign(p: PreparedCampaign, options: { readonly outRoot: string; readonly cacheDir: string }): Promise<CampaignDiff> {
  const lock = await readApprovals(p);
  const changed = frozenProblems(lock, p.generations).filter((c) => c.reason === 'changed');
  if (changed.length === 0) return { name: p.campaign.name, changed: [] };
  const cache = openCacheStore(options.cacheDir);
  const outDir = join(options.outRoot, p.campaign.name);
  const sharp = await loadSharp();
  const rows: DiffRow[] = [];
  const pairs: DiffPair[] = [];
  const cells: ChangedCell[] = [];
  for (const c of changed) {
    const [approved, current] = await Promise.all([cache.read(c.approvedKey!), cache.read(c.key)]);
    const stem = `${DIFF_DIR}/${c.cell.replace(/\//g, '--')}`;
    const thumb = async (bytes: Uint8Array | undefined, name: string) => {
      if (!bytes) return undefined;
      const file = `${stem}-${name}.webp`;
      await writeOutputFile(join(outDir, file), await sharp(bytes).resize(480, 480, { fit: 'inside' }).webp({ quality: 80 }).toBuffer());
      return file;
    };
    const [approvedFile, currentFile] = await Promise.all([thumb(approved?.bytes, 'approved'), thumb(current?.bytes, 'new')]);
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
  const png = join(outDir, 'diff.png');
  const html = join(outDir, 'diff.html');
  await writeOutputFile(png, await drawDiffSheet(pairs));
  await writeOutputFile(html, renderDiffPage(p.campaign.name, rows));
  return { name: p.campaign.name, changed: cells, png, html };
}
