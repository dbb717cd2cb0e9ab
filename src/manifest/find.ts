import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, problem, type FactsOf } from '../core/errors.js';
import { SLUG } from './schema.js';

export const CAMPAIGN_FILE = 'campaign.yaml';

/** Every campaigns/<name>/campaign.yaml of the project, sorted, as absolute paths. */
export async function findCampaigns(projectRoot: string): Promise<string[]> {
  const root = join(resolve(projectRoot), 'campaigns');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const file = join(root, entry.name, CAMPAIGN_FILE);
    if (await isFile(file)) files.push(file);
  }
  return files.sort();
}

/**
 * The campaign.yaml that `arg` names: the file itself, a folder holding one, or (for convenience
 * on the command line) the bare name of a folder under `<cwd>/campaigns/`. Synchronous: it runs
 * once per command-line argument, before anything else.
 */
export function resolveCampaignPath(arg: string, cwd: string): string {
  const path = resolve(cwd, arg);
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isFile()) return path;
  if (info?.isDirectory()) {
    const file = join(path, CAMPAIGN_FILE);
    if (isFileSync(file)) return file;
    throw notFound({ kind: 'no-file-in', file: CAMPAIGN_FILE, folder: arg });
  }
  if (SLUG.test(arg)) {
    const named = join(resolve(cwd), 'campaigns', arg, CAMPAIGN_FILE);
    if (isFileSync(named)) return named;
  }
  throw notFound({ kind: 'no-campaign', arg });
}

function notFound(facts: FactsOf<'E_NOT_FOUND'>): InputError {
  return new InputError([problem('E_NOT_FOUND', facts)]);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

function isFileSync(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
