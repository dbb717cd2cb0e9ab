import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../core/hash.js';
import { writeFileAtomic } from '../fs/atomic.js';

/**
 * Size and mtime of each delivered file as this build left it, so the next build rehashes only the
 * files whose stat changed. Kept in the cache dir, not in out/<campaign>: out/ is the deliverable
 * (zipped, uploaded, compared byte for byte), and mtimes are not deterministic. One file per
 * campaign and output folder, so two --out folders never share stamps.
 */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export type Stamps = ReadonlyMap<string, FileStamp>;

const STATE_VERSION = 1;

export function deliveredStatePath(cacheDir: string, outDir: string, campaign: string): string {
  return join(cacheDir, 'delivered', `${campaign}-${sha256Hex(resolve(outDir)).slice(0, 12)}.json`);
}

/** The stamps a previous build recorded; none when the file is missing or not ours. */
export async function readDeliveredState(path: string): Promise<Stamps> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { v?: unknown; files?: Record<string, unknown> };
    if (parsed.v !== STATE_VERSION || typeof parsed.files !== 'object' || parsed.files === null) return new Map();
    const stamps = new Map<string, FileStamp>();
    for (const [file, value] of Object.entries(parsed.files)) {
      if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'number') stamps.set(file, { size: value[0], mtimeMs: value[1] });
    }
    return stamps;
  } catch {
    return new Map();
  }
}

export const sameStamp = (a: FileStamp | undefined, b: FileStamp) => a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * Records the stamps, unless the same ones are already there (a cached rebuild writes nothing).
 * A failure is not an error: without stamps the next build rehashes instead of trusting.
 */
export async function writeDeliveredState(path: string, stamps: Stamps): Promise<void> {
  const files = Object.fromEntries([...stamps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, s]) => [f, [s.size, s.mtimeMs]]));
  const text = `${JSON.stringify({ v: STATE_VERSION, files })}\n`;
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(path, text).catch(() => undefined);
}
