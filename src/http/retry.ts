import type { Sleep } from '../core/deps.js';
import { AbortedError, ProviderError } from '../core/errors.js';
import { HttpError } from './client.js';

/**
 * Retry policy as small pure functions (after fal-js and openai-node). A submit that may have
 * reached the provider is never repeated on 5xx or a reset: the provider might bill it twice.
 */

export type RequestKind = 'submit' | 'read';

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Fraction of the delay removed at random (0.25 = up to 25 % shorter). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8_000, jitter: 0.25 };
/** A server may ask for a long pause; we honour it up to this. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.round(raw * (1 - options.jitter * random()));
}

const DECIMAL = /^\d+(\.\d+)?$/;
const HTTP_DATE = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\d{1,2}:\d{2}:\d{2}/i;

/** `retry-after-ms`, then `Retry-After` in seconds or as an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(headers: Readonly<Record<string, string>>, nowEpochMs: number = Date.now()): number | undefined {
  const ms = headers['retry-after-ms']?.trim();
  // Number() would read "" as 0 and "0x10" as 16: only plain decimals count.
  if (ms !== undefined && DECIMAL.test(ms)) return Math.min(Number(ms), MAX_RETRY_AFTER_MS);
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (DECIMAL.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // Date.parse accepts almost anything ("abc 2" is a date in 2001); insist on an HTTP-date's parts.
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowEpochMs), MAX_RETRY_AFTER_MS);
}

/**
 * Whether a failed request may be sent again.
 * Reads are idempotent: retry anything transient. Submits: only on rate-limit signals (the
 * provider refused the task), failures provably before sending, or when the API deduplicates
 * by a client-chosen id.
 */
export function isRetryable(err: unknown, kind: RequestKind, idempotentSubmit = false): boolean {
  if (err instanceof AbortedError) return false;
  if (err instanceof HttpError) {
    if (err.failure === 'aborted' || err.failure === 'too_large' || err.failure === 'scheme' || err.failure === 'redirect') return false;
    return kind === 'read' || idempotentSubmit || !err.sent;
  }
  if (err instanceof ProviderError) {
    if (err.category === 'rate_limit') return true;
    const transient = err.category === 'transient' || err.category === 'timeout';
    if (!transient) return false;
    return kind === 'read' || idempotentSubmit || err.mayHaveReachedServer === false;
  }
  return false;
}

export function retryDelay(err: unknown, attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (err instanceof ProviderError && err.retryAfterMs !== undefined) return err.retryAfterMs;
  return backoffDelay(attempt, options, random);
}

export interface RetryOptions {
  readonly kind: RequestKind;
  readonly retries: number;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
  readonly idempotentSubmit?: boolean;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
  /** Called before each wait, e.g. to tell the scheduler about a rate limit. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (options.signal?.aborted) throw new AbortedError();
      if (attempt >= options.retries || !isRetryable(err, options.kind, options.idempotentSubmit)) throw err;
      const delay = retryDelay(err, attempt, options.backoff, options.random);
      options.onRetry?.(err, attempt, delay);
      try {
        await options.sleep(delay, options.signal);
      } catch (sleepErr) {
        // An aborted wait rejects with the signal's reason (a DOMException): report it as ours.
        if (options.signal?.aborted) throw new AbortedError();
        throw sleepErr;
      }
    }
  }
}
