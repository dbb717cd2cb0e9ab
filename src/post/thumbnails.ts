import type { AssetEntry } from '../core/results.js';
import { loadSharp } from '../image/sharp.js';
import type { OutGuard } from './out-paths.js';
import { writeOutputFile } from '../fs/write-error.js';
import { isFile, removeUnreferenced } from './review-files.js';

export const THUMBS_DIR = 'thumbs';
/** Longest edge of a gallery thumbnail, in pixels: sharp on a phone-width column, small on disk. */
const THUMB_EDGE = 360;

/** The thumbnail of a delivered file, relative to out/<campaign>: named by the file's hash, so it is made once per content. */
export const thumbnailFile = (sha256: string) => `${THUMBS_DIR}/${sha256.slice(0, 32)}.webp`;

/**
 * WebP thumbnails of the campaign's delivered files for the gallery, made only when no thumbnail
 * of that content exists yet (a cached rebuild reads nothing and writes nothing); thumbnails no
 * asset names any more are removed. Returns the asset file -> thumbnail path of those in place.
 */
export async function writeThumbnails(guard: OutGuard, assets: readonly AssetEntry[]): Promise<Map<string, string>> {
  const made = new Map<string, string>();
  const wanted = new Set<string>();
  for (const a of assets) {
    const thumb = thumbnailFile(a.sha256);
    wanted.add(thumb);
    const target = await guard(thumb);
    const source = await guard(a.file);
    if (!target || !source) continue;
    if (!(await isFile(target))) {
      try {
        const sharp = await loadSharp();
        const bytes = await sharp(source).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 72 }).toBuffer();
        await writeOutputFile(target, bytes);
      } catch {
        // A missing thumbnail only costs the gallery a picture: it links the full file instead.
        continue;
      }
    }
    made.set(a.file, thumb);
  }
  await removeUnreferenced(guard, THUMBS_DIR, wanted);
  return made;
}
