import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from './liveness.js';

/** `.<name>.pressroom-tmp-<pid>-<12 hex>`: Pressroom's own, and whose (the sweep spares live writers). */
const TEMP_PATTERN = /^\..+\.pressroom-tmp-(\d+)-[0-9a-f]{12}$/;

/**
 * The temporary file a write to `path` goes through: hidden, next to its target (a rename never
 * crosses file systems), named so distinctively that the sweep never mistakes a user's file for
 * it, and carrying the writer's pid so a sweep leaves a build running alongside alone.
 */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.pressroom-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** True only for names `tempNameFor` produces. */
export function isPressroomTemp(name: string): boolean {
  return TEMP_PATTERN.test(name);
}

/** Bytes, text, or text in parts (written one after another: a large file need not be one string). */
export type AtomicData = Uint8Array | string | Iterable<string>;

/** The file operations `writeFileAtomic` uses; tests pass failing ones. */
export interface AtomicWriteFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  open(path: string, flags: 'wx'): Promise<{ writeFile(data: Uint8Array | string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

const nodeFs: AtomicWriteFs = { mkdir, open, rename, rm };

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part:
 * temporary file in the same folder (created exclusively), fsync, rename. On any failure the
 * temporary file is removed and the target is untouched.
 */
export async function writeFileAtomic(path: string, data: AtomicData, fs: AtomicWriteFs = nodeFs): Promise<void> {
  const dir = dirname(path);
  await makeFolder(fs, dir);
  const temp = tempNameFor(path);
  const handle = await fs.open(temp, 'wx');
  try {
    try {
      // On an open handle each writeFile goes on from where the last one ended.
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
      else for (const chunk of data) await handle.writeFile(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/**
 * mkdir -p. Node reports ENOENT for any failure of a recursive mkdir (a read-only file system, a
 * folder on the way not writable): then each folder is made alone, so the error says why.
 */
async function makeFolder(fs: AtomicWriteFs, dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const chain: string[] = [];
    for (let at = dir; at !== dirname(at); at = dirname(at)) chain.unshift(at);
    for (const at of chain) {
      await fs.mkdir(at, { recursive: false }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
  }
}

/**
 * Removes the temporary files of Pressroom's own writes that a killed run left in `dir` and its
 * subfolders (symbolic links are not followed), and nothing else: those of a live process (another
 * build writing to the same cache) are left alone. Returns how many.
 */
export async function sweepTempFiles(dir: string, isAlive: (pid: number) => boolean = pidAlive): Promise<number> {
  let removed = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const owner = TEMP_PATTERN.exec(entry.name);
    if (!owner || isAlive(Number(owner[1]))) continue;
    await rm(join(entry.parentPath, entry.name), { force: true });
    removed++;
  }
  return removed;
}
