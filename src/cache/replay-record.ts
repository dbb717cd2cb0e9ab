import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jsonArrayChunks, JSON_CHUNK } from '../core/json-chunks.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { fingerprint, readHead, recordFile, REPLAY_VERSION, replayKey, type Footprint, type Invocation, type RecordHead, type Replay } from './replay.js';

/**
 * Keeping a command's outcome (cache/replay.ts): what a run read (the project's files and folders,
 * hidden ones and node_modules aside, `.env`, and the files campaigns name wherever they are) and
 * what it left or looked up (out/<campaign> whole, out/ and its index, the cache but its objects,
 * the entries looked up and every objects folder).
 */

/** Records kept per project (one per invocation: filters, flags, campaigns given); the oldest go. */
const KEEP = 32;
/**
 * An input changed this close before the run started (or during it) may change again within the
 * file system's timestamp granularity with the same stat: such a run keeps nothing (git's "racy
 * clean" files). Times are the machine's clock on both sides, as on a local disk.
 */
const RACY_MS = 1000;
/** Beyond this many paths a record costs more to check than it spares: not kept. */
const MAX_PATHS = 500_000;

/** Every folder and file under `root`, folders before their contents, without following links; false past `limit`. */
function walk(root: string, skip: (path: string, name: string) => boolean, into: string[], limit: number): boolean {
  into.push(root);
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return true;
  }
  for (const e of entries) {
    const path = join(root, e.name);
    if (skip(path, e.name)) continue;
    if (e.isDirectory()) {
      if (!walk(path, skip, into, limit)) return false;
    } else into.push(path);
    if (into.length > limit) return false;
  }
  return true;
}

/** What the run read: the files and folders in the project (never hidden ones but `.env`, never node_modules, out/ or the cache), and the named files with their folders. */
function inputsOf(f: Footprint, records: string): string[] | undefined {
  const own = new Set([f.outRoot, f.cacheDir, records]);
  const inputs: string[] = [];
  const skip = (path: string, name: string) => name.startsWith('.') || name === 'node_modules' || own.has(path);
  if (!walk(f.projectRoot, skip, inputs, MAX_PATHS)) return undefined;
  // Not the project folder's own listing: what a run reads below it is walked (a folder that goes
  // is seen as gone), and the listing moves whenever Pressroom makes .pressroom/ or out/ in it.
  inputs.shift();
  const listed = new Set(inputs);
  for (const file of [join(f.projectRoot, '.env'), ...f.named.flatMap((n) => [n, dirname(n)])]) {
    if (!listed.has(file)) inputs.push(file), listed.add(file);
  }
  return inputs;
}

/** What the run left or looked up: out/<campaign> whole (its listed-only folders by name), out/ and its index, the cache but its objects (those looked up, and every folder of them). */
function stateOf(f: Footprint, records: string, limit: number): string[] | undefined {
  const state: string[] = [f.outRoot, join(f.outRoot, 'index.html')];
  const listedOnly = new Set(f.listedOnly);
  for (const dir of f.outDirs) if (!walk(dir, (path) => listedOnly.has(path), state, limit)) return undefined;
  state.push(...f.listedOnly);
  const objects = join(f.cacheDir, 'objects');
  if (!walk(f.cacheDir, (path) => path === objects || path === records, state, limit)) return undefined;
  if (!walk(objects, (_path, name) => name.includes('.'), state, limit)) return undefined;
  state.push(...f.cacheFiles);
  return state.length > limit ? undefined : state;
}

/** SHA-256 of the outcome and each path with its fingerprint (hashed a chunk at a time: 70,000 paths at 50,000 cells). */
function recordDigest(outcome: Replay, paths: Iterable<string>, prints: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([outcome.exitCode, outcome.output]));
  let i = 0;
  let chunk = '';
  for (const path of paths) {
    chunk += `\n${path}\0${prints[i++]}`;
    if (chunk.length >= JSON_CHUNK) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return hash.update(chunk).digest('hex');
}

export type Recorded = 'confirmed' | 'candidate' | 'racy' | 'too-large' | 'elsewhere' | 'failed';

/**
 * Keeps what a full run printed, confirmed when the last record of the same invocation holds the
 * same files and bytes. `startedMs`: when the run started, by the clock files are stamped with.
 */
export async function recordReplay(inv: Invocation, footprint: Footprint, outcome: Replay, startedMs: number): Promise<Recorded> {
  const key = replayKey(inv);
  const file = recordFile(inv.cwd, key);
  // Looked for where the run started: a project elsewhere (an embedding program's) keeps none.
  if (footprint.projectRoot !== inv.cwd) return 'elsewhere';
  const records = dirname(file);
  try {
    // Before the walk: making the folder changes the project's own listing.
    await mkdir(records, { recursive: true });
    const inputs = inputsOf(footprint, records);
    const state = inputs && stateOf(footprint, records, MAX_PATHS - inputs.length);
    if (!inputs || !state) {
      await rm(file, { force: true });
      return 'too-large';
    }
    const prints: string[] = [];
    for (const path of inputs) {
      const s = lstatSync(path, { throwIfNoEntry: false });
      if (s && s.ctimeMs > startedMs - RACY_MS) {
        await rm(file, { force: true });
        return 'racy';
      }
      prints.push(fingerprint(path, s));
    }
    for (const path of state) prints.push(fingerprint(path));
    const paths = function* (): Generator<string> {
      yield* inputs;
      yield* state;
    };
    const digest = recordDigest(outcome, paths(), prints);
    const last = readHead(file);
    const same = last !== undefined && last.key === key && last.digest === digest;
    const head: RecordHead = { v: REPLAY_VERSION, key, confirmed: same, digest, ...outcome, inputs: inputs.length };
    // The body as JSON.stringify({ paths, prints }) writes it, in chunks: at 50,000 cells it is 10 MB.
    await writeFileAtomic(file, (function* (): Generator<string> {
      yield `${JSON.stringify(head)}\n{"paths":`;
      yield* jsonArrayChunks(paths());
      yield ',"prints":';
      yield* jsonArrayChunks(prints);
      yield '}';
    })());
    await pruneRecords(records);
    return same ? 'confirmed' : 'candidate';
  } catch {
    // A record is an optimisation: a run that cannot keep one has still done its work.
    await rm(file, { force: true }).catch(() => undefined);
    return 'failed';
  }
}

/** Drops the record of an invocation whose run must not be printed again (a failed build). */
export async function forgetReplay(inv: Invocation): Promise<void> {
  await rm(recordFile(inv.cwd, replayKey(inv)), { force: true }).catch(() => undefined);
}

async function pruneRecords(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= KEEP) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => a.t - b.t);
  await Promise.all(dated.slice(0, names.length - KEEP).map((d) => rm(join(dir, d.n), { force: true })));
}
