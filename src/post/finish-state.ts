import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonArrayChunks } from '../core/json-chunks.js';
import { packageFile } from '../core/package-file.js';
import { sameStamp, type FileStamp, type FinishState } from './delivered-state.js';

/**
 * Whether a campaign's finish (manifest, gallery, contact sheet, thumbnails, page fonts) can be
 * skipped: it is a function of what it reads, so when the digest of those inputs and the stat of
 * every file it left agree with the last build's record, writing them again would give the same
 * bytes. At 50,000 cells re-rendering them to find that out was about 1.4 s of a 4.6 s no-op.
 */

let code: string | undefined;

/**
 * The code that renders: Pressroom's version, and when this copy of it was compiled or installed
 * (a rebuilt dist/ during development keeps its version but may render differently). The file
 * stated is this module's: tsc and the bundler write every file of their output on each run.
 */
function codeIdentity(): string {
  if (code === undefined) {
    const self = statSync(fileURLToPath(import.meta.url));
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: unknown };
    code = `${String(pkg.version)}/${self.size}/${self.mtimeMs}`;
  }
  return code;
}

/** JSON with Maps and Sets kept (JSON.stringify writes both as `{}`, which would make every lock look alike). */
const asData = (_key: string, value: unknown): unknown =>
  value instanceof Map ? { map: [...value] } : value instanceof Set ? { set: [...value] } : typeof value === 'bigint' ? `${value}n` : value;

/** T with no Map or Set anywhere inside (JSON.stringify without a replacer writes them as `{}`). */
export type NoMapsIn<T> = T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> ? never : T extends object ? { readonly [K in keyof T]: NoMapsIn<T[K]> } : T;

/** `value`, checked by the compiler to hold no Map or Set: the digest of `many` relies on it. */
export const mapless = <T>(value: T & NoMapsIn<T>): T => value;

/** What a finish reads, as plain data: `few` may hold Maps and Sets; `many` (a part per cell or file) is plain JSON only. */
export interface FinishInputs {
  readonly few: unknown;
  readonly many: readonly unknown[];
}

/**
 * The digest of a finish's inputs. The parts that grow with the cells go through JSON.stringify
 * without a replacer, V8's fast path: with one, the digest of 1,000 cells took 40 ms, more than
 * the finish it spares (`mapless` has the compiler check they hold no Map or Set).
 */
export function finishDigest(inputs: FinishInputs): string {
  const hash = createHash('sha256').update(codeIdentity()).update('\n').update(JSON.stringify(inputs.few, asData) ?? '');
  for (const part of inputs.many) {
    hash.update('\n');
    // A slice of elements at a time, the same bytes: whole, a 1,000-cell campaign's parts were
    // strings of up to 600 KB, and at 50 campaigns 50 MB of them grew the heap a no-op peaked with.
    if (Array.isArray(part)) for (const chunk of jsonArrayChunks(part)) hash.update(chunk);
    else hash.update(JSON.stringify(part) ?? '');
  }
  return hash.digest('hex');
}

/** Absent files and folders are recorded too: one appearing (a diff page, say) changes what the gallery links. */
const ABSENT: FileStamp = { size: -1, mtimeMs: 0 };

/** The stat of each path under `outDir` (files, or folders: a folder's mtime moves when an entry is added or removed). */
export async function stampsUnder(outDir: string, paths: readonly string[]): Promise<Map<string, FileStamp>> {
  const stamps = await Promise.all(
    paths.map(async (rel) => {
      const s = await stat(join(outDir, rel)).catch(() => undefined);
      return [rel, s ? { size: s.isDirectory() ? 0 : s.size, mtimeMs: s.mtimeMs } : ABSENT] as const;
    }),
  );
  return new Map(stamps);
}

/** The last finish's record holds for this one: same digest, and every file it left as it left it. */
export async function finishUnchanged(outDir: string, last: FinishState | undefined, digest: string): Promise<boolean> {
  if (!last || last.digest !== digest || last.files.size === 0) return false;
  const now = await stampsUnder(outDir, [...last.files.keys()]);
  return [...last.files].every(([rel, stamp]) => sameStamp(now.get(rel), stamp));
}

