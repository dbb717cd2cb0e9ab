/** The commands that only look after files: schema, init, prune. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { campaignJsonSchemaText } from '../manifest/json-schema.js';
import { initCampaign } from '../commands/init.js';
import type { PruneResult } from '../commands/prune.js';
import { EXIT, outcome, outcomeOfError, reported } from '../commands/outcome.js';
import { print, type Screen } from './output.js';

/** `pressroom schema [file]`: the campaign JSON Schema to a file, or to stdout. */
export async function writeSchema(file: string | undefined, cwd: string, screen: Screen): Promise<number> {
  const text = campaignJsonSchemaText();
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
    const result = await initCampaign(cwd, name);
    if (screen.json) return print({ command: 'none', result: outcome('ok'), data: { ...result } }, screen);
    screen.stdout(`created ${result.files.join(', ')}\nnext: pressroom build campaigns/${result.name}\n`);
    return EXIT.ok;
  } catch (err) {
    return print({ command: 'none', result: outcomeOfError(err, cwd) }, screen);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** `pressroom prune`: what was (or, with --dry-run, would be) removed and what is kept. */
export function printPrune(result: PruneResult, screen: Screen): number {
  const { dryRun, removed, kept } = result;
  if (screen.json || result.status !== 'ok') return print({ command: 'none', result, data: { dryRun, removed, kept } }, screen);
  screen.stdout(`${dryRun ? 'would remove' : 'removed'} ${removed.entries} cache entr${removed.entries === 1 ? 'y' : 'ies'} (${mb(removed.bytes)}); kept ${kept.entries} (${mb(kept.bytes)})\n`);
  return result.exitCode;
}
