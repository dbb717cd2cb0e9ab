import { resolve } from 'node:path';
import { parseCacheUrl, type ObjectStore } from '../cache/objects.js';
import type { Shard } from '../cache/shard.js';
import { PROVIDER_NAMES, type ModelId, type ProviderName } from '../core/campaign.js';
import { realSleep, systemClock, type Clock, type LogLevel, type Sleep } from '../core/deps.js';
import { InputError, problem, type Problem } from '../core/errors.js';
import type { MatrixFilter } from '../core/generation.js';
import type { UsageFacts } from '../core/input-facts.js';
import type { FolderSources } from '../fs/preflight.js';
import { loadEnvironment } from '../manifest/dotenv.js';
import { closest } from '../manifest/suggest.js';

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
  /** Provider callbacks behind a public URL (PRESSROOM_WEBHOOK_*); none: builds poll as usual. */
  readonly webhooks?: WebhookSettings;
  readonly logLevel: LogLevel;
  /**
   * Whether build, plan and validate keep their outcome to print again while nothing they read or
   * left has changed (cache/replay.ts); PRESSROOM_REPLAY=off runs every time in full.
   */
  readonly replay: boolean;
  /** A redrawn progress bar (a terminal) rather than milestone lines; colour in it. */
  readonly live: boolean;
  readonly color: boolean;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly stdout: Writer;
  readonly stderr: Writer;
}

/**
 * PRESSROOM_WEBHOOK_URL is the base URL the providers can reach, PRESSROOM_WEBHOOK_LISTEN where this
 * process listens behind it (a reverse proxy or a tunnel forwards to it).
 */
export interface WebhookSettings {
  readonly publicUrl: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The safety-net poll with callbacks on: a lost callback costs at most this much waiting. */
  readonly safetyPollMs: number;
}

/** What a caller may set; everything else has a default. Paths resolve against `cwd`. */
export type SettingsOptions = Partial<Omit<Settings, 'env'>> & {
  /** The process environment (`.env` is read beneath it); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
};

export const DEFAULT_JOB_TIMEOUT_MS = 1_200_000;

const webhooksOf = (publicUrl: string, values: VariableValues): WebhookSettings => ({
  publicUrl,
  ...(values.PRESSROOM_WEBHOOK_LISTEN ?? { host: '127.0.0.1', port: 8787 }),
  safetyPollMs: values.PRESSROOM_WEBHOOK_POLL_MS ?? 30_000,
});
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
    if (read && 'expected' in read) problems.push(problem('E_USAGE', { kind: 'value', expected: read.expected, received: raw }, { path: flag }));
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
    ...(options.webhooks ? { webhooks: options.webhooks } : values.PRESSROOM_WEBHOOK_URL ? { webhooks: webhooksOf(values.PRESSROOM_WEBHOOK_URL, values) } : {}),
    logLevel: options.logLevel ?? values.PRESSROOM_LOG ?? 'warn',
    replay: values.PRESSROOM_REPLAY !== 'off',
    live: options.live ?? (tty && !env['CI']),
    color: options.color ?? (tty && env['NO_COLOR'] === undefined),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    stdout: options.stdout ?? silent,
    stderr,
  });
}

/**
 * Every environment variable Pressroom reads, one row each: how its text becomes a value, or what
 * was expected instead. All of them are read before anything runs, so a bad value is refused by
 * name (and `.env` line) with exit 2 instead of quietly becoming the default, or failing at job time.
 */

/** A value, or what was expected; `quiet` when the text must not be echoed (it holds credentials). */
type Read<T> = (raw: string) => { readonly value: T } | { readonly expected: string; readonly quiet?: true };

const shown = (raw: string) => (raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);

const wholeMs =
  (min: number, why: string): Read<number> =>
  (raw) => {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= min ? { value: n } : { expected: `a whole number of milliseconds, at least ${min} (${why})` };
  };

const oneOf =
  <T extends string>(values: readonly T[]): Read<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw.trim()) ? { value: raw.trim() as T } : { expected: `one of ${values.join(', ')}` };

const text: Read<string> = (raw) => ({ value: raw });

/** `.` and `..` as path segments: a store or proxy that normalises them leaves the prefix or the version. */
const DOT_SEGMENT = /(^|[/\\])\.\.?([/\\]|$)/;

/** An http(s) URL with a host, no credentials (keys go in headers only), no query or fragment, no dot segments. */
const httpUrl =
  (what: string): Read<string> =>
  (raw) => {
    let url: URL | undefined;
    try {
      url = new URL(raw.trim());
    } catch {
      url = undefined;
    }
    if (url && (url.username || url.password)) return { expected: `${what} without a user or password in it (keys are read from their own variables)`, quiet: true };
    const path = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
    const ok = url && /^https?:$/.test(url.protocol) && url.hostname && !url.search && !url.hash && !raw.includes('?') && !raw.includes('#') && !DOT_SEGMENT.test(path);
    return ok ? { value: raw.trim() } : { expected: `${what}: http(s), a host, no query, fragment or . / .. segments` };
  };

const cacheUrl: Read<string> = (raw) => {
  const location = parseCacheUrl(raw);
  if (!location || DOT_SEGMENT.test(location.prefix) || /[?#\\]|\/\//.test(location.prefix)) {
    return { expected: 's3://bucket/prefix (a bucket name; a prefix of folder names, no . or .. segments)' };
  }
  return { value: raw.trim() };
};

const listen: Read<{ readonly host: string; readonly port: number }> = (raw) => {
  const match = /^(.*):(\d{1,5})$/.exec(raw.trim());
  const port = Number(match?.[2]);
  if (!match || !match[1] || port > 65535) return { expected: 'host:port (e.g. 127.0.0.1:8787)' };
  return { value: { host: match[1].replace(/^\[(.*)\]$/, '$1'), port } };
};

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export const VARIABLES = {
  PRESSROOM_CACHE_DIR: text,
  PRESSROOM_CACHE_URL: cacheUrl,
  PRESSROOM_CACHE_ENDPOINT: httpUrl('the store endpoint, like https://minio.example.com:9000'),
  PRESSROOM_LOG: oneOf(LOG_LEVELS),
  PRESSROOM_REPLAY: oneOf(['on', 'off'] as const),
  PRESSROOM_POLL_INTERVAL_MS: wholeMs(10, 'a status request per task this often'),
  PRESSROOM_HTTP_TIMEOUT_MS: wholeMs(100, 'every request would time out below that'),
  PRESSROOM_CLAIM_STALE_MS: wholeMs(10_000, "a live build's claim must not look abandoned between two heartbeats"),
  PRESSROOM_WEBHOOK_URL: httpUrl('the public http(s) base URL that reaches this machine'),
  PRESSROOM_WEBHOOK_LISTEN: listen,
  PRESSROOM_WEBHOOK_POLL_MS: wholeMs(1000, 'the safety-net poll while callbacks are on'),
} as const;

/** Each provider's base URL (RUNWARE_BASE_URL, ...): read by the provider, checked here. */
const BASE_URLS: Readonly<Record<string, Read<string>>> = Object.fromEntries(
  PROVIDER_NAMES.filter((p) => p !== 'local').map((p) => [`${p.toUpperCase()}_BASE_URL`, httpUrl(`the ${p} API base URL, ending with its version segment`)]),
);

export type VariableName = keyof typeof VARIABLES;
export type VariableValues = { readonly [K in VariableName]?: (typeof VARIABLES)[K] extends Read<infer T> ? T : never };

/** Where a variable's value was set: `.env` at a line, or the process environment (no file). */
export type OriginOf = (name: string) => { readonly file?: string; readonly line?: number };

/**
 * Every known variable that is set (an empty value is unset), read through its row, and a problem
 * for each bad value and for each PRESSROOM_* name that is one typo away from a known one.
 */
export function readVariables(env: Readonly<Record<string, string | undefined>>, originOf: OriginOf = () => ({})): { values: VariableValues; problems: Problem[] } {
  const values: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const refused = (name: string, facts: UsageFacts): Problem => {
    const { file, line } = originOf(name);
    return problem('E_USAGE', facts, { file, ...(line ? { line, col: 1 } : {}), path: name });
  };
  const rows: [string, Read<unknown>][] = [...Object.entries(VARIABLES), ...Object.entries(BASE_URLS)];
  for (const [name, read] of rows) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const result = read(raw);
    if ('value' in result) values[name] = result.value;
    else problems.push(refused(name, { kind: 'value', expected: result.expected, ...(result.quiet ? {} : { received: shown(raw) }) }));
  }
  const known = Object.keys(VARIABLES);
  for (const name of Object.keys(env)) {
    if (!name.startsWith('PRESSROOM_') || known.includes(name)) continue;
    const meant = closest(name, known);
    if (meant) problems.push(refused(name, { kind: 'unknown-variable', meant }));
  }
  return { values: values as VariableValues, problems };
}

/** One variable's value as `read` would give it, for a flag that takes the same text (`--cache`). */
function readValue<K extends VariableName>(name: K, raw: string): ReturnType<Read<NonNullable<VariableValues[K]>>> {
  return (VARIABLES[name] as Read<NonNullable<VariableValues[K]>>)(raw);
}
