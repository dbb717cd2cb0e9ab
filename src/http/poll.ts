import type { Clock, Sleep } from '../core/deps.js';
import { AbortedError, ProviderError } from '../core/errors.js';

export type PollOutcome<T> = { readonly done: true; readonly value: T } | { readonly done: false };

export interface PollOptions<T> {
  readonly provider: string;
  readonly taskId: string;
  /** Milliseconds to wait before poll number `attempt` (0-based): the provider's cadence. */
  readonly delayBefore: (attempt: number) => number;
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
  for (let attempt = 0; ; attempt++) {
    const wait = options.delayBefore(attempt);
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
    const outcome = await options.check();
    if (outcome.done) return outcome.value;
  }
}

/** A fixed first delay, then growth by `factor` up to `max` (Runware's SDK: 1 s, 0.5 s, x1.5 to 10 s). */
export function growingCadence(first: number, then: number, factor: number, max: number): (attempt: number) => number {
  return (attempt) => (attempt === 0 ? first : Math.min(max, then * factor ** (attempt - 1)));
}

export function fixedCadence(interval: number): (attempt: number) => number {
  return () => interval;
}
