import { describe, expect, it } from 'vitest';
import type { Sleep } from '../../src/core/deps.js';
import { AbortedError, ProviderError, type ProviderErrorCategory } from '../../src/core/errors.js';
import { HttpError, type TransportFailure } from '../../src/http/client.js';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  isRetryable,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  retryDelay,
  withRetry,
} from '../../src/http/retry.js';

const providerError = (category: ProviderErrorCategory, extra: { retryAfterMs?: number; mayHaveReachedServer?: boolean } = {}) =>
  new ProviderError({ provider: 'test', category, ...extra }, `test: ${category}`);

function recordingSleep(): { sleep: Sleep; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap (no jitter when random() is 0)', () => {
    const delays = [0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, DEFAULT_BACKOFF, () => 0));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('removes at most the jitter fraction', () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1_500);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, DEFAULT_BACKOFF);
      expect(d).toBeGreaterThanOrEqual(3_000);
      expect(d).toBeLessThanOrEqual(4_000);
    }
  });

  it('follows custom options', () => {
    expect(backoffDelay(4, { baseMs: 100, maxMs: 1_000, jitter: 0 })).toBe(1_000);
    expect(backoffDelay(1, { baseMs: 100, maxMs: 1_000, jitter: 0.5 }, () => 1)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each<[string, Record<string, string>, number | undefined]>([
    ['seconds', { 'retry-after': '3' }, 3_000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1_500],
    ['zero', { 'retry-after': '0' }, 0],
    ['padded seconds', { 'retry-after': ' 7 ' }, 7_000],
    ['retry-after-ms first', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['an HTTP date', { 'retry-after': 'Wed, 01 Jan 2025 00:00:20 GMT' }, 20_000],
    ['a date in the past', { 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, 0],
    ['a cap on seconds', { 'retry-after': '3600' }, MAX_RETRY_AFTER_MS],
    ['a cap on ms', { 'retry-after-ms': '999999' }, MAX_RETRY_AFTER_MS],
    ['absent', {}, undefined],
    ['empty', { 'retry-after': '' }, undefined],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['garbage Date.parse would accept', { 'retry-after': 'abc 2' }, undefined],
    ['negative seconds', { 'retry-after': '-1' }, undefined],
    ['hex', { 'retry-after': '0x10' }, undefined],
    ['empty retry-after-ms falls back', { 'retry-after-ms': '', 'retry-after': '2' }, 2_000],
    ['garbage retry-after-ms falls back', { 'retry-after-ms': 'x', 'retry-after': '2' }, 2_000],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(headers, now)).toBe(expected);
  });
});

describe('isRetryable', () => {
  const http = (failure: TransportFailure, sent: boolean) => new HttpError(failure, sent, { kind: 'said', said: failure });

  it.each<[string, unknown, boolean, boolean, boolean]>([
    // name, error, read, submit, idempotent submit
    ['reset after sending', http('reset', true), true, false, true],
    ['timeout after sending', http('timeout', true), true, false, true],
    ['connection refused (never sent)', http('connect', false), true, true, true],
    ['our abort', http('aborted', true), false, false, false],
    ['too large', http('too_large', true), false, false, false],
    ['bad scheme', http('scheme', false), false, false, false],
    ['too many redirects', http('redirect', true), false, false, false],
    ['rate limit', providerError('rate_limit'), true, true, true],
    ['transient 5xx', providerError('transient'), true, false, true],
    ['transient, provably unsent', providerError('transient', { mayHaveReachedServer: false }), true, true, true],
    ['timeout category', providerError('timeout'), true, false, true],
    ['auth', providerError('auth'), false, false, false],
    ['quota', providerError('quota'), false, false, false],
    ['invalid input', providerError('invalid_input'), false, false, false],
    ['moderation', providerError('moderation'), false, false, false],
    ['unknown', providerError('unknown'), false, false, false],
    ['AbortedError', new AbortedError(), false, false, false],
    ['a plain Error', new Error('bug'), false, false, false],
  ])('%s', (_name, err, read, submit, idempotent) => {
    expect(isRetryable(err, 'read')).toBe(read);
    expect(isRetryable(err, 'submit')).toBe(submit);
    expect(isRetryable(err, 'submit', true)).toBe(idempotent);
  });
});

describe('retryDelay', () => {
  it('prefers the server-requested wait over backoff', () => {
    expect(retryDelay(providerError('rate_limit', { retryAfterMs: 4_200 }), 5, DEFAULT_BACKOFF, () => 0)).toBe(4_200);
    expect(retryDelay(providerError('rate_limit'), 2, DEFAULT_BACKOFF, () => 0)).toBe(2_000);
  });
});

describe('withRetry', () => {
  it('waits what Retry-After asked, then backoff, and returns the eventual value', async () => {
    const { sleep, delays } = recordingSleep();
    const errors = [providerError('rate_limit', { retryAfterMs: 3_000 }), providerError('transient')];
    const value = await withRetry(
      async (attempt) => {
        const err = errors[attempt];
        if (err) throw err;
        return 'done';
      },
      { kind: 'read', retries: 5, sleep, random: () => 0 },
    );
    expect(value).toBe('done');
    expect(delays).toEqual([3_000, 1_000]);
  });

  it('gives up after the allowed retries with the last error', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const err = providerError('transient');
    await expect(withRetry(async () => { calls++; throw err; }, { kind: 'read', retries: 2, sleep, random: () => 0 })).rejects.toBe(err);
    expect(calls).toBe(3);
    expect(delays).toEqual([500, 1_000]);
  });

  it('does not repeat a submit that may have reached the server', async () => {
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    await expect(
      withRetry(async () => { calls++; throw new HttpError('reset', true, { kind: 'reset' }); }, { kind: 'submit', retries: 5, sleep }),
    ).rejects.toBeInstanceOf(HttpError);
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it('repeats an idempotent submit', async () => {
    const { sleep } = recordingSleep();
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw new HttpError('reset', true, { kind: 'reset' });
        return calls;
      },
      { kind: 'submit', retries: 5, sleep, idempotentSubmit: true },
    );
    expect(value).toBe(3);
  });

  it('tells onRetry about each wait before it happens', async () => {
    const seen: [number, number][] = [];
    const { sleep } = recordingSleep();
    await withRetry(
      async (attempt) => {
        if (attempt < 2) throw providerError('rate_limit', { retryAfterMs: 100 * (attempt + 1) });
        return 1;
      },
      { kind: 'submit', retries: 3, sleep, onRetry: (_e, attempt, delay) => seen.push([attempt, delay]) },
    );
    expect(seen).toEqual([[0, 100], [1, 200]]);
  });

  it('never retries once aborted, whatever the error', async () => {
    const controller = new AbortController();
    const { sleep, delays } = recordingSleep();
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        controller.abort();
        throw providerError('transient');
      },
      { kind: 'read', retries: 5, sleep, signal: controller.signal },
    );
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it('turns an abort during the wait into AbortedError', async () => {
    const controller = new AbortController();
    const sleep: Sleep = async (_ms, signal) => {
      controller.abort();
      throw signal?.reason;
    };
    const run = withRetry(async () => { throw providerError('transient'); }, { kind: 'read', retries: 5, sleep, signal: controller.signal });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });

  it('lets a failing wait end the retries (a deadline-aware sleep)', async () => {
    const deadline = providerError('timeout');
    const sleep: Sleep = async () => { throw deadline; };
    await expect(withRetry(async () => { throw providerError('transient'); }, { kind: 'read', retries: 5, sleep })).rejects.toBe(deadline);
  });
});
