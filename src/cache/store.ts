import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata } from 'sharp';
import { loadSharp } from '../image/sharp.js';
// A full or read-only cache disk fails as E_DISK_FULL / E_WRITE naming the file, not as an errno.
import { writeOutputFile } from '../fs/write-error.js';
import { PressroomError, messageOf } from '../core/errors.js';
import type { ImageMeta, StoredImage } from '../core/generation.js';
import { sha256Hex } from '../core/hash.js';

/** The metadata file is written last: it is the commit marker. */
export type CacheMeta = ImageMeta;
export type CacheEntry = StoredImage;

export type NewEntry = Omit<CacheMeta, 'width' | 'height' | 'format' | 'sha256' | 'bytes'>;

/** Why bytes were not cached: they do not decode (the decoder's words), or decode without dimensions. */
export type NotImage = { readonly kind: 'undecodable'; readonly said: string } | { readonly kind: 'no-dimensions' };

export class CacheRejectedError extends PressroomError {
  constructor(readonly reason: NotImage) {
    super('E_CACHE_NOT_IMAGE', messageOf('E_CACHE_NOT_IMAGE', { provider: 'the provider', ...reason }));
  }
}

export interface CacheStore {
  readonly dir: string;
  /** Metadata of a committed entry, without verifying its bytes (cheap: for plans and in-place checks). */
  peek(key: string): Promise<CacheMeta | undefined>;
  /** The entry, verified against its hash; a corrupt entry is removed and reported as a miss. */
  read(key: string): Promise<CacheEntry | undefined>;
  /** Stores bytes that decode as an image. Throws CacheRejectedError otherwise. */
  write(entry: NewEntry, bytes: Uint8Array): Promise<CacheMeta>;
}

/** How a file is written; tests inject one that fails between the image and its marker. */
export type FileWriter = (path: string, data: Uint8Array | string) => Promise<void>;

/** Where an entry's image and its metadata (written last, the commit marker) are kept. */
export function entryFiles(dir: string, key: string): { readonly image: string; readonly meta: string } {
  const folder = join(dir, 'objects', key.slice(0, 2));
  return { image: join(folder, `${key}.img`), meta: join(folder, `${key}.json`) };
}

export function openCacheStore(dir: string, writeFile: FileWriter = writeOutputFile): CacheStore {
  const paths = (key: string) => entryFiles(dir, key);

  async function peek(key: string): Promise<CacheMeta | undefined> {
    try {
      const meta = JSON.parse(await readFile(paths(key).meta, 'utf8')) as CacheMeta;
      return meta.key === key ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    dir,
    peek,
    async read(key) {
      const meta = await peek(key);
      if (!meta) return undefined;
      const { image, meta: metaPath } = paths(key);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(image);
      } catch {
        return undefined;
      }
      if (bytes.length !== meta.bytes || sha256Hex(bytes) !== meta.sha256) {
        // Truncated or edited: never a hit. Drop the marker first so no reader trusts it again.
        await rm(metaPath, { force: true });
        await rm(image, { force: true });
        return undefined;
      }
      return { meta, bytes };
    },
    async write(entry, bytes) {
      let info: Metadata;
      try {
        info = await (await loadSharp())(bytes).metadata();
      } catch (err) {
        throw new CacheRejectedError({ kind: 'undecodable', said: (err as Error).message });
      }
      if (!info.width || !info.height || !info.format) throw new CacheRejectedError({ kind: 'no-dimensions' });
      const meta: CacheMeta = { ...entry, width: info.width, height: info.height, format: info.format, sha256: sha256Hex(bytes), bytes: bytes.length };
      const { image, meta: metaPath } = paths(entry.key);
      // The marker last: a crash or failure after the image leaves bytes no reader trusts.
      await writeFile(image, bytes);
      await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
      return meta;
    },
  };
}
