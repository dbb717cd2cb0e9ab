import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageFile } from '../core/package-file.js';

/**
 * A command's printed outcome, kept to be printed again while nothing it depended on has moved
 * (issue 25: a no-op is what CI and a designer run most, and its cost was loading the CLI and
 * re-reading a campaign to find that nothing changed). What it depends on is its invocation
 * (arguments, folder, the environment it reads, the terminal, this installation of Pressroom) and
 * the files it read and left (cache/replay-record.ts says which).
 *
 * A record is printed again only once confirmed: a run recorded it, and the next full run of the
 * same invocation found the same files before and after and printed the same bytes. Builds are
 * deterministic, so from that state a full run can only do and print what the confirming run did.
 * This side is what the executable loads before anything else: no hashing library, no writes.
 */

export const REPLAY_VERSION = 3;
/** Under the project (the folder Pressroom runs in), beside the default cache. */
const REPLAY_FOLDER = join('.pressroom', 'replay');
/** A record is our own file; anything larger was not written by us. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

export interface Stream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything outside the files that decides what a command prints. */
export interface Invocation {
  /** The Node running it (process.version): code caches and output may differ by runtime. */
  readonly node: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Stream;
  readonly stderr: Stream;
}

/** What a command printed, in order: 1 stdout, 2 stderr. */
export type Printout = readonly (readonly [1 | 2, string])[];

export interface Replay {
  readonly output: Printout;
  readonly exitCode: number;
}

/** What a run read and left, as the command knows it: plain paths. */
export interface Footprint {
  readonly projectRoot: string;
  /** Files campaigns name (fonts, layer images, references, templates), wherever they are. */
  readonly named: readonly string[];
  readonly outRoot: string;
  /** out/<campaign> of each campaign, taken whole but for `listedOnly`. */
  readonly outDirs: readonly string[];
  /**
   * Folders under them whose files are known by their names only: the thumbnails and page fonts,
   * which a full run also checks by their folder alone (post/finish-state.ts), so a replay that
   * stated each one would see more than the run it stands for (and at 50,000 cells, 50,000 files).
   */
  readonly listedOnly: readonly string[];
  readonly cacheDir: string;
  /** Metadata files of the cache entries the run looked up (present or not). */
  readonly cacheFiles: readonly string[];
}

/** A record's first line: all but the paths, so that a run deciding whether it confirms reads only this. */
export interface RecordHead extends Replay {
  readonly v: number;
  /** The invocation in full (replayKey): the file name is only its hash. */
  readonly key: string;
  readonly confirmed: boolean;
  /** SHA-256 of the outcome, the paths and their fingerprints (cache/replay-record.ts). */
  readonly digest: string;
  /** How many of the paths are inputs (read by the run); the rest is what it left. */
  readonly inputs: number;
}

/** Its second line: the paths looked at, inputs first, and each one's fingerprint. */
export interface RecordBody {
  readonly paths: readonly string[];
  readonly prints: readonly string[];
}

/** Environment variables Pressroom reads, by prefix or name; the variables named SECRET below count by presence only. */
const KEYED_PREFIXES = ['PRESSROOM_', 'RUNNINGHUB_', 'RUNWARE_', 'RUNCOMFY_', 'AWS_'];
const KEYED_NAMES = new Set(['CI', 'NO_COLOR', 'TZ', 'LANG', 'LC_ALL', 'LC_MESSAGES']);
/** Set by Pressroom itself before a command runs, or read only for memory (they change no output). */
export const UNKEYED_NAMES = new Set(['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'DISABLE_SYSTEM_FONTS_LOAD', 'MALLOC_ARENA_MAX']);
const SECRET = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;

export const isKeyedEnv = (name: string): boolean => !UNKEYED_NAMES.has(name) && (KEYED_NAMES.has(name) || KEYED_PREFIXES.some((p) => name.startsWith(p)));

/** The variables that key a record: a secret's value never (it would sit in the record), only that it is set. */
export function keyedEnv(env: Invocation['env']): [string, string][] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && isKeyedEnv(name))
    .sort()
    .map((name) => [name, SECRET.test(name) ? 'set' : env[name]!]);
}

const statOrNone = (path: string): Stats | undefined => lstatSync(path, { throwIfNoEntry: false });

/** This installation: its version, when it was compiled, when its dependencies were installed. */
function codeIdentity(): string {
  const parts = ['package.json', 'dist/bundle/entry.json', 'dist/cli.js', 'node_modules/.package-lock.json', '../.package-lock.json'].map((p) => {
    const s = statOrNone(fileURLToPath(packageFile(p)));
    return s ? `${p}:${s.size}:${s.mtimeMs}` : `${p}:-`;
  });
  return parts.join('|');
}

/** The invocation, in full: a record answers only for an equal one. */
export function replayKey(inv: Invocation): string {
  const terminal = [inv.stdout.isTTY === true, inv.stderr.isTTY === true, inv.stdout.columns ?? 0, inv.stderr.columns ?? 0];
  return JSON.stringify([REPLAY_VERSION, inv.node, codeIdentity(), inv.cwd, inv.argv, keyedEnv(inv.env), terminal]);
}

/** The record's file: named by two 32-bit FNV-1a hashes of the key (its full text is inside and compared). */
export function recordFile(cwd: string, key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return join(cwd, REPLAY_FOLDER, `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}.json`);
}

/**
 * A path as it is: a file by inode, size, modification and change times and mode; a folder by its
 * mode, owner and sorted names (its times move when Pressroom probes it for writing); `-` when missing.
 */
export function fingerprint(path: string, s: Stats | undefined = statOrNone(path)): string {
  if (!s) return '-';
  if (!s.isDirectory()) return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.mode}`;
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch {
    names = ['\0unreadable'];
  }
  return `d${s.mode}:${s.uid}/${names.join('/')}`;
}

const isHead = (h: Partial<RecordHead>): h is RecordHead =>
  h.v === REPLAY_VERSION && typeof h.key === 'string' && typeof h.digest === 'string' && Array.isArray(h.output) && typeof h.exitCode === 'number';

/** The record's head and body, when it is ours (a regular file of reasonable size, in our format). */
function readRecord(file: string): (RecordHead & RecordBody) | undefined {
  const s = statOrNone(file);
  if (!s?.isFile() || s.size > MAX_RECORD_BYTES) return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    const cut = text.indexOf('\n');
    const head = JSON.parse(text.slice(0, cut)) as Partial<RecordHead>;
    const body = JSON.parse(text.slice(cut + 1)) as Partial<RecordBody>;
    const ok = isHead(head) && Array.isArray(body.paths) && Array.isArray(body.prints) && body.paths.length === body.prints.length;
    return ok ? { ...head, paths: body.paths!, prints: body.prints! } : undefined;
  } catch {
    return undefined;
  }
}

/** The record's first line only. */
export function readHead(file: string): RecordHead | undefined {
  const s = statOrNone(file);
  if (!s?.isFile() || s.size > MAX_RECORD_BYTES) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const chunks: Buffer[] = [];
    for (let at = 0; at < s.size; ) {
      const chunk = Buffer.alloc(Math.min(1 << 16, s.size - at));
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n <= 0) break;
      const nl = chunk.subarray(0, n).indexOf(10);
      chunks.push(chunk.subarray(0, nl < 0 ? n : nl));
      if (nl >= 0) break;
      at += n;
    }
    const head = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<RecordHead>;
    return isHead(head) ? head : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The outcome to print again, when a confirmed record of this invocation holds for the files as they are now. */
export function currentReplay(inv: Invocation): Replay | undefined {
  const key = replayKey(inv);
  const record = readRecord(recordFile(inv.cwd, key));
  if (!record?.confirmed || record.key !== key) return undefined;
  for (let i = 0; i < record.paths.length; i++) if (fingerprint(record.paths[i]!) !== record.prints[i]) return undefined;
  return { output: record.output, exitCode: record.exitCode };
}
