/**
 * When to ask a provider whether a task is done, learned from the tasks of this build that have
 * finished already. A fixed cadence either polls too often or, worse, notices a finished task
 * up to a whole interval late (RunningHub's 5 s on 4 s tasks: 25 % of the wall time).
 *
 * Each finished task tells us its duration lies between the last poll that saw it pending and
 * the poll that saw it done. The schedule aims the first poll between the medians of those two
 * bounds and follows a miss with short, growing gaps; with no history yet it polls early and
 * backs off. Every delay has a cap and a little jitter, so tasks submitted together spread out.
 */

export interface PollScheduleOptions {
  /** First poll of a task when no task has finished yet. */
  readonly firstMs: number;
  /** Shortest gap between two polls of one task. */
  readonly minMs: number;
  /** Longest gap: the provider's own recommended cadence, or a little more. */
  readonly capMs: number;
  /** Gaps grow by this factor while a task stays pending. */
  readonly growth?: number;
  /** Fraction of each delay varied at random (0.05 = ±5 %). */
  readonly jitter?: number;
  /** Finished tasks remembered; older ones are forgotten as the provider's speed drifts. */
  readonly window?: number;
  readonly random?: () => number;
}

export interface PollSchedule {
  /**
   * Milliseconds to wait before poll number `attempt` (0-based) of a task submitted `elapsedMs`
   * ago; `queuePosition` when the provider reported one on the last poll.
   */
  delayBefore(attempt: number, elapsedMs: number, queuePosition?: number): number;
  /** A task was seen done `doneMs` after its submit; `lastPendingMs` when a poll saw it pending. */
  finished(doneMs: number, lastPendingMs?: number): void;
  /** The current estimate of a task's duration, or undefined before any task finished. */
  expectedMs(): number | undefined;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function createPollSchedule(options: PollScheduleOptions): PollSchedule {
  const growth = options.growth ?? 1.5;
  const jitter = options.jitter ?? 0.05;
  const window = options.window ?? 32;
  const random = options.random ?? Math.random;
  const lower: number[] = [];
  const upper: number[] = [];
  const remember = (list: number[], value: number) => {
    list.push(value);
    if (list.length > window) list.shift();
  };
  const jittered = (ms: number) => Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
  const capped = (ms: number) => Math.min(options.capMs, Math.max(options.minMs, ms));

  function expectedMs(): number | undefined {
    const hi = median(upper);
    if (hi === undefined) return undefined;
    // Tasks found done at their first poll leave no lower bound: assume a quarter of the way down.
    const lo = median(lower) ?? hi * 0.75;
    return Math.min(hi, (lo + hi) / 2);
  }

  return {
    expectedMs,
    finished(doneMs, lastPendingMs) {
      if (!(doneMs >= 0)) return;
      remember(upper, doneMs);
      if (lastPendingMs !== undefined && lastPendingMs > 0) remember(lower, Math.min(lastPendingMs, doneMs));
    },
    delayBefore(attempt, elapsedMs, queuePosition) {
      const expected = expectedMs();
      if (expected === undefined) {
        // Nothing learned yet: short first, then back off towards the cap.
        return jittered(capped(options.firstMs * growth ** attempt));
      }
      // Tasks still queued run their whole duration after they start: wait about one, capped.
      if (queuePosition !== undefined && queuePosition > 0) return jittered(capped(expected));
      const untilExpected = expected - elapsedMs;
      if (untilExpected > options.minMs) return jittered(Math.min(options.capMs, untilExpected));
      // Past the expected finish: short gaps, growing with how far past it we are.
      const overdue = Math.max(0, -untilExpected);
      return jittered(capped(Math.max(options.minMs, expected * 0.03) + overdue * 0.5));
    },
  };
}

/** A fixed interval (PRESSROOM_POLL_INTERVAL_MS, for emulators): learns nothing. */
export function fixedSchedule(intervalMs: number): PollSchedule {
  return { delayBefore: () => intervalMs, finished: () => {}, expectedMs: () => undefined };
}
