import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Problem } from '../core/errors.js';
import { checkWritableFolder, linkProblem } from '../fs/preflight.js';

export interface FolderSources {
  readonly out?: string;
  readonly cacheDir?: string;
}

/**
 * Every folder a build writes (the cache, out/<campaign> of each campaign) exists or is created, and
 * takes a file — checked before any provider call, so a typo in --out costs nothing. Throws
 * InputError (exit 2) naming the flag and the path.
 */
export async function preflightBuild(campaigns: readonly string[], options: { outRoot: string; cacheDir: string; sources?: FolderSources }): Promise<void> {
  const outFlag = options.sources?.out ?? '--out';
  const problems: Problem[] = [];
  const cacheSource = options.sources?.cacheDir ?? '--cache-dir';
  const cacheProblem = await checkWritableFolder(options.cacheDir, cacheSource);
  if (cacheProblem) problems.push(cacheProblem);
  // Its folders too (objects/, journal/, claims/...): one mounted read-only would fail only after paying.
  else problems.push(...(await checkSubfolders(options.cacheDir, cacheSource)));
  const rootProblem = await checkWritableFolder(options.outRoot, outFlag);
  if (rootProblem) problems.push(rootProblem);
  else {
    for (const name of campaigns) {
      // out/ itself may be a link (to a larger disk); a campaign's folder under it may not.
      const problem = await checkWritableFolder(join(options.outRoot, name), outFlag, { refuseLink: true });
      if (problem) problems.push(problem);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}

async function checkSubfolders(dir: string, source: string): Promise<Problem[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const found = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => checkWritableFolder(join(dir, e.name), source, { create: false })));
  return found.filter((p): p is Problem => p !== undefined);
}

/** approve and diff rewrite pages in out/<campaign>: never through a campaign folder that is a link. */
export async function preflightReview(campaigns: readonly string[], options: { outRoot: string; sources?: FolderSources }): Promise<void> {
  const found = await Promise.all(campaigns.map((name) => linkProblem(join(options.outRoot, name), options.sources?.out ?? '--out')));
  const problems = found.filter((p): p is Problem => p !== undefined);
  if (problems.length > 0) throw new InputError(problems);
}

/** `plan` writes nothing: it checks the cache folder only when one is there to read. */
export async function preflightPlan(options: { cacheDir: string; sources?: FolderSources }): Promise<void> {
  if (!(await stat(options.cacheDir).catch(() => undefined))) return;
  const problem = await checkWritableFolder(options.cacheDir, options.sources?.cacheDir ?? '--cache-dir', { create: false });
  if (problem) throw new InputError([problem]);
}
