import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type KeepReason, keysInUse, listCacheObjects, planPrune, type PrunePlan, removeCacheObjects, type Tally } from '../cache/prune.js';
import { readPreviousManifest } from '../report/manifest.js';
import { prepare } from './api.js';
import { outcome, outcomeOfError, type CommandOutcome } from './outcome.js';
import type { Settings } from './settings.js';

export interface PruneResult extends CommandOutcome {
  readonly dryRun: boolean;
  readonly removed: Tally;
  readonly kept: Tally & { readonly because: PrunePlan['keptBecause'] };
  /** With --max-size: the limit, and whether what had to be kept leaves the cache over it. */
  readonly maxSize?: { readonly bytes: number; readonly over: boolean };
}

const sum = (objects: readonly { bytes: number }[]) => ({ entries: objects.length, bytes: objects.reduce((n, o) => n + o.bytes, 0) });

/**
 * Removes cache entries that no campaign references. Referenced means: any cell of any campaign
 * under campaigns/ (whatever --variant/--locale/--size a build may use), or any asset of a
 * delivered manifest in out/ (a build with --provider or --model overrides) or one of its candidates,
 * any approved image of approved.lock, or in use by a build. The result says which of these kept
 * what, so a --max-size that cannot be met is explained rather than silently missed.
 */
export async function pruneCommand(settings: Settings, options: { readonly dryRun: boolean; readonly maxBytes?: number }): Promise<PruneResult> {
  const none = { entries: 0, bytes: 0 };
  try {
    const prepared = await prepare({ ...settings, filter: {} }, [], false);
    const referenced = new Set(prepared.flatMap((p) => p.generations.map((g) => g.key)));
    const delivered = new Set(await deliveredKeys(settings.outRoot));
    // An approved candidate is delivered from the cache by build --frozen: it must stay there.
    const approved = new Set<string>();
    for (const p of prepared) for (const a of Object.values(p.approvals?.cells ?? {})) approved.add(a.key);
    const inUse = await keysInUse(settings.cacheDir);
    const reason = (key: string): KeepReason | undefined =>
      referenced.has(key) ? 'referenced' : delivered.has(key) ? 'delivered' : approved.has(key) ? 'approved' : inUse(key) ? 'in-use' : undefined;
    const plan = planPrune(await listCacheObjects(settings.cacheDir), reason, options.maxBytes);
    if (!options.dryRun) await removeCacheObjects(plan.remove);
    const kept = sum(plan.keep);
    return {
      ...outcome('ok'),
      dryRun: options.dryRun,
      removed: sum(plan.remove),
      kept: { ...kept, because: plan.keptBecause },
      ...(options.maxBytes !== undefined ? { maxSize: { bytes: options.maxBytes, over: kept.bytes > options.maxBytes } } : {}),
    };
  } catch (err) {
    const because = { referenced: none, delivered: none, approved: none, 'in-use': none, unreferenced: none };
    return { ...outcomeOfError(err, settings.cwd), dryRun: options.dryRun, removed: none, kept: { ...none, because } };
  }
}

async function deliveredKeys(outRoot: string): Promise<string[]> {
  const campaigns = await readdir(outRoot).catch(() => [] as string[]);
  const keys: string[] = [];
  for (const name of campaigns) {
    const manifest = (await readPreviousManifest(join(outRoot, name))) as { assets?: { generation?: { key?: unknown }; candidates?: { key?: unknown }[] }[] } | undefined;
    for (const a of Array.isArray(manifest?.assets) ? manifest.assets : []) {
      if (typeof a?.generation?.key === 'string') keys.push(a.generation.key);
      // Candidates the gallery shows, until a build without them drops them.
      for (const c of Array.isArray(a?.candidates) ? a.candidates : []) if (typeof c?.key === 'string') keys.push(c.key);
    }
  }
  return keys;
}
