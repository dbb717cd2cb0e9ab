import { mkdir, open, readdir, readlink, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError, problem, type Problem } from '../core/errors.js';
import type { FolderFacts } from '../core/project-facts.js';
import { tempNameFor } from './atomic.js';
import { errnoWords as words } from './write-error.js';

/** How the person named the output and cache folders (a flag or a variable), for messages. */
export interface FolderSources {
  readonly out?: string;
  readonly cacheDir?: string;
}

/**
 * Checks that `dir` is (or can be made) a folder Pressroom can write, before any provider is paid:
 * creates it (mkdir -p), then creates and removes a probe file in it. Returns the problem, naming
 * `source` (the flag or variable the path came from) and the path, or undefined when all is well.
 * The probe carries a temporary name, so a crash between create and remove leaves a file the sweep removes.
 */
export async function checkWritableFolder(dir: string, source: string, options: { create?: boolean; refuseLink?: boolean } = {}): Promise<Problem | undefined> {
  const unusable = (facts: FolderFacts): Problem => problem('E_OUTPUT_DIR', facts, { file: dir, path: source });
  const link = options.refuseLink ? await linkProblem(dir, source) : undefined;
  if (link) return link;
  if (options.create ?? true) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return unusable({ kind: 'not-folder' });
      if (code === 'ENOTDIR') {
        const parent = await fileInTheWay(dir);
        return unusable({ kind: 'parent-file', ...(parent !== undefined ? { parent } : {}) });
      }
      return unusable({ kind: 'cannot-create', reason: words(err) });
    }
  }
  try {
    if (!(await stat(dir)).isDirectory()) return unusable({ kind: 'not-folder' });
  } catch (err) {
    return unusable({ kind: 'cannot-read', reason: words(err) });
  }
  const probe = tempNameFor(`${dir}/probe`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (err) {
    return unusable({ kind: 'not-writable', reason: words(err) });
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return undefined;
}

/** `dir` is a symbolic link: its target would count as inside it, so everything written lands elsewhere. */
export async function linkProblem(dir: string, source: string): Promise<Problem | undefined> {
  const target = await readlink(dir).catch(() => undefined);
  return target === undefined ? undefined : problem('E_OUTPUT_DIR', { kind: 'link', target }, { file: dir, path: source });
}

/** The nearest ancestor of `dir` that exists as something other than a folder. */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  for (let at = dirname(dir); at !== dirname(at); at = dirname(at)) {
    const info = await stat(at).catch(() => undefined);
    if (info && !info.isDirectory()) return at;
  }
  return undefined;
}

const refuse = (problems: readonly (Problem | undefined)[]) => {
  const found = problems.filter((p): p is Problem => p !== undefined);
  if (found.length > 0) throw new InputError(found);
};

/**
 * Every folder a build writes (the cache, out/<campaign> of each campaign) exists or is created, and
 * takes a file — checked before any provider call, so a typo in --out costs nothing. Throws
 * InputError (exit 2) naming the flag and the path.
 */
export async function preflightBuild(campaigns: readonly string[], options: { outRoot: string; cacheDir: string; sources?: FolderSources }): Promise<void> {
  const outFlag = options.sources?.out ?? '--out';
  const problems: (Problem | undefined)[] = [];
  const cacheSource = options.sources?.cacheDir ?? '--cache-dir';
  const cacheProblem = await checkWritableFolder(options.cacheDir, cacheSource);
  // Its folders too (objects/, journal/, claims/...): one mounted read-only would fail only after paying.
  problems.push(...(cacheProblem ? [cacheProblem] : await checkSubfolders(options.cacheDir, cacheSource)));
  const rootProblem = await checkWritableFolder(options.outRoot, outFlag);
  if (rootProblem) problems.push(rootProblem);
  // out/ itself may be a link (to a larger disk); a campaign's folder under it may not.
  else for (const name of campaigns) problems.push(await checkWritableFolder(join(options.outRoot, name), outFlag, { refuseLink: true }));
  refuse(problems);
}

async function checkSubfolders(dir: string, source: string): Promise<(Problem | undefined)[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return Promise.all(entries.filter((e) => e.isDirectory()).map((e) => checkWritableFolder(join(dir, e.name), source, { create: false })));
}

/** approve and diff rewrite pages in out/<campaign>: never through a campaign folder that is a link. */
export async function preflightReview(campaigns: readonly string[], options: { outRoot: string; sources?: FolderSources }): Promise<void> {
  refuse(await Promise.all(campaigns.map((name) => linkProblem(join(options.outRoot, name), options.sources?.out ?? '--out'))));
}

/** `plan` writes nothing: it checks the cache folder only when one is there to read. */
export async function preflightPlan(options: { cacheDir: string; sources?: FolderSources }): Promise<void> {
  if (!(await stat(options.cacheDir).catch(() => undefined))) return;
  refuse([await checkWritableFolder(options.cacheDir, options.sources?.cacheDir ?? '--cache-dir', { create: false })]);
}
