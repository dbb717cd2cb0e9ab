import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Problem } from '../core/errors.js';
import { tempNameFor } from './atomic.js';

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
};

const words = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WORDS[code] ?? (code || (err as Error).message);
};

/**
 * Checks that `dir` is (or can be made) a folder Pressroom can write, before any provider is paid:
 * creates it (mkdir -p), then creates and removes a probe file in it. Returns the problem, naming
 * `source` (the flag or variable the path came from) and the path, or undefined when all is well.
 * The probe carries a temporary name, so a crash between create and remove leaves a file the sweep removes.
 */
export async function checkWritableFolder(dir: string, source: string, options: { create?: boolean } = {}): Promise<Problem | undefined> {
  const problem = (message: string): Problem => ({ code: 'E_OUTPUT_DIR', file: dir, path: source, message });
  if (options.create ?? true) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return problem('expected a folder but this is a file');
      if (code === 'ENOTDIR') {
        const file = await fileInTheWay(dir);
        return problem(`cannot create this folder: ${file ?? 'a parent'} is a file, not a folder`);
      }
      return problem(`cannot create this folder (${words(err)})`);
    }
  }
  try {
    if (!(await stat(dir)).isDirectory()) return problem('expected a folder but this is a file');
  } catch (err) {
    return problem(`cannot read this folder (${words(err)})`);
  }
  const probe = tempNameFor(`${dir}/probe`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (err) {
    return problem(`this folder is not writable (${words(err)})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return undefined;
}

/** The nearest ancestor of `dir` that exists as something other than a folder. */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  for (let at = dirname(dir); at !== dirname(at); at = dirname(at)) {
    const info = await stat(at).catch(() => undefined);
    if (info && !info.isDirectory()) return at;
  }
  return undefined;
}
