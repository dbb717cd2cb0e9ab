import { join } from 'node:path';
import { openCacheStore } from '../cache/store.js';
import { errorOf } from '../core/errors.js';
import type { Cell } from '../core/generation.js';
import { writeOutputFile } from '../fs/write-error.js';
import { loadSharp } from '../image/sharp.js';
import { perceptualDifference } from '../image/perceptual.js';
import { cellIdOf, frozenProblems, type Approval, type FrozenProblem } from '../plan/approvals.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { deliveryPlanOf, placedFromRecord } from '../plan/approved-delivery.js';
import { createCompositor, type Compositor } from '../compose/index.js';
import { composeInMemory, composeTarget } from '../post/compose.js';
import { drawDiffSheet, type DiffPair } from '../post/diff-sheet.js';
import { createOutGuard } from '../post/out-paths.js';
import { DIFF_DIR, DIFF_PAGE, DIFF_PNG, diffFilesOf, removeDiffSummary, removeUnreferenced } from '../post/review-files.js';
import { renderDiffPage, type DiffRow } from '../report/gallery/diff-html.js';
import { builtManifest, pageFonts, refreshGallery } from './finish.js';

export interface ChangedCell {
  readonly cell: string;
  /** What changed since approval, in words (the generated image, or the copy, layout, format... of the delivered file). */
  readonly changes: readonly string[];
  /** 0 (same picture) to 1; absent when either file cannot be made (its image not in the cache). */
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

interface Pair {
  readonly approved?: Uint8Array;
  readonly current?: Uint8Array;
}

/**
 * The approved and the new delivered file of a changed cell, both made in memory from the cache
 * exactly as delivery makes them: the approved one from the approved image and the recipe the lock
 * records, the new one from what a build delivers today. A lock that records no delivered file
 * (version 1) compares the generated images, as it approved no more than that.
 */
async function pairOf(p: PreparedCampaign, c: FrozenProblem, approval: Approval, cell: Cell, read: (key: string) => Promise<Uint8Array | undefined>, compositor: Compositor | undefined): Promise<Pair> {
  // A pick whose image changed is no longer delivered: the cell's own image is.
  const newKey = approval.key === c.key ? c.key : c.generationKey;
  if (!approval.delivered) {
    const [approved, current] = await Promise.all([read(approval.key), read(c.key).then((hit) => hit ?? read(c.generationKey))]);
    return { approved, current };
  }
  const was = approval.delivered;
  const now = c.plan ?? deliveryPlanOf(p.campaign, cell, newKey);
  const compose = async (key: string, target: Parameters<typeof composeInMemory>[1][number]) => {
    const image = await read(key);
    return image && (await composeInMemory(image, [target], compositor))[0]!.data;
  };
  const wasPlaced = placedFromRecord(was.layers, cell.locale);
  const [approved, current] = await Promise.all([
    compositor && !compositor.canDraw(wasPlaced) ? undefined : compose(approval.key, composeTarget(was, wasPlaced)),
    compose(newKey, composeTarget(now, now.placed)),
  ]);
  return { approved, current };
}

/**
 * Every cell changed since approval (its generated image, or the copy, layout, fonts, format,
 * quality or crop of its delivered file): the approved and the new delivered file side by side with
 * a perceptual difference score, as out/<campaign>/diff.png and diff.html. A file whose image is
 * not in the cache says so (build first). Pictures of an earlier diff that no longer apply are removed.
 */
export async function diffCampaign(p: PreparedCampaign, options: { readonly outRoot: string; readonly cacheDir: string }): Promise<CampaignDiff> {
  const lock = p.approvals;
  const changed = frozenProblems(lock, p.campaign, p.generations, p.provider.multipleResults).filter((c) => c.reason === 'changed');
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
  const read = async (key: string) => (await cache.read(key))?.bytes;
  // Always one: an approved file may carry layers the campaign has since dropped.
  const compositor = createCompositor(p.campaign);
  const cells = new Map(p.generations.flatMap((g) => g.cells.map((c) => [cellIdOf(c), c] as const)));
  const sharp = await loadSharp();
  const rows: DiffRow[] = [];
  const pairs: DiffPair[] = [];
  const result: ChangedCell[] = [];
  const write = async (file: string, bytes: Uint8Array | string) => {
    const path = await guard(file);
    if (!path) throw errorOf('E_UNSAFE_PATH', { file, outDir: `out/${p.campaign.name}` });
    await writeOutputFile(path, bytes);
    written.add(file);
    return path;
  };
  for (const c of changed) {
    const { approved, current } = await pairOf(p, c, lock!.cells[c.cell]!, cells.get(c.cell)!, read, compositor);
    const [approvedName, currentName] = diffFilesOf(c.cell);
    const thumb = async (bytes: Uint8Array | undefined, file: string) => {
      if (!bytes) return undefined;
      await write(file, await sharp(bytes).resize(480, 480, { fit: 'inside' }).webp({ quality: 80 }).toBuffer());
      return file;
    };
    const [approvedFile, currentFile] = await Promise.all([thumb(approved, approvedName), thumb(current, currentName)]);
    const changes = c.changes;
    if (approved && current) {
      const { score } = await perceptualDifference(approved, current);
      pairs.push({ cell: c.cell, approved, current, score });
      rows.push({ cell: c.cell, approved: approvedFile, current: currentFile, score, changes });
      result.push({ cell: c.cell, changes, score });
    } else {
      const note = !current ? 'new image not built yet: run pressroom build first' : 'the approved file cannot be made again: its image is no longer in the cache, or a layer file (a logo) was replaced since';
      rows.push({ cell: c.cell, approved: approvedFile, current: currentFile, note, changes });
      result.push({ cell: c.cell, changes, note });
    }
  }
  const png = await write(DIFF_PNG, await drawDiffSheet(pairs));
  // The changes quote the copy in its own script: the page ships the gallery's faces.
  const fonts = await pageFonts(p, await builtManifest(p, options.outRoot).catch(() => undefined), guard);
  const html = await write(DIFF_PAGE, renderDiffPage(p.campaign.name, rows, fonts));
  await removeUnreferenced(guard, DIFF_DIR, written);
  await refreshGallery(p, options.outRoot);
  return { name: p.campaign.name, changed: result, png, html };
}
