import type { Clock, Sleep } from '../core/deps.js';
import { AbortedError, ProviderError } from '../core/errors.js';

export type PollOutcome<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly queuePosition?: number };

export interface PollOptions<T> {
  readonly provider: string;
  readonly taskId: string;
  /**
   * Milliseconds to wait before poll number `attempt` (0-based), `elapsedMs` after polling began,
   * with the queue position the last poll reported: the provider's cadence or a learned schedule.
   */
  readonly delayBefore: (attempt: number, elapsedMs: number, queuePosition?: number) => number;
  /** The task was seen done `doneMs` after polling began; `lastPendingMs` when a poll saw it pending. */
  readonly onDone?: (doneMs: number, lastPendingMs?: number) => void;
  readonly check: () => Promise<PollOutcome<T>>;
  readonly deadline: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
}

/**
 * Polls until `check` reports a terminal state, the deadline passes or the build is aborted.
 * Errors thrown by `check` end the poll: transient ones are retried inside `check` itself.
 */
export async function pollUntilDone<T>(options: PollOptions<T>): Promise<T> {
  const start = options.clock.now();
  let lastPending: number | undefined;
  let queuePosition: number | undefined;
  for (let attempt = 0; ; attempt++) {
    const wait = options.delayBefore(attempt, options.clock.now() - start, queuePosition);
    const remaining = options.deadline - options.clock.now();
    if (remaining <= 0) {
      throw new ProviderError(
        { provider: options.provider, category: 'timeout', taskId: options.taskId },
        `${options.provider}: task ${options.taskId} did not finish before the job deadline; re-run to resume it`,
      );
    }
    try {
      await options.sleep(Math.min(wait, remaining), options.signal);
    } catch (err) {
      if (options.signal.aborted) throw new AbortedError();
      throw err;
    }
    if (options.signal.aborted) throw new AbortedError();
    const asked = options.clock.now() - start;
    const outcome = await options.check();
    if (outcome.done) {
      options.onDone?.(asked, lastPending);
      return outcome.value;
    }
    lastPending = asked;
    queuePosition = outcome.queuePosition;
  }
}

/** A fixed first delay, then growth by `factor` up to `max` (Runware's SDK: 1 s, 0.5 s, x1.5 to 10 s). */
export function growingCadence(first: number, then: number, factor: number, max: number): (attempt: number) => number {
  return (attempt) => (attempt === 0 ? first : Math.min(max, then * factor ** (attempt - 1)));
}

export function fixedCadence(interval: number): (attempt: number) => number {
  return () => interval;
}
