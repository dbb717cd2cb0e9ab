import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cell } from '../core/generation.js';
import type { AssetEntry, CampaignManifest, DeliveredGeneration, FailureEntry } from '../core/results.js';
import { writeOutputFile } from '../fs/write-error.js';

export const MANIFEST_FILE = 'manifest.json';

/**
 * The previous build's manifest.json as parsed JSON, unchecked: anyone can edit it, so the caller
 * validates it before trusting any path in it. Undefined when missing; `unreadable` when it is not JSON.
 */
export async function readPreviousManifest(outDir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(outDir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'unreadable';
  }
}

export function serialiseManifest(manifest: CampaignManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes the manifest unless the same bytes are already there (a cached rebuild touches nothing). */
export async function writeManifest(outDir: string, manifest: CampaignManifest): Promise<string> {
  const file = join(outDir, MANIFEST_FILE);
  const text = serialiseManifest(manifest);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeOutputFile(file, text);
  return file;
}

type CellRef = { variant: string | { id: string }; locale: string | { tag: string }; size: string | { id: string } };

export const cellId = (c: CellRef) =>
  [typeof c.variant === 'string' ? c.variant : c.variant.id, typeof c.locale === 'string' ? c.locale : c.locale.tag, typeof c.size === 'string' ? c.size : c.size.id].join('\u0000');

/**
 * The campaign's entries after this build, in matrix order: this build's result for each cell it
 * built, the previous manifest's entry for cells outside a --variant/--locale/--size filter.
 */
export function mergeEntries(
  allCells: readonly Cell[],
  results: readonly DeliveredGeneration[],
  previous: CampaignManifest | undefined,
): { assets: AssetEntry[]; failures: FailureEntry[] } {
  const fresh = new Map<string, AssetEntry | FailureEntry>();
  for (const r of results) for (const e of [...r.entries, ...r.failures]) fresh.set(cellId(e), e);
  const old = new Map<string, AssetEntry>((previous?.assets ?? []).map((a) => [cellId(a), a]));
  const assets: AssetEntry[] = [];
  const failures: FailureEntry[] = [];
  for (const cell of allCells) {
    const id = cellId(cell);
    const entry = fresh.get(id) ?? old.get(id);
    if (!entry) continue;
    if ('error' in entry) failures.push(entry);
    else assets.push(entry);
  }
  return { assets, failures };
}

/** USD, rounded to a millionth so sums of prices print cleanly. */
export const roundCost = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** Each generation's cost counted once, however many assets were cut from it. */
export function totalCostOf(assets: readonly AssetEntry[]): number | undefined {
  const generationCosts = new Map<string, number>();
  for (const a of assets) if (a.cost !== undefined) generationCosts.set(a.generation.key, a.cost);
  return generationCosts.size > 0 ? roundCost([...generationCosts.values()].reduce((s, c) => s + c, 0)) : undefined;
}
