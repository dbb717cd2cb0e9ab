import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_PATTERN = /^\..+\.pressroom-tmp-[0-9a-f]{12}$/;

/**
 * The temporary file a write to `path` goes through: hidden, next to its target (a rename never
 * crosses file systems), and named so distinctively that the sweep never mistakes a user's file for it.
 */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.pressroom-tmp-${randomBytes(6).toString('hex')}`);
}

/** True only for names `tempNameFor` produces. */
export function isPressroomTemp(name: string): boolean {
  return TEMP_PATTERN.test(name);
}

/**
 * A temporary file younger than this may belong to a build running alongside (two builds may share
 * one cache); only older ones are leftovers of a run that died.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * temporary file in the same folder, fsync, rename.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = tempNameFor(path);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Removes the temporary files of Pressroom's own writes that a killed run left in `dir` and its
 * subfolders (symbolic links are not followed), and nothing else. Returns how many.
 */
export async function sweepTempFiles(dir: string, options: { now?: number; minAgeMs?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const minAgeMs = options.minAgeMs ?? STALE_TEMP_MS;
  let removed = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile() || !isPressroomTemp(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < minAgeMs) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}

/**
 * Synchronous twin of `writeFileAtomic`, for set-up that must finish before a native library
 * first reads the file (the fontconfig file libvips loads on its first text render).
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = tempNameFor(path);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
