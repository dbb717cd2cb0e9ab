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

export interface PrunePlan {
  readonly remove: readonly CacheObject[];
  readonly keep: readonly CacheObject[];
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
 * needed to bring the cache under it. A referenced or in-use entry is never removed.
 */
export function planPrune(objects: readonly CacheObject[], keep: (key: string) => boolean, maxBytes?: number): PrunePlan {
  const candidates = objects.filter((o) => !keep(o.key)).sort((a, b) => a.mtimeMs - b.mtimeMs);
  let total = objects.reduce((n, o) => n + o.bytes, 0);
  const remove: CacheObject[] = [];
  for (const o of candidates) {
    if (maxBytes !== undefined && total <= maxBytes) break;
    remove.push(o);
    total -= o.bytes;
  }
  const removed = new Set(remove);
  return { remove, keep: objects.filter((o) => !removed.has(o)) };
}

/** Marker first, as the store writes it last: a half-removed entry is never a hit. */
export async function removeCacheObjects(objects: readonly CacheObject[]): Promise<void> {
  for (const o of objects) {
    const ordered = [...o.files].sort((a, b) => (a.endsWith('.json') ? -1 : b.endsWith('.json') ? 1 : 0));
    for (const f of ordered) await rm(f, { force: true });
  }
}
