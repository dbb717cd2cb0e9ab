import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic.js';

/**
 * Facts derived from inputs by their hash, kept in one JSON file beside the image cache (the
 * copy-fit verdicts of a campaign: cache/fits/<campaign>.json). Best effort, never a source of
 * truth: a file that is missing, unreadable or of another format version is an empty memo, and
 * one that cannot be written is left as it was; whoever asks checks the shape of what it gets.
 */
export interface MemoFile {
  get(key: string): unknown;
  put(key: string, value: unknown): void;
  /** Written (atomically) only when something was added; entries not asked for this run go first when it grows past its cap. */
  save(): Promise<void>;
}

const FORMAT = 1;
/** Entries kept at most by default: a 50,000-cell campaign has far fewer distinct text layouts. */
const MAX_ENTRIES = 20_000;

export async function openMemoFile(path: string, maxEntries = MAX_ENTRIES): Promise<MemoFile> {
  let stored: Record<string, unknown> = {};
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; entries?: unknown };
    if (data.format === FORMAT && data.entries && typeof data.entries === 'object' && !Array.isArray(data.entries)) stored = data.entries as Record<string, unknown>;
  } catch {
    stored = {};
  }
  const entries = new Map(Object.entries(stored));
  const used = new Set<string>();
  let added = false;
  return {
    get(key) {
      if (!entries.has(key)) return undefined;
      used.add(key);
      return entries.get(key);
    },
    put(key, value) {
      used.add(key);
      if (entries.has(key)) return;
      entries.set(key, value);
      added = true;
    },
    async save() {
      if (!added) return;
      const kept = entries.size > maxEntries ? [...used].map((k) => [k, entries.get(k)] as const) : [...entries];
      try {
        await writeFileAtomic(path, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(kept) }));
      } catch {
        // A read-only or full cache disk: the next run fits again.
      }
    },
  };
}
