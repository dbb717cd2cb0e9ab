import { parseCacheUrl } from '../cache/objects.js';
import { PROVIDER_NAMES } from '../core/campaign.js';
import type { LogLevel } from '../core/deps.js';
import type { Problem } from '../core/errors.js';
import { closest } from '../manifest/suggest.js';

/**
 * Every environment variable Pressroom reads, one row each: how its text becomes a value, or what
 * was expected instead. All of them are read before anything runs, so a bad value is refused by
 * name (and `.env` line) with exit 2 instead of quietly becoming the default, or failing at job time.
 */

/** A value, or what was expected; `quiet` when the text must not be echoed (it holds credentials). */
type Read<T> = (raw: string) => { readonly value: T } | { readonly expected: string; readonly quiet?: true };

const shown = (raw: string) => JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);

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
  const problem = (name: string, message: string): Problem => {
    const { file, line } = originOf(name);
    return { code: 'E_USAGE', ...(file ? { file, ...(line ? { line, col: 1 } : {}) } : {}), path: name, message };
  };
  const rows: [string, Read<unknown>][] = [...Object.entries(VARIABLES), ...Object.entries(BASE_URLS)];
  for (const [name, read] of rows) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const result = read(raw);
    if ('value' in result) values[name] = result.value;
    else problems.push(problem(name, result.quiet ? `expected ${result.expected}` : `expected ${result.expected} but received ${shown(raw)}`));
  }
  const known = Object.keys(VARIABLES);
  for (const name of Object.keys(env)) {
    if (!name.startsWith('PRESSROOM_') || known.includes(name)) continue;
    const meant = closest(name, known);
    if (meant) problems.push(problem(name, `is not a Pressroom variable; did you mean ${meant}? (unset it, or rename it)`));
  }
  return { values: values as VariableValues, problems };
}

/** One variable's value as `read` would give it, for a flag that takes the same text (`--cache`). */
export function readValue<K extends VariableName>(name: K, raw: string): ReturnType<Read<NonNullable<VariableValues[K]>>> {
  return (VARIABLES[name] as Read<NonNullable<VariableValues[K]>>)(raw);
}
