import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Cache housekeeping: which entries (objects/<2>/<key>.img + .json) no campaign references, and
 * their removal. Keys a running build may need are kept whatever the limits: those with a claim
 * (claims/<key>.claim) and those named in a journal (an open remote task).
 */

export interface CacheObject {
  readonly key: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  readonly files: readonly string[];
}

/** Why an entry may not be removed: a cell of a campaign needs it, out/ shows it, approved.lock names it, a build holds it. */
export type KeepReason = 'referenced' | 'delivered' | 'approved' | 'in-use';

export interface Tally {
  readonly entries: number;
  readonly bytes: number;
}

export interface PrunePlan {
  readonly remove: readonly CacheObject[];
  readonly keep: readonly CacheObject[];
  /** The kept entries by their reason; `unreferenced`: removable, but --max-size was met without them. */
  readonly keptBecause: Readonly<Record<KeepReason | 'unreferenced', Tally>>;
}

const KEY_FILE = /^([0-9a-f]{16,})\.(img|json)$/;

/** Every entry of the cache with its size on disk (image and marker). */
export async function listCacheObjects(cacheDir: string): Promise<CacheObject[]> {
  const root = join(cacheDir, 'objects');
  const byKey = new Map<string, { bytes: number; mtimeMs: number; files: string[] }>();
  const shards = await readdir(root).catch(() => [] as string[]);
  for (const shard of shards) {
    const names = await readdir(join(root, shard)).catch(() => [] as string[]);
    for (const name of names) {
      const m = KEY_FILE.exec(name);
      if (!m) continue;
      const file = join(root, shard, name);
      const s = await stat(file).catch(() => undefined);
      if (!s?.isFile()) continue;
      const entry = byKey.get(m[1]!) ?? { bytes: 0, mtimeMs: 0, files: [] };
      entry.bytes += s.size;
      entry.mtimeMs = Math.max(entry.mtimeMs, s.mtimeMs);
      entry.files.push(file);
      byKey.set(m[1]!, entry);
    }
  }
  return [...byKey].map(([key, e]) => ({ key, ...e }));
}

/** Keys a build in progress holds or may resume: claimed, or named in a journal file. */
export async function keysInUse(cacheDir: string): Promise<(key: string) => boolean> {
  const claims = await readdir(join(cacheDir, 'claims')).catch(() => [] as string[]);
  const claimed = new Set(claims.map((n) => n.replace(/\.claim.*$/, '')));
  const journalDir = join(cacheDir, 'journal');
  const journals = await readdir(journalDir).catch(() => [] as string[]);
  const texts = await Promise.all([...journals.map((n) => join(journalDir, n)), join(cacheDir, 'journal.jsonl')].map((f) => readFile(f, 'utf8').catch(() => '')));
  const journal = texts.join('\n');
  return (key) => claimed.has(key) || journal.includes(key);
}

/**
 * What to remove: every unreferenced entry, or with maxBytes only the oldest unreferenced ones
 * needed to bring the cache under it. An entry with a reason to keep it is never removed, however
 * far over maxBytes that leaves the cache: `keptBecause` says what is left and why.
 */
export function planPrune(objects: readonly CacheObject[], reasonToKeep: (key: string) => KeepReason | undefined, maxBytes?: number): PrunePlan {
  const reasons = new Map(objects.map((o) => [o, reasonToKeep(o.key)]));
  const candidates = objects.filter((o) => reasons.get(o) === undefined).sort((a, b) => a.mtimeMs - b.mtimeMs);
  let total = objects.reduce((n, o) => n + o.bytes, 0);
  const remove: CacheObject[] = [];
  for (const o of candidates) {
    if (maxBytes !== undefined && total <= maxBytes) break;
    remove.push(o);
    total -= o.bytes;
  }
  const removed = new Set(remove);
  const keep = objects.filter((o) => !removed.has(o));
  const tally = (reason: KeepReason | 'unreferenced'): Tally => {
    const of = keep.filter((o) => (reasons.get(o) ?? 'unreferenced') === reason);
    return { entries: of.length, bytes: of.reduce((n, o) => n + o.bytes, 0) };
  };
  return { remove, keep, keptBecause: { referenced: tally('referenced'), delivered: tally('delivered'), approved: tally('approved'), 'in-use': tally('in-use'), unreferenced: tally('unreferenced') } };
}

/** Marker first, as the store writes it last: a half-removed entry is never a hit. */
export async function removeCacheObjects(objects: readonly CacheObject[]): Promise<void> {
  for (const o of objects) {
    const ordered = [...o.files].sort((a, b) => (a.endsWith('.json') ? -1 : b.endsWith('.json') ? 1 : 0));
    for (const f of ordered) await rm(f, { force: true });
  }
}
