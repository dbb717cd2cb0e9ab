import { lstatSync } from 'node:fs';
import { lstat, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputSettings } from '../core/campaign.js';
import { failureOf, jobFailure } from '../core/outcome.js';
import type { Generation, PromptedCell, StoredImage } from '../core/generation.js';
import { sha256Hex } from '../core/hash.js';
import type { DrawnImageEntry } from '../core/layers.js';
import type { AssetEntry, DeliveredGeneration, FailureEntry, ImageOutcome, JobFailure } from '../core/results.js';
import type { TypesetLayerEntry } from '../core/text.js';
import type { Compositor } from '../compose/index.js';
import { assetPath, deliveryRecipe } from '../compose/recipe.js';
import { WriteError } from '../fs/write-error.js';
import { sameStamp, type FileStamp, type Stamps } from './delivered-state.js';
import { withLayers } from './compose.js';
import { deriveDeliveries, type DerivedFile } from './derive.js';
import { isPlannedDeliveryFile, type OutGuard } from './out-paths.js';

export { assetPath, deliveryRecipe, extensionOf, POST_VERSION } from '../compose/recipe.js';

/** What delivers a cell: its size's format, quality and byte cap, its variant's crop focus. */
export function deliveryOf(cell: Pick<PromptedCell, 'size' | 'variant'>, fallback: OutputSettings) {
  const { format, quality } = cell.size.output ?? fallback;
  return { format, quality, maxBytes: cell.size.maxBytes, focus: cell.variant.focus };
}

export interface DeliveryContext {
  /** out/<campaign>: every file of this generation is written under it. */
  readonly outDir: string;
  /** The campaign's output: the format and quality of every size that sets none. */
  readonly output: OutputSettings;
  /** out/<campaign> as messages name it (never an absolute machine path). */
  readonly shownOutDir: string;
  /** Resolves a planned file inside outDir, or refuses it (a folder linking elsewhere). */
  readonly guard: OutGuard;
  /** The previous build's entries by file, for the in-place check. */
  readonly previous: ReadonlyMap<string, AssetEntry>;
  /** Size and mtime of each file as the previous build left it: an unchanged stat skips the rehash. */
  readonly stamps: Stamps;
  readonly force: boolean;
  /** Rehash every delivered file, and verify the cache entry behind it. */
  readonly verify: boolean;
  /** Bounds CPU-heavy work (decode, encode) to the cores. */
  readonly post: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The entry, its hash verified; a corrupt one is dropped and reported as a miss. */
  readonly readCache: (key: string) => Promise<StoredImage | undefined>;
  /** Whether an entry is committed, without reading its bytes. */
  readonly peekCache: (key: string) => Promise<unknown>;
  /** The campaign's layers, when it has any: drawn over each cut before encoding. */
  readonly compose?: Compositor;
  /**
   * build --frozen: the sha256 each cell's file must have (`variant/locale/size` -> the approved
   * file's). A file already in place is kept only when it is that file; a cut with other bytes is
   * not written, and the cell fails with E_UNAPPROVED.
   */
  readonly approvedSha?: (cell: string) => string | undefined;
}

/** A generation's result, with the stat of each file it left in place or wrote. */
export interface Delivery extends DeliveredGeneration {
  readonly stamps: readonly (readonly [string, FileStamp])[];
}

/** A generation's files before its image is read: all in place, or to be cut from its image. */
export type PendingDelivery =
  | { readonly inPlace: Delivery }
  | {
      /** The cache may serve the image (not under --force, nor when --verify found its entry corrupt). */
      readonly fromCache: boolean;
      /** Every cell's file cut from the generation's image; a failed image, or a failed write, is data for its cells. */
      cut(image: ImageOutcome): Promise<Delivery>;
    };

/**
 * One generation's delivered files: nothing to do when they are already in place (and, under
 * --verify, hash as delivered), else `cut` from its image, which the caller reads from the cache
 * or has generated. A failure, a full disk included, is returned as data for every cell.
 */
export async function pendingDelivery(gen: Generation, g: DeliveryContext): Promise<PendingDelivery> {
  const targets = gen.cells.map((cell) => {
    const how = deliveryOf(cell, g.output);
    const file = assetPath(cell.locale.tag, cell.variant.id, cell.size.id, how.format);
    const layers = g.compose?.layers(cell) ?? [];
    const expect = g.approvedSha?.(`${cell.variant.id}/${cell.locale.tag}/${cell.size.id}`);
    return { cell, file, how, layers, expect, recipe: deliveryRecipe({ generationKey: gen.key, width: cell.size.width, height: cell.size.height, ...how, layers }) };
  });

  const failed = (failure: JobFailure): Delivery => ({
    kind: 'failed',
    entries: [],
    failures: targets.map((t): FailureEntry => ({ variant: t.cell.variant.id, locale: t.cell.locale.tag, size: t.cell.size.id, error: failure })),
    possibleDuplicate: false,
    stamps: [],
  });

  let cacheBroken = false;
  // Files already delivered as they are: a copy edit of one locale re-typesets that locale's cells
  // only, not every locale sharing the background.
  let inPlace: readonly (InPlace | undefined)[] = targets.map(() => undefined);
  if (!g.force) {
    inPlace = await Promise.all(targets.map(async (t) => findInPlace(g, t.file, t.recipe, t.expect)));
    if (inPlace.every((e) => e !== undefined)) {
      // Alt text is the manifest's, not the file's: an edited `alt` changes the entry, never the file.
      const entries = inPlace.map((e, i) => withAlt(e!.entry, targets[i]!.cell.alt));
      const result: Delivery = { kind: 'in-place', entries, failures: [], possibleDuplicate: false, stamps: inPlace.map((e) => [e!.entry.file, e!.stamp] as const) };
      // Under --verify the cache entry behind the files is read, which checks its hash: a corrupt
      // one is a miss, regenerated now rather than found missing when a file next needs cutting.
      // An entry that is simply absent (a cleared cache) costs nothing to leave absent.
      if (!g.verify || !(await g.peekCache(gen.key)) || (await g.post(() => g.readCache(gen.key)))) return { inPlace: result };
      cacheBroken = true;
    }
  }

  const derive = async (kind: 'cached' | 'generated', image: StoredImage, possibleDuplicate: boolean): Promise<Delivery> => {
    // Under --verify a broken cache entry was read again: every file is cut from the fresh image.
    const kept = cacheBroken ? targets.map(() => undefined) : inPlace;
    const todo = targets.flatMap((t, i) => (kept[i] === undefined ? [{ t, i }] : []));
    const paths: string[] = [];
    const drawn: { entries: readonly TypesetLayerEntry[]; images: readonly DrawnImageEntry[] }[] = targets.map(() => ({ entries: [], images: [] }));
    for (const { t } of todo) {
      const path = await g.guard(t.file);
      if (!path) {
        return failed(jobFailure('E_UNSAFE_PATH', { file: t.file, outDir: g.shownOutDir }, image.meta.provider));
      }
      paths.push(path);
    }
    let derived;
    try {
      derived = await deriveDeliveries(
        image.bytes,
        todo.map(({ t, i }, j) => ({
          file: paths[j]!,
          shown: `${g.shownOutDir}/${t.file}`,
          ...withLayers({ width: t.cell.size.width, height: t.cell.size.height, ...t.how, layers: t.layers }, g.compose, (d) => (drawn[i] = d)),
          ...(t.expect !== undefined ? { expectSha256: t.expect } : {}),
        })),
        { writeErrors: 'per-target' },
      );
    } catch (err) {
      return failed(deliveryFailure(err, g, image.meta.provider));
    }
    // A file that could not be written, or whose bytes are not the approved ones, fails its own
    // cell, named by its own path; the others are delivered.
    const failures: FailureEntry[] = [];
    const written = new Map<number, DerivedFile>();
    derived.forEach((f, j) => {
      const { t, i } = todo[j]!;
      const cell = { variant: t.cell.variant.id, locale: t.cell.locale.tag, size: t.cell.size.id };
      if ('error' in f) failures.push({ ...cell, error: deliveryFailure(f.error, g, image.meta.provider) });
      else if (f.refused) {
        const facts = { kind: 'file-differs', file: `${g.shownOutDir}/${t.file}`, sha256: f.sha256, approved: t.expect! } as const;
        failures.push({ ...cell, error: jobFailure('E_UNAPPROVED', facts, image.meta.provider) });
      } else written.set(i, f);
    });
    const stamps = await Promise.all([...written].map(async ([i, derived]) => [targets[i]!.file, await stampOf(derived.file)] as const));
    const m = image.meta;
    const entryOf = (t: (typeof targets)[number], i: number, derived: DerivedFile): AssetEntry => {
      const { entries: layers, images } = drawn[i]!;
      return {
        variant: t.cell.variant.id,
        locale: t.cell.locale.tag,
        size: t.cell.size.id,
        file: t.file,
        width: derived.width,
        height: derived.height,
        format: t.how.format,
        bytes: derived.bytes,
        sha256: derived.sha256,
        prompt: t.cell.prompt,
        provider: m.provider,
        model: m.model,
        generation: { key: gen.key, width: m.width, height: m.height, seed: m.seed ?? null, ...(m.taskId ? { taskId: m.taskId } : {}) },
        ...(m.cost !== undefined ? { cost: m.cost } : {}),
        ...(m.cost !== undefined && m.currency ? { currency: m.currency } : {}),
        ...(layers.length > 0 ? { layers } : {}),
        ...(images.length > 0 ? { images } : {}),
        ...(t.cell.alt !== undefined ? { alt: t.cell.alt } : {}),
        recipe: t.recipe,
      };
    };
    const entries = targets.flatMap((t, i) => {
      const done = written.get(i);
      return done ? [entryOf(t, i, done)] : kept[i] ? [withAlt(kept[i]!.entry, t.cell.alt)] : [];
    });
    const keptStamps = kept.flatMap((e) => (e ? [[e.entry.file, e.stamp] as const] : []));
    return { kind, entries, failures, possibleDuplicate, stamps: [...keptStamps, ...stamps.flatMap(([f, st]) => (st ? [[f, st] as const] : []))] };
  };

  return {
    fromCache: !g.force && !cacheBroken,
    cut: async (image) => (image.kind === 'failed' ? failed(image.failure) : derive(image.kind, image, image.kind === 'generated' && image.possibleDuplicate)),
  };
}

/**
 * The previous build's entry for `file`, if it came from the same recipe and the file on disk is
 * still what was delivered: same stat as recorded (cheap), else same sha256 (rehashed). Under
 * --verify every file is rehashed.
 */
interface InPlace {
  readonly entry: AssetEntry;
  readonly stamp: FileStamp;
}

async function findInPlace(g: DeliveryContext, file: string, recipe: string, approvedSha: string | undefined): Promise<InPlace | undefined> {
  const entry = g.previous.get(file);
  if (!entry || entry.recipe !== recipe || (approvedSha !== undefined && entry.sha256 !== approvedSha)) return undefined;
  // join, not resolve: planned names are relative and clean, and resolve asks for the cwd per call.
  const path = join(g.outDir, file);
  try {
    // Synchronous on purpose: one metadata call of ~10 µs, where the promise round trip through
    // the thread pool costs several times that, and a cached rebuild makes one per cell.
    const info = lstatSync(path, { throwIfNoEntry: false });
    if (!info?.isFile() || info.size !== entry.bytes) return undefined;
    const stamp = { size: info.size, mtimeMs: info.mtimeMs };
    if (!g.verify && sameStamp(g.stamps.get(file), stamp)) return { entry, stamp };
    return sha256Hex(await readFile(path)) === entry.sha256 ? { entry, stamp } : undefined;
  } catch {
    return undefined;
  }
}

const withAlt = (entry: AssetEntry, alt: string | undefined): AssetEntry => (alt === entry.alt ? entry : alt === undefined ? (({ alt: _alt, ...rest }) => rest)(entry) : { ...entry, alt });

async function stampOf(path: string): Promise<FileStamp | undefined> {
  const info = await lstat(path).catch(() => undefined);
  return info && { size: info.size, mtimeMs: info.mtimeMs };
}

/** A delivery that could not be cut or written, as data: the disk's errno in words, with the path. */
function deliveryFailure(err: unknown, g: DeliveryContext, provider: string): JobFailure {
  if (err instanceof WriteError) return { code: err.code, message: err.describeUnder(g.outDir, g.shownOutDir), provider };
  return failureOf(err, provider);
}

/**
 * Removes delivered files of the previous build that no current entry refers to (a removed size, a
 * changed format): only names this campaign's plan produces, only inside outDir. Then the folders
 * of locales no current entry has (a removed locale), if that left them empty: a folder holding
 * anything else, or a link, stays.
 */
export async function removeStaleDeliveries(guard: OutGuard, previous: readonly AssetEntry[], current: readonly AssetEntry[]): Promise<void> {
  const kept = new Set(current.map((a) => a.file));
  const stale = previous.filter((a) => !kept.has(a.file) && isPlannedDeliveryFile(a));
  await Promise.all(
    stale.map(async (a) => {
      const path = await guard(a.file);
      // A file that cannot be removed stays: stale, not harmful, and tried again next build.
      if (path) await rm(path, { force: true }).catch(() => undefined);
    }),
  );
  const liveLocales = new Set(current.map((a) => a.locale));
  const goneLocales = new Set(stale.map((a) => a.locale).filter((l) => !liveLocales.has(l)));
  await Promise.all(
    [...goneLocales].map(async (locale) => {
      const path = await guard(locale);
      // rmdir removes only an empty folder; lstat first so a link named like the locale is left alone.
      if (path && (await lstat(path).catch(() => undefined))?.isDirectory()) await rmdir(path).catch(() => undefined);
    }),
  );
}
