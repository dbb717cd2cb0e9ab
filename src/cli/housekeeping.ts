/** The commands that only look after files: schema, init, prune. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PruneResult } from '../commands/prune.js';
import { EXIT, outcome, outcomeOfError, reported } from '../core/outcome.js';
import { packageFile } from '../core/package-file.js';
import { print, type Screen } from './output.js';

/**
 * The schema the package ships (test/unit/json-schema.test.ts keeps it equal to the generated one):
 * reading it spares `schema` loading zod and the campaign schema. Generated when the file is missing.
 */
async function schemaText(): Promise<string> {
  try {
    return await readFile(packageFile('schema/campaign.schema.json'), 'utf8');
  } catch {
    return (await import('../manifest/json-schema.js')).campaignJsonSchemaText();
  }
}

/** `pressroom schema [file]`: the campaign JSON Schema to a file, or to stdout. */
export async function writeSchema(file: string | undefined, cwd: string, screen: Screen): Promise<number> {
  const text = await schemaText();
  if (file === undefined) {
    screen.stdout(text);
    return EXIT.ok;
  }
  try {
    await writeFile(resolve(cwd, file), text);
  } catch (err) {
    return print({ command: 'none', result: outcome('invalid', [reported('E_OUTPUT_DIR', { kind: 'unwritable', file, reason: (err as Error).message }, { field: 'schema' })]) }, screen);
  }
  screen.stderr(`wrote ${file}\n`);
  return EXIT.ok;
}

/** `pressroom init [name]` in the current folder (the project root). */
export async function runInit(name: string | undefined, cwd: string, screen: Screen): Promise<number> {
  try {
    const { initCampaign } = await import('../commands/init.js');
    const result = await initCampaign(cwd, name);
    if (screen.json) return print({ command: 'none', result: outcome('ok'), data: { ...result } }, screen);
    screen.stdout(`created ${result.files.join(', ')}\nnext: pressroom build campaigns/${result.name}\n`);
    return EXIT.ok;
  } catch (err) {
    return print({ command: 'none', result: outcomeOfError(err, cwd) }, screen);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** A --max-size as the user would write it back: 1 KB, 500 MB, 2 GB. */
function sizeText(bytes: number): string {
  const [unit, n] = ([['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const).find(([, n]) => bytes >= n) ?? ['B', 1];
  return `${Number((bytes / n).toFixed(1))} ${unit}`;
}

const KEPT_BECAUSE: readonly [keyof PruneResult['kept']['because'], string][] = [
  ['referenced', 'needed by a cell of a campaign under campaigns/'],
  ['delivered', 'shown in out/ (an asset or candidate in a manifest.json)'],
  ['approved', 'approved in an approved.lock'],
  ['in-use', 'held by a running build (a claim, or a task in its journal)'],
  ['unreferenced', 'unreferenced, kept: the cache was under --max-size without removing them'],
];

/** `pressroom prune`: what was (or, with --dry-run, would be) removed, what is kept and why. */
export function printPrune(result: PruneResult, screen: Screen): number {
  const { dryRun, removed, kept, maxSize } = result;
  if (screen.json || result.status !== 'ok') return print({ command: 'none', result, data: { dryRun, removed, kept, ...(maxSize ? { maxSize } : {}) } }, screen);
  screen.stdout(`${dryRun ? 'would remove' : 'removed'} ${removed.entries} cache entr${removed.entries === 1 ? 'y' : 'ies'} (${mb(removed.bytes)}); kept ${kept.entries} (${mb(kept.bytes)})\n`);
  for (const [reason, why] of KEPT_BECAUSE) {
    const t = kept.because[reason];
    if (t.entries > 0) screen.stdout(`  ${t.entries} (${mb(t.bytes)}) ${why}\n`);
  }
  // Not an error (the cache holds only what is needed), but never a silent miss.
  if (maxSize?.over) screen.stdout(`the cache is still ${mb(kept.bytes)}, over --max-size ${sizeText(maxSize.bytes)}: every entry left has a reason above to stay\n`);
  return result.exitCode;
}
