import { ProviderError } from '../../core/errors.js';
import { HttpError, transportToProviderError } from '../../http/client.js';
import type { RequestKind } from '../../http/retry.js';
import { retryJob } from '../kit/retry.js';
import { RUNNINGHUB } from './classify.js';
export { requestTimeout } from '../kit/deadline.js';
import type { ProviderContext } from '../types.js';

/** The shared retry policy, bound to a RunningHub job's deadline, abort signal and scheduler. */

/** Slower than the default: a full RunningHub queue frees up as tasks finish, in tens of seconds. */
export const SUBMIT_BACKOFF = { baseMs: 2_000, maxMs: 30_000, jitter: 0.25 };

/**
 * Retries `fn` per the shared policy, telling the scheduler about rate limits and stopping at
 * the deadline. Transport failures become provider errors only once retrying is over, so the
 * policy still sees undici's own failure kinds.
 */
export async function retrying<T>(ctx: ProviderContext, kind: RequestKind, retries: number, taskId: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await retryJob(
      {
        provider: RUNNINGHUB,
        ctx,
        kind,
        retries,
        reportRateLimits: true,
        ...(kind === 'submit' ? { backoff: SUBMIT_BACKOFF } : {}),
        deadlineError: () =>
          new ProviderError(
            // Only refusals and failures before sending are retried: no waited-out submit made a task.
            { provider: RUNNINGHUB, category: 'timeout', ...(kind === 'submit' ? { mayHaveReachedServer: false } : {}) },
            `${RUNNINGHUB}: the job deadline passed while waiting to retry a ${kind === 'submit' ? 'refused submit (nothing was submitted)' : 'failed request'}; re-run to try again`,
          ),
      },
      fn,
    );
  } catch (err) {
    if (err instanceof HttpError) {
      const failure = transportToProviderError(RUNNINGHUB, err, taskId);
      const task = taskId ? ` (task ${taskId})` : '';
      const next =
        kind === 'read' ? (taskId ? 'gave up after retrying; re-run to resume the task' : 'gave up after retrying; the job may be retried')
        : err.sent ? 'not resubmitted: the task may exist — check the RunningHub console'
        : 'nothing was submitted; the job may be retried';
      throw new ProviderError(failure.details(), `${failure.message} during ${kind}${task}; ${next}`, { cause: err });
    }
    throw err instanceof ProviderError ? err.withTaskId(taskId) : err;
  }
}

/** How close to the deadline a timeout counts as the job deadline's (timers fire a little late or early). */
const DEADLINE_SLACK_MS = 100;

/**
 * A timeout at the job deadline with a task running says so, and that the task may still finish:
 * its id stays in the journal, and a re-run resumes it instead of paying again.
 */
export function atJobDeadline(ctx: ProviderContext, err: unknown): unknown {
  if (!(err instanceof ProviderError) || err.category !== 'timeout' || !err.taskId) return err;
  if (ctx.deadline - ctx.clock.now() > DEADLINE_SLACK_MS) return err;
  return new ProviderError(
    err.details(),
    `${RUNNINGHUB}: the job deadline (--job-timeout) passed while task ${err.taskId} was running; the task may still finish on RunningHub, and a re-run of the build resumes it`,
    { cause: err },
  );
}
