import { mkdir, open, readlink, rm, stat } from 'node:fs/promises';
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
export async function checkWritableFolder(dir: string, source: string, options: { create?: boolean; refuseLink?: boolean } = {}): Promise<Problem | undefined> {
  const problem = (message: string): Problem => ({ code: 'E_OUTPUT_DIR', file: dir, path: source, message });
  const link = options.refuseLink ? await linkProblem(dir, source) : undefined;
  if (link) return link;
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

/** `dir` is a symbolic link: its target would count as inside it, so everything written lands elsewhere. */
export async function linkProblem(dir: string, source: string): Promise<Problem | undefined> {
  const link = await readlink(dir).catch(() => undefined);
  if (link === undefined) return undefined;
  return {
    code: 'E_OUTPUT_DIR',
    file: dir,
    path: source,
    message: `is a symbolic link (to ${link}); Pressroom never writes or deletes through a link: remove the link, or point --out at the folder it leads to`,
  };
}

/** The nearest ancestor of `dir` that exists as something other than a folder. */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  for (let at = dirname(dir); at !== dirname(at); at = dirname(at)) {
    const info = await stat(at).catch(() => undefined);
    if (info && !info.isDirectory()) return at;
  }
  return undefined;
}
