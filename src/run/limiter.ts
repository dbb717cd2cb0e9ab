import type { Clock } from '../core/deps.js';

/**
 * Concurrency that adapts to the provider's limit signals. When the provider refuses a task
 * (429, RunningHub 421), the number of tasks it had accepted and was still running is its real
 * capacity: we drop to that at once instead of halving blindly, so no further submit is refused.
 * After a quiet spell we probe one slot higher, up to the configured maximum.
 *
 * A job waiting out a refusal gives its slot back (`whileWaiting`) so queued jobs can use the
 * capacity, and takes the next free slot ahead of jobs that have not started.
 */
export interface AdaptiveLimiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `wait` (called from inside `run`) without holding a slot, then takes one back. */
  whileWaiting<T>(wait: () => Promise<T>): Promise<T>;
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
  let concurrency = max;
  let running = 0;
  let active = 0;
  let signals = 0;
  let lastChange = options.clock.now();
  const waiting: (() => void)[] = [];

  function pump(): void {
    while (running < concurrency && waiting.length > 0) {
      running++;
      waiting.shift()!();
    }
  }

  function acquire(first: boolean): Promise<void> {
    if (concurrency < max && options.clock.now() - lastChange >= probeAfterMs) {
      concurrency++;
      lastChange = options.clock.now();
    }
    return new Promise((resolve) => {
      if (first) waiting.unshift(resolve);
      else waiting.push(resolve);
      pump();
    });
  }

  function release(): void {
    running--;
    pump();
  }

  return {
    async run(fn) {
      await acquire(false);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    async whileWaiting(wait) {
      release();
      try {
        return await wait();
      } finally {
        await acquire(true);
      }
    },
    accepted() {
      active++;
    },
    released() {
      active = Math.max(0, active - 1);
    },
    rateLimited() {
      signals++;
      const capacity = active > 0 ? active : Math.floor(concurrency / 2);
      concurrency = Math.max(1, Math.min(concurrency, capacity));
      lastChange = options.clock.now();
    },
    get concurrency() {
      return concurrency;
    },
    max,
    get signals() {
      return signals;
    },
  };
}
