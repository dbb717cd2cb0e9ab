import { resolve } from 'node:path';
import type { ModelId, ProviderName } from '../core/campaign.js';
import { realSleep, systemClock, type Clock, type LogLevel, type Sleep } from '../core/deps.js';
import type { MatrixFilter } from '../core/generation.js';
import type { ObjectStore } from '../cache/objects.js';
import type { Shard } from '../cache/shard.js';
import { InputError } from '../core/errors.js';
import { loadEnvironment } from './env.js';
import { readValue, readVariables } from './variables.js';
import type { FolderSources } from './preflight.js';

/** Where text goes: stdout carries the product, stderr progress and problems. */
export interface Writer {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Everything a command needs from the outside world, resolved once (flags > environment >
 * campaign > built-in defaults; the campaign's own provider and model apply in prepare, under
 * the overrides here). Stages get what they need from it: no stage reads process.*.
 */
export interface Settings {
  readonly projectRoot: string;
  /** Relative paths given by the user resolve against this. */
  readonly cwd: string;
  readonly outRoot: string;
  readonly cacheDir: string;
  readonly provider?: ProviderName;
  readonly model?: ModelId;
  readonly filter: MatrixFilter;
  readonly concurrency?: number;
  readonly jobTimeoutMs: number;
  readonly force: boolean;
  /** Rehash every delivered file against the manifest and the cache entries behind them. */
  readonly verify: boolean;
  /** USD for the whole build (--max-cost): plan refuses above it, a build stops submitting at it. */
  readonly maxCost?: number;
  /** plan/build --check: report whether out/ is current, generate nothing. */
  readonly check: boolean;
  /** How the person named the output and cache folders (a flag or a variable), for messages. */
  readonly sources: FolderSources;
  readonly json: boolean;
  /** The process environment over `.env` in the project root: API keys come from here only. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pollIntervalMs?: number;
  readonly httpTimeoutMs?: number;
  /** Another build's claim whose heartbeat is older than this is taken over (PRESSROOM_CLAIM_STALE_MS). */
  readonly claimStaleMs?: number;
  /** The remote cache, `s3://bucket/prefix` (--cache, PRESSROOM_CACHE_URL); none: local only. */
  readonly cacheUrl?: string;
  /** A non-AWS store's endpoint (--cache-endpoint, PRESSROOM_CACHE_ENDPOINT). */
  readonly cacheEndpoint?: string;
  /** Embedding programs and tests: the remote store itself, instead of S3 at `cacheUrl`. */
  readonly cacheStore?: ObjectStore;
  /** This runner's share of the generations (--shard i/n). */
  readonly shard?: Shard;
  readonly logLevel: LogLevel;
  /** A redrawn progress bar (a terminal) rather than milestone lines; colour in it. */
  readonly live: boolean;
  readonly color: boolean;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly stdout: Writer;
  readonly stderr: Writer;
}

/** What a caller may set; everything else has a default. Paths resolve against `cwd`. */
export type SettingsOptions = Partial<Omit<Settings, 'env'>> & {
  /** The process environment (`.env` is read beneath it); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
};

export const DEFAULT_JOB_TIMEOUT_MS = 1_200_000;
const silent: Writer = { write: () => true };

/**
 * Options (flags) > PRESSROOM_* environment variables (process, then `.env`) > defaults, frozen.
 * Every variable is checked here, before any command runs: a bad one is an InputError naming it
 * (and its `.env` line), exit 2. So are `.env` itself and the remote cache flags.
 */
export async function resolveSettings(options: SettingsOptions, defaultCwd: string): Promise<Settings> {
  const cwd = resolve(options.cwd ?? defaultCwd);
  const projectRoot = resolve(cwd, options.projectRoot ?? '.');
  const loaded = await loadEnvironment(projectRoot, options.env ?? {});
  const env = loaded.values;
  const line = (name: string) => loaded.fileLines.get(name);
  const { values, problems } = readVariables(env, (name) => (line(name) ? { file: loaded.file, line: line(name) } : {}));
  for (const [flag, name, raw] of [['--cache', 'PRESSROOM_CACHE_URL', options.cacheUrl], ['--cache-endpoint', 'PRESSROOM_CACHE_ENDPOINT', options.cacheEndpoint]] as const) {
    const read = raw === undefined ? undefined : readValue(name, raw);
    if (read && 'expected' in read) problems.push({ code: 'E_USAGE', path: flag, message: `expected ${read.expected} but received ${JSON.stringify(raw)}` });
  }
  if (problems.length > 0) throw new InputError(problems);
  const stderr = options.stderr ?? silent;
  const tty = Boolean(stderr.isTTY);
  return Object.freeze({
    projectRoot,
    cwd,
    outRoot: options.outRoot ? resolve(cwd, options.outRoot) : resolve(projectRoot, 'out'),
    cacheDir: options.cacheDir ? resolve(cwd, options.cacheDir) : values.PRESSROOM_CACHE_DIR ? resolve(cwd, values.PRESSROOM_CACHE_DIR) : resolve(projectRoot, '.pressroom/cache'),
    provider: options.provider,
    model: options.model,
    filter: options.filter ?? {},
    concurrency: options.concurrency,
    jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
    force: options.force ?? false,
    verify: options.verify ?? false,
    maxCost: options.maxCost,
    check: options.check ?? false,
    sources: options.sources ?? { cacheDir: !options.cacheDir && values.PRESSROOM_CACHE_DIR ? 'PRESSROOM_CACHE_DIR' : '--cache-dir' },
    json: options.json ?? false,
    env,
    // Tests and emulators shorten these; real providers keep their own defaults.
    pollIntervalMs: options.pollIntervalMs ?? values.PRESSROOM_POLL_INTERVAL_MS,
    httpTimeoutMs: options.httpTimeoutMs ?? values.PRESSROOM_HTTP_TIMEOUT_MS,
    claimStaleMs: options.claimStaleMs ?? values.PRESSROOM_CLAIM_STALE_MS,
    cacheUrl: options.cacheUrl ?? values.PRESSROOM_CACHE_URL,
    cacheEndpoint: options.cacheEndpoint ?? values.PRESSROOM_CACHE_ENDPOINT,
    cacheStore: options.cacheStore,
    shard: options.shard,
    logLevel: options.logLevel ?? values.PRESSROOM_LOG ?? 'warn',
    live: options.live ?? (tty && !env['CI']),
    color: options.color ?? (tty && env['NO_COLOR'] === undefined),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    stdout: options.stdout ?? silent,
    stderr,
  });
}
