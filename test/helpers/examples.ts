import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export const REPO = join(import.meta.dirname, '..', '..');

/** A throwaway copy of the repository's example campaigns and templates. */
export async function examplesProject() {
  const project = await tempDir('pressroom-examples-');
  for (const folder of ['campaigns', 'templates']) cpSync(join(REPO, folder), join(project.dir, folder), { recursive: true });
  return project;
}

/** A shell command line split into words: plain words and double- or single-quoted strings. */
export function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The pressroom arguments of `npm run pressroom -- …`, `npx pressroom …` or `pressroom …`; undefined for other commands. */
export function pressroomArgs(command: string): string[] | undefined {
  const w = words(command.trim());
  if (w[0] === 'pressroom') return w.slice(1);
  if (w[0] === 'npx' && w[1] === 'pressroom') return w.slice(2);
  if (w[0] === 'npm' && w[1] === 'run' && w[2] === 'pressroom') return w.slice(w[3] === '--' ? 4 : 3);
  return undefined;
}
