import { problem, type FactsOf, type Problem } from '../core/errors.js';
import { closest } from '../manifest/suggest.js';
import { parseCacheUrl } from '../cache/objects.js';
import { parseShard, type Shard } from '../cache/shard.js';
import { MODEL_IDS, PROVIDER_NAMES, type ModelId, type ProviderName } from '../core/campaign.js';

/**
 * Every flag, declared once: its name, the value it takes, what it means, which commands take it
 * and how its value is read. Parsing (args.ts) and each command's help (help.ts) are made from this
 * table; adding a flag is one row here (and its field in CliFlags).
 */

export type CommandName = 'build' | 'plan' | 'validate' | 'assemble' | 'approve' | 'diff' | 'dev' | 'init' | 'prune' | 'schema';

/** What the flags set; a field stays absent when its flag was not given. */
export interface CliFlags {
  readonly provider?: ProviderName;
  readonly model?: ModelId;
  readonly concurrency?: number;
  readonly variants?: readonly string[];
  readonly locales?: readonly string[];
  readonly sizes?: readonly string[];
  readonly out?: string;
  readonly cacheDir?: string;
  readonly cacheUrl?: string;
  readonly cacheEndpoint?: string;
  readonly shard?: Shard;
  readonly force?: boolean;
  readonly verify?: boolean;
  readonly jobTimeoutSeconds?: number;
  /** build: only approved cells (approved.lock). */
  readonly frozen?: boolean;
  /** build: images per cell for review, over the campaign's `candidates`. */
  readonly candidates?: number;
  /** approve: one cell, variant/locale/size. */
  readonly cell?: string;
  /** approve: candidate k of the cell. */
  readonly pick?: number;
  readonly maxCost?: number;
  readonly check?: boolean;
  readonly report?: 'markdown';
  readonly summary?: string;
  readonly dryRun?: boolean;
  /** Bytes. */
  readonly maxSize?: number;
  /** dev: the port of the review server (0: any free one). */
  readonly port?: number;
  /** dev: the address it listens on (default 127.0.0.1). */
  readonly host?: string;
  /** dev: open the page in the system's browser. */
  readonly open?: boolean;
  readonly json?: boolean;
}

/** A flag's value read into its field, or a problem naming the flag (then undefined). */
type Reader<T> = (raw: string, flag: string, problems: Problem[]) => T | undefined;

export interface FlagSpec {
  readonly key: keyof CliFlags;
  readonly name: string;
  /** `<usd>`: the flag takes a value; absent: a switch. */
  readonly value?: string;
  readonly help: string;
  readonly commands: readonly CommandName[];
  readonly read?: Reader<unknown>;
}

const usage = (flag: string, facts: FactsOf<'E_USAGE'>) => problem('E_USAGE', facts, { path: flag });
const value = (expected: string, raw: string, meant?: string): FactsOf<'E_USAGE'> => ({ kind: 'value', expected, received: raw, ...(meant ? { meant } : {}) });

const integer = (max: number, min = 1): Reader<number> => (raw, flag, problems) => {
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(usage(flag, value(`an integer ${min}-${max}`, raw)));
  return undefined;
};
const oneOf = <T extends string>(allowed: readonly T[]): Reader<T> => (raw, flag, problems) => {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(usage(flag, value(`one of ${allowed.join(', ')}`, raw, closest(raw, allowed))));
  return undefined;
};
const list: Reader<readonly string[]> = (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean);
const path = (what: string): Reader<string> => (raw, flag, problems) => {
  if (raw.trim() !== '') return raw;
  problems.push(usage(flag, { kind: 'empty', expected: what }));
  return undefined;
};
const matching = <T>(expected: string, parse: (raw: string) => T | undefined): Reader<T> => (raw, flag, problems) => {
  const parsed = parse(raw);
  if (parsed === undefined) problems.push(usage(flag, value(expected, raw)));
  return parsed;
};
const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const bytes = (raw: string) => {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  return m ? Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!) : undefined;
};
const usd = (raw: string) => {
  const n = Number(raw.replace(/^\$/, ''));
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

const PREPARING: readonly CommandName[] = ['build', 'plan', 'validate', 'assemble', 'approve', 'diff', 'dev'];
const DELIVERING: readonly CommandName[] = ['build', 'assemble'];
const REPORTING: readonly CommandName[] = ['build', 'plan', 'validate', 'assemble'];
const CACHED: readonly CommandName[] = ['build', 'plan', 'assemble', 'diff', 'prune', 'dev'];
const REMOTE: readonly CommandName[] = ['build', 'plan', 'assemble'];
const ALL: readonly CommandName[] = ['build', 'plan', 'validate', 'assemble', 'approve', 'diff', 'dev', 'init', 'prune', 'schema'];

export const FLAGS: readonly FlagSpec[] = [
  { key: 'provider', name: 'provider', value: '<name>', help: `override the campaign's provider: ${PROVIDER_NAMES.join(' | ')}`, commands: PREPARING, read: oneOf(PROVIDER_NAMES) },
  { key: 'model', name: 'model', value: '<id>', help: `override the campaign's model: ${MODEL_IDS.join(' | ')}`, commands: PREPARING, read: oneOf(MODEL_IDS) },
  { key: 'variants', name: 'variant', value: '<ids>', help: 'only these variants (comma list)', commands: PREPARING, read: list },
  { key: 'locales', name: 'locale', value: '<tags>', help: 'only these locales (comma list); en-XA, ar-XB: pseudo-locales from the source', commands: PREPARING, read: list },
  { key: 'sizes', name: 'size', value: '<ids>', help: 'only these sizes (comma list)', commands: PREPARING, read: list },
  { key: 'concurrency', name: 'concurrency', value: '<n>', help: "jobs in flight per provider (default: the provider's own)", commands: ['build'], read: integer(256) },
  { key: 'out', name: 'out', value: '<dir>', help: 'output folder (default: out)', commands: ['build', 'plan', 'assemble', 'approve', 'diff', 'prune', 'dev'], read: path('a folder path') },
  { key: 'cacheDir', name: 'cache-dir', value: '<dir>', help: 'cache folder (default: .pressroom/cache, or PRESSROOM_CACHE_DIR)', commands: CACHED, read: path('a folder path') },
  { key: 'cacheUrl', name: 'cache', value: '<s3://bucket/prefix>', help: 'remote cache behind the local one (or PRESSROOM_CACHE_URL); AWS_* variables', commands: REMOTE, read: matching('s3://bucket/prefix', (raw) => (parseCacheUrl(raw) ? raw : undefined)) },
  { key: 'cacheEndpoint', name: 'cache-endpoint', value: '<url>', help: 'endpoint of a non-AWS store: R2, MinIO, Ceph... (or PRESSROOM_CACHE_ENDPOINT)', commands: REMOTE },
  { key: 'shard', name: 'shard', value: '<i/n>', help: "build only this runner's share of the generations (CI matrix), e.g. 2/4", commands: ['build'], read: matching('i/n with 1 <= i <= n (e.g. 2/4)', parseShard) },
  { key: 'force', name: 'force', help: 'ignore cache hits and generate again', commands: ['build', 'plan'] },
  { key: 'verify', name: 'verify', help: 'rehash every delivered file and the cache entries behind them; rewrite what changed', commands: DELIVERING },
  { key: 'jobTimeoutSeconds', name: 'job-timeout', value: '<s>', help: 'give up on one generation after this many seconds (default 1200)', commands: ['build'], read: integer(24 * 3600) },
  { key: 'candidates', name: 'candidates', value: '<n>', help: 'n images per cell, side by side in the gallery (approve one with --pick)', commands: [...DELIVERING, 'dev'], read: integer(8) },
  { key: 'frozen', name: 'frozen', help: 'fail (exit 1) unless every cell is approved and unchanged since', commands: DELIVERING },
  { key: 'cell', name: 'cell', value: '<v/l/s>', help: 'only this cell (variant/locale/size)', commands: ['approve'] },
  { key: 'pick', name: 'pick', value: '<k>', help: 'candidate k of the cell (default 0)', commands: ['approve'], read: integer(64, 0) },
  { key: 'maxCost', name: 'max-cost', value: '<usd>', help: 'refuse an estimate above this (exit 3); a build submits nothing once spend reaches it; dev generates only with it (or a budget:)', commands: ['build', 'plan', 'dev'], read: matching('an amount in USD, 0 or more,', usd) },
  { key: 'check', name: 'check', help: 'exit 1 when a delivered asset is missing or stale, 0 when out/ is current; nothing generated', commands: ['build', 'plan'] },
  { key: 'report', name: 'report', value: 'markdown', help: 'print the result as a Markdown table (for CI step summaries and PR comments)', commands: REPORTING, read: matching('markdown', (raw) => (raw === 'markdown' ? 'markdown' : undefined)) },
  { key: 'summary', name: 'summary', value: '<file>', help: 'also append that Markdown table to a file (e.g. $GITHUB_STEP_SUMMARY)', commands: REPORTING, read: path('a file path') },
  { key: 'dryRun', name: 'dry-run', help: 'report what would be removed; remove nothing', commands: ['prune'] },
  { key: 'maxSize', name: 'max-size', value: '<size>', help: 'remove only the oldest unreferenced entries needed to get under the size (500MB, 2GB)', commands: ['prune'], read: matching('a size like 500MB or 2GB', bytes) },
  { key: 'port', name: 'port', value: '<n>', help: 'port of the review page (default: 4400, or the next free one; 0: any free port)', commands: ['dev'], read: integer(65535, 0) },
  { key: 'host', name: 'host', value: '<address>', help: 'address the review page listens on (default 127.0.0.1: this machine only)', commands: ['dev'], read: path('an address') },
  { key: 'open', name: 'open', help: "open the review page in the system's browser", commands: ['dev'] },
  { key: 'json', name: 'json', help: 'print one JSON document on stdout and nothing else', commands: ALL },
];

/** The flags `command` takes, in table order. */
export const flagsOf = (command: CommandName): readonly FlagSpec[] => FLAGS.filter((f) => f.commands.includes(command));
