import type { Clock, Sleep } from '../../src/core/deps.js';

/**
 * A build's time in CLI tests: a clock that only the build's own waits move (poll intervals,
 * retry backoff, claim waits). Thirty seconds of retries take none, and what the test sees does
 * not depend on the machine's pace; the emulators keep their own time (emulators/clock.ts).
 */
export function virtualTime(): { readonly clock: Clock; readonly sleep: Sleep } {
  let now = 0;
  return {
    clock: { now: () => now },
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        now += ms;
        // Real I/O goes on between waits.
        setImmediate(() => (signal?.aborted ? reject(signal.reason) : resolve()));
      }),
  };
}
