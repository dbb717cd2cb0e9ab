import { lstat, readdir, rm } from 'node:fs/promises';
import { loadSharp } from '../image/sharp.js';
import { writeOutputFile } from '../fs/write-error.js';
import type { AssetEntry } from '../core/results.js';
import type { OutGuard } from './out-paths.js';

/**
 * Files a build writes for review only (candidate images, diff pictures) under out/<campaign>,
 * and their removal once nothing refers to them: always through the out guard, never elsewhere.
 */

export const CANDIDATES_DIR = 'candidates';
/** Longest edge of a candidate's thumbnail, as the gallery's other thumbnails. */
const THUMB_EDGE = 360;

/** Where candidate images live, named by their cache key: one image, one pair of files. */
export const candidateFiles = (key: string) => {
  const stem = `${CANDIDATES_DIR}/${key.slice(0, 32)}`;
  return { file: `${stem}.webp`, thumb: `${stem}-thumb.webp` };
};

/** Writes a candidate's full-size WebP and thumbnail unless they are there; undefined when the guard refuses. */
export async function writeCandidateImage(guard: OutGuard, key: string, bytes: Uint8Array): Promise<{ file: string; thumb: string } | undefined> {
  const names = candidateFiles(key);
  const [file, thumb] = await Promise.all([guard(names.file), guard(names.thumb)]);
  if (!file || !thumb) return undefined;
  if (!(await isFile(thumb))) {
    const sharp = await loadSharp();
    await writeOutputFile(file, await sharp(bytes).webp({ quality: 85 }).toBuffer());
    await writeOutputFile(thumb, await sharp(bytes).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside' }).webp({ quality: 72 }).toBuffer());
  }
  return names;
}

export async function isFile(path: string): Promise<boolean> {
  return lstat(path).then((s) => s.isFile(), () => false);
}

/**
 * Removes the image (and gallery font) files of out/<campaign>/<folder> that `wanted` (paths relative to out/<campaign>)
 * does not name. A folder or file the guard places outside out/<campaign> is left alone.
 */
export async function removeUnreferenced(guard: OutGuard, folder: string, wanted: ReadonlySet<string>): Promise<void> {
  const dir = await guard(folder);
  if (!dir) return;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => /\.(webp|png|ttf)$/.test(n) && !wanted.has(`${folder}/${n}`))
      .map(async (n) => {
        const path = await guard(`${folder}/${n}`);
        // A file that cannot be removed stays: stale, not harmful, and tried again next build.
        if (path && (await isFile(path))) await rm(path, { force: true }).catch(() => undefined);
      }),
  );
}

export const DIFF_DIR = 'diff';
export const DIFF_PAGE = 'diff.html';
export const DIFF_PNG = 'diff.png';

/** The approved and new pictures of a cell, relative to out/<campaign>. */
export function diffFilesOf(cell: string): [approved: string, current: string] {
  const stem = `${DIFF_DIR}/${cell.replace(/\//g, '--')}`;
  return [`${stem}-approved.webp`, `${stem}-new.webp`];
}

/** diff.png and diff.html, once no cell differs from its approval. */
export async function removeDiffSummary(guard: OutGuard): Promise<void> {
  for (const name of [DIFF_PNG, DIFF_PAGE]) {
    const path = await guard(name);
    if (path && (await isFile(path))) await rm(path, { force: true }).catch(() => undefined);
  }
}

/**
 * Candidate images no asset names, and diff pictures of cells no longer in `differing` (`pressroom
 * diff` writes them; an approval or a rebuild ends them); diff.png and diff.html once none is left.
 */
export async function removeStaleReviewFiles(guard: OutGuard, assets: readonly AssetEntry[], differing: readonly string[]): Promise<void> {
  const wanted = new Set(assets.flatMap((a) => (a.candidates ?? []).flatMap((c) => [c.file, c.thumb])));
  await removeUnreferenced(guard, CANDIDATES_DIR, wanted);
  const keep = new Set(differing.flatMap(diffFilesOf));
  await removeUnreferenced(guard, DIFF_DIR, keep);
  if (keep.size === 0) await removeDiffSummary(guard);
}
