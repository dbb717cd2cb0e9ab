import type { Clock, Sleep } from '../../src/core/deps.js';

/**
 * A build's time in tests: a clock that only the build's own waits move (poll intervals, retry
 * backoff, claim waits). Thirty seconds of retries take none, and what the test sees does not
 * depend on the machine's pace; the emulators keep their own time (emulators/clock.ts).
 *
 * `untilWokenFrom`: waits of that many ms or more (a poll's safety net while callbacks are on) last
 * until something cuts them short (a callback), so a job that finishes at all finished by callback.
 */
export function virtualTime(options: { readonly untilWokenFrom?: number } = {}): { readonly clock: Clock; readonly sleep: Sleep } {
  const longest = options.untilWokenFrom ?? Number.POSITIVE_INFINITY;
  let now = 0;
  return {
    clock: { now: () => now },
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        if (ms >= longest) return void signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        now += ms;
        // Real I/O (the emulators, a receiver) goes on between waits.
        setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve()));
      }),
  };
}
