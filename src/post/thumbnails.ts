import { readdir } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { AssetEntry } from '../core/results.js';
import { loadSharp } from '../image/sharp.js';
import type { OutGuard } from './out-paths.js';
import { writeOutputFile } from '../fs/write-error.js';
import { removeUnreferenced } from './review-files.js';
import { THUMBS_DIR } from './out-folders.js';

export { THUMBS_DIR };
/** Longest edge of a gallery thumbnail, in pixels: sharp on a phone-width column, small on disk. */
const THUMB_EDGE = 360;
/** Thumbnails made at once: one decode per core. */
const THUMBNAIL_CONCURRENCY = 2;

/** The thumbnail of a delivered file, relative to out/<campaign>: named by the file's hash, so it is made once per content. */
export const thumbnailFile = (sha256: string) => `${THUMBS_DIR}/${sha256.slice(0, 32)}.webp`;

/** A picture (a file, or its bytes) as a gallery thumbnail: WebP, its longest edge THUMB_EDGE at most. */
export async function thumbnailBytes(input: string | Uint8Array): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(input).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 72 }).toBuffer();
}

/**
 * WebP thumbnails of the campaign's delivered files for the gallery, made only when no thumbnail
 * of that content exists yet (a cached rebuild reads nothing and writes nothing); thumbnails no
 * asset names any more are removed. Returns the asset file -> thumbnail path of those in place.
 */
export async function writeThumbnails(guard: OutGuard, assets: readonly AssetEntry[]): Promise<Map<string, string>> {
  const made = new Map<string, string>();
  const wanted = new Set<string>();
  // One look at the folder, not a stat and two path checks per asset: a campaign has thousands.
  // A thumbs/ that resolves outside outDir (a link) is neither read, written nor cleaned.
  const dir = await guard(THUMBS_DIR);
  if (dir === undefined) return made;
  const present = new Set((await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isFile()).map((d) => `${THUMBS_DIR}/${d.name}`));
  // Each missing thumbnail once (assets of the same content share one), two at a time: both cores.
  const missing = new Map<string, string>();
  for (const a of assets) {
    const thumb = thumbnailFile(a.sha256);
    wanted.add(thumb);
    if (!present.has(thumb) && !missing.has(thumb)) missing.set(thumb, a.file);
  }
  const limit = pLimit(THUMBNAIL_CONCURRENCY);
  await Promise.all(
    [...missing].map(([thumb, file]) =>
      limit(async () => {
        const target = await guard(thumb);
        const source = await guard(file);
        if (!target || !source) return;
        try {
          await writeOutputFile(target, await thumbnailBytes(source));
          present.add(thumb);
        } catch {
          // A missing thumbnail only costs the gallery a picture: it links the full file instead.
        }
      }),
    ),
  );
  for (const a of assets) {
    const thumb = thumbnailFile(a.sha256);
    if (present.has(thumb)) made.set(a.file, thumb);
  }
  await removeUnreferenced(guard, THUMBS_DIR, wanted);
  return made;
}
