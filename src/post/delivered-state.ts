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

/**
 * What the campaign's finish (manifest, gallery, contact sheet, thumbnails, page fonts) last wrote:
 * the digest of everything it was made from, and the stat of the files and folders it left. When
 * both agree, the next finish would write the same bytes, and is skipped (post/finish-state.ts).
 */
export interface FinishState {
  readonly digest: string;
  readonly files: Stamps;
}

export interface DeliveredState {
  readonly stamps: Stamps;
  readonly finish?: FinishState;
}

/**
 * 3: stamps as sorted [file, size, mtimeMs] rows. Version 2 kept them as an object keyed by file,
 * which JSON.parse builds one hidden class per key: reading 50 campaigns of 1,000 files back took
 * 59-72 ms against 24-57 ms as rows. A version-2 file is still read; a version-1 file is read as
 * none (the next build rehashes and re-renders once).
 */
const STATE_VERSION = 3;
const READ_VERSIONS: readonly unknown[] = [2, 3];

export function deliveredStatePath(cacheDir: string, outDir: string, campaign: string): string {
  return join(cacheDir, 'delivered', `${campaign}-${sha256Hex(resolve(outDir)).slice(0, 12)}.json`);
}

const isStamp = (size: unknown, mtimeMs: unknown): boolean => typeof size === 'number' && typeof mtimeMs === 'number';

/** Rows of [file, size, mtimeMs] (version 3), or { file: [size, mtimeMs] } (version 2); anything else is skipped. */
function stampsOf(files: unknown): Map<string, FileStamp> {
  const stamps = new Map<string, FileStamp>();
  if (Array.isArray(files)) {
    for (const row of files as unknown[]) {
      if (Array.isArray(row) && typeof row[0] === 'string' && isStamp(row[1], row[2])) stamps.set(row[0], { size: row[1], mtimeMs: row[2] });
    }
  } else if (typeof files === 'object' && files !== null) {
    for (const [file, value] of Object.entries(files)) {
      if (Array.isArray(value) && isStamp(value[0], value[1])) stamps.set(file, { size: value[0], mtimeMs: value[1] });
    }
  }
  return stamps;
}

/** The stamps a previous build recorded; none when the file is missing or not ours. */
export async function readDeliveredState(path: string): Promise<DeliveredState> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { v?: unknown; files?: unknown; finish?: { digest?: unknown; files?: unknown } };
    if (!READ_VERSIONS.includes(parsed.v) || typeof parsed.files !== 'object' || parsed.files === null) return { stamps: new Map() };
    const finish = typeof parsed.finish?.digest === 'string' ? { digest: parsed.finish.digest, files: stampsOf(parsed.finish.files) } : undefined;
    return { stamps: stampsOf(parsed.files), ...(finish ? { finish } : {}) };
  } catch {
    return { stamps: new Map() };
  }
}

const sortedStamps = (stamps: Stamps) => [...stamps].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, s]) => [f, s.size, s.mtimeMs] as const);

export const sameStamp = (a: FileStamp | undefined, b: FileStamp) => a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * Records the stamps, unless the same ones are already there (a cached rebuild writes nothing).
 * A failure is not an error: without stamps the next build rehashes instead of trusting.
 */
export async function writeDeliveredState(path: string, state: DeliveredState): Promise<void> {
  const finish = state.finish ? { finish: { digest: state.finish.digest, files: sortedStamps(state.finish.files) } } : {};
  const text = `${JSON.stringify({ v: STATE_VERSION, files: sortedStamps(state.stamps), ...finish })}\n`;
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(path, text).catch(() => undefined);
}
