import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Cell, Generation } from '../core/generation.js';
import type { PlacedAny } from '../core/layers.js';
import type { CampaignManifest, PlannedDelivery } from '../core/results.js';
import { assetPath, deliveryOf, deliveryRecipe } from './deliver.js';

export type OutdatedAsset = PlannedDelivery;

/**
 * The delivered files of these generations that a build would write: absent from out/ or the
 * manifest (missing), or made by another recipe than the campaign now asks for (stale). Reads only.
 */
export async function outdatedDeliveries(
  generations: readonly Generation[],
  output: { readonly format: CampaignManifest['assets'][number]['format']; readonly quality: number },
  previous: CampaignManifest | undefined,
  outDir: string,
  /** The layers of a cell (a campaign with layers): part of its recipe, as at delivery. */
  layersOf: (cell: Cell) => readonly PlacedAny[] = () => [],
): Promise<OutdatedAsset[]> {
  const byFile = new Map((previous?.assets ?? []).map((a) => [a.file, a]));
  const outdated: OutdatedAsset[] = [];
  for (const gen of generations) {
    for (const cell of gen.cells) {
      const how = deliveryOf(cell, output);
      const file = assetPath(cell.locale.tag, cell.variant.id, cell.size.id, how.format);
      const entry = byFile.get(file);
      const recipe = deliveryRecipe({ generationKey: gen.key, width: cell.size.width, height: cell.size.height, ...how, layers: layersOf(cell) });
      const size = sizeOf(join(outDir, file));
      const id = { variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id, file };
      if (!entry || size < 0) outdated.push({ ...id, reason: 'missing' });
      else if (entry.recipe !== recipe || entry.bytes !== size) outdated.push({ ...id, reason: 'stale' });
    }
  }
  return outdated;
}

/**
 * The size of a regular file, -1 when there is none. Synchronous: one metadata call per cell, and
 * awaiting 50,000 of them one by one cost seconds of thread-pool round trips in `plan --check`.
 */
function sizeOf(path: string): number {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s?.isFile() ? s.size : -1;
  } catch {
    return -1;
  }
}
