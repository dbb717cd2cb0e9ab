import pLimit, { type LimitFunction } from 'p-limit';
import type { Clock } from '../deps.js';

/**
 * Concurrency that adapts to the provider's limit signals. When the provider refuses a task
 * (429, RunningHub 421), the number of tasks it had accepted and was still running is its real
 * capacity: we drop to that at once instead of halving blindly, so no further submit is refused.
 * After a quiet spell we probe one slot higher, up to the configured maximum.
 */
export interface AdaptiveLimiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** The provider accepted a task (it now occupies one of its slots). */
  accepted(): void;
  /** An accepted task reached a terminal state. */
  released(): void;
  rateLimited(): void;
  readonly concurrency: number;
  readonly max: number;
  /** How many times the provider signalled its limit. */
  readonly signals: number;
}

export interface LimiterOptions {
  readonly max: number;
  readonly clock: Clock;
  /** Quiet time before trying one more concurrent task. */
  readonly probeAfterMs?: number;
}

export function createAdaptiveLimiter(options: LimiterOptions): AdaptiveLimiter {
  const max = Math.max(1, Math.floor(options.max));
  const probeAfterMs = options.probeAfterMs ?? 30_000;
  const limit: LimitFunction = pLimit(max);
  let active = 0;
  let signals = 0;
  let lastChange = options.clock.now();

  function maybeProbe(): void {
    if (limit.concurrency < max && options.clock.now() - lastChange >= probeAfterMs) {
      limit.concurrency += 1;
      lastChange = options.clock.now();
    }
  }

  return {
    run: (fn) =>
      limit(() => {
        maybeProbe();
        return fn();
      }),
    accepted() {
      active++;
    },
    released() {
      active = Math.max(0, active - 1);
    },
    rateLimited() {
      signals++;
      const capacity = active > 0 ? active : Math.floor(limit.concurrency / 2);
      const next = Math.max(1, Math.min(limit.concurrency, capacity));
      if (next !== limit.concurrency) limit.concurrency = next;
      lastChange = options.clock.now();
    },
    get concurrency() {
      return limit.concurrency;
    },
    max,
    get signals() {
      return signals;
    },
  };
}
