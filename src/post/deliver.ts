import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputFormat } from '../core/campaign.js';
import type { Generation, StoredImage } from '../core/generation.js';
import { canonicalJson, sha256Hex } from '../core/hash.js';
import type { AssetEntry, DeliveredGeneration, FailureEntry, ImageOutcome } from '../core/results.js';
import { deriveDeliveries } from './derive.js';

/** Bump when derivation (resize, crop, encode) changes, so every delivered file is re-derived. */
export const POST_VERSION = 1;

export function deliveryRecipe(input: { generationKey: string; width: number; height: number; format: OutputFormat; quality: number }): string {
  return sha256Hex(canonicalJson({ v: POST_VERSION, ...input })).slice(0, 32);
}

export function extensionOf(format: OutputFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

export function assetPath(locale: string, variant: string, size: string, format: OutputFormat): string {
  return `${locale}/${variant}-${size}.${extensionOf(format)}`;
}

export interface DeliveryContext {
  /** out/<campaign>: every file of this generation is written under it. */
  readonly outDir: string;
  readonly output: { readonly format: OutputFormat; readonly quality: number };
  /** The previous build's entries by file, for the in-place check. */
  readonly previous: ReadonlyMap<string, AssetEntry>;
  readonly force: boolean;
  /** The generator renders on this machine's CPU: obtain and derive share one post slot. */
  readonly cpuBound: boolean;
  /** Bounds CPU-heavy work (decode, encode) to the cores. */
  readonly post: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly readCache: (key: string) => Promise<StoredImage | undefined>;
  /** Runs the generation (provider, cache write), or waits for another build's; never throws. */
  readonly obtain: () => Promise<ImageOutcome>;
}

/**
 * One generation into its delivered files: nothing to do when they are already in place, else cut
 * from the cached image, else from a fresh one. A failure is returned as data for every cell.
 */
export async function deliverGeneration(gen: Generation, g: DeliveryContext): Promise<DeliveredGeneration> {
  const { format, quality } = g.output;
  const targets = gen.cells.map((cell) => {
    const file = assetPath(cell.locale.tag, cell.variant.id, cell.size.id, format);
    return { cell, file, recipe: deliveryRecipe({ generationKey: gen.key, width: cell.size.width, height: cell.size.height, format, quality }) };
  });

  if (!g.force) {
    const inPlace = await Promise.all(targets.map(async (t) => findInPlace(g.previous, t.file, t.recipe, g.outDir)));
    if (inPlace.every((e) => e !== undefined)) {
      return { kind: 'in-place', entries: inPlace as AssetEntry[], failures: [], possibleDuplicate: false };
    }
  }

  const derive = async (kind: 'cached' | 'generated', image: StoredImage, possibleDuplicate: boolean): Promise<DeliveredGeneration> => {
    const files = await deriveDeliveries(
      image.bytes,
      targets.map((t) => ({ file: join(g.outDir, t.file), width: t.cell.size.width, height: t.cell.size.height, format, quality })),
    );
    const m = image.meta;
    const entries = targets.map((t, i): AssetEntry => {
      const derived = files[i]!;
      return {
        variant: t.cell.variant.id,
        locale: t.cell.locale.tag,
        size: t.cell.size.id,
        file: t.file,
        width: derived.width,
        height: derived.height,
        format,
        bytes: derived.bytes,
        sha256: derived.sha256,
        prompt: t.cell.prompt,
        provider: m.provider,
        model: m.model,
        generation: { key: gen.key, width: m.width, height: m.height, seed: m.seed ?? null, ...(m.taskId ? { taskId: m.taskId } : {}) },
        ...(m.cost !== undefined ? { cost: m.cost } : {}),
        ...(m.cost !== undefined && m.currency ? { currency: m.currency } : {}),
        recipe: t.recipe,
      };
    });
    return { kind, entries, failures: [], possibleDuplicate };
  };

  if (!g.force) {
    const fromCache = await g.post(async () => {
      const hit = await g.readCache(gen.key);
      return hit ? derive('cached', hit, false) : undefined;
    });
    if (fromCache) return fromCache;
  }
  const deliver = async (outcome: ImageOutcome): Promise<DeliveredGeneration> => {
    if (outcome.kind === 'generated') return derive('generated', outcome, outcome.possibleDuplicate);
    if (outcome.kind === 'cached') return derive('cached', outcome, false);
    const failures = targets.map((t): FailureEntry => ({ variant: t.cell.variant.id, locale: t.cell.locale.tag, size: t.cell.size.id, error: outcome.failure }));
    return { kind: 'failed', entries: [], failures, possibleDuplicate: false };
  };
  // A CPU-bound generator renders and derives in one slot of the post pool: two cores, two images in
  // memory, and each image is delivered before the next one is drawn (so a stop loses nothing).
  if (g.cpuBound) return g.post(async () => deliver(await g.obtain()));
  const outcome = await g.obtain();
  return outcome.kind === 'failed' ? deliver(outcome) : g.post(() => deliver(outcome));
}

/** The previous build's entry for `file`, if it came from the same recipe and is still on disk. */
async function findInPlace(previous: ReadonlyMap<string, AssetEntry>, file: string, recipe: string, outDir: string): Promise<AssetEntry | undefined> {
  const entry = previous.get(file);
  if (!entry || entry.recipe !== recipe) return undefined;
  try {
    return (await stat(join(outDir, file))).size === entry.bytes ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Removes delivered files of the previous build that no current entry refers to (a removed size, a changed format). */
export async function removeStaleDeliveries(outDir: string, previous: readonly AssetEntry[], current: readonly AssetEntry[]): Promise<void> {
  const kept = new Set(current.map((a) => a.file));
  await Promise.all(previous.filter((a) => !kept.has(a.file)).map((a) => rm(join(outDir, a.file), { force: true })));
}
