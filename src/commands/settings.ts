import { resolve } from 'node:path';
import type { ModelId, ProviderName } from '../core/campaign.js';
import { realSleep, systemClock, type Clock, type LogLevel, type Sleep } from '../core/deps.js';
import type { MatrixFilter } from '../core/generation.js';
import type { ObjectStore } from '../cache/objects.js';
import type { Shard } from '../cache/shard.js';
import { loadEnvironment } from './env.js';
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
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const positive = (value: string | undefined) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** Options (flags) > PRESSROOM_* environment variables > defaults, frozen. */
export function resolveSettings(options: SettingsOptions, defaultCwd: string): Settings {
  const cwd = resolve(options.cwd ?? defaultCwd);
  const projectRoot = resolve(cwd, options.projectRoot ?? '.');
  const env = loadEnvironment(projectRoot, options.env ?? {});
  const stderr = options.stderr ?? silent;
  const tty = Boolean(stderr.isTTY);
  const envLevel = env['PRESSROOM_LOG'] as LogLevel | undefined;
  return Object.freeze({
    projectRoot,
    cwd,
    outRoot: options.outRoot ? resolve(cwd, options.outRoot) : resolve(projectRoot, 'out'),
    cacheDir: options.cacheDir
      ? resolve(cwd, options.cacheDir)
      : env['PRESSROOM_CACHE_DIR']
        ? resolve(cwd, env['PRESSROOM_CACHE_DIR'])
        : resolve(projectRoot, '.pressroom/cache'),
    provider: options.provider,
    model: options.model,
    filter: options.filter ?? {},
    concurrency: options.concurrency,
    jobTimeoutMs: options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
    force: options.force ?? false,
    verify: options.verify ?? false,
    maxCost: options.maxCost,
    check: options.check ?? false,
    sources: options.sources ?? { cacheDir: !options.cacheDir && env['PRESSROOM_CACHE_DIR'] ? 'PRESSROOM_CACHE_DIR' : '--cache-dir' },
    json: options.json ?? false,
    env,
    // Tests and emulators shorten these; real providers keep their own defaults.
    pollIntervalMs: options.pollIntervalMs ?? positive(env['PRESSROOM_POLL_INTERVAL_MS']),
    httpTimeoutMs: options.httpTimeoutMs ?? positive(env['PRESSROOM_HTTP_TIMEOUT_MS']),
    claimStaleMs: options.claimStaleMs ?? positive(env['PRESSROOM_CLAIM_STALE_MS']),
    cacheUrl: options.cacheUrl ?? (env['PRESSROOM_CACHE_URL'] || undefined),
    cacheEndpoint: options.cacheEndpoint ?? (env['PRESSROOM_CACHE_ENDPOINT'] || undefined),
    cacheStore: options.cacheStore,
    shard: options.shard,
    logLevel: options.logLevel ?? (envLevel && LOG_LEVELS.includes(envLevel) ? envLevel : 'warn'),
    live: options.live ?? (tty && !env['CI']),
    color: options.color ?? (tty && env['NO_COLOR'] === undefined),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    stdout: options.stdout ?? silent,
    stderr,
  });
}
