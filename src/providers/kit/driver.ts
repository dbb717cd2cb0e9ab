import { AbortedError, ProviderError } from '../../core/errors.js';
import type { GenerationResult } from '../../core/generation.js';
import { HttpError } from '../../http/client.js';
import { pollUntilDone } from '../../http/poll.js';
import type { ProviderContext } from '../types.js';
import { pollTiming } from './polling.js';
import type { PollSchedule } from './schedule.js';

/**
 * The queue driver: submit → status → result → cancel, the structure of fal-js's queue client
 * and the Runware SDK. It owns the order of things, resuming a killed build's task, the journal
 * hooks, the polling schedule and what happens at the deadline; a provider supplies its calls
 * (each with its own retries through kit/retry.ts) and the words of its errors.
 */

/** `status` is the provider's own word for the state, for progress reports. */
export type TaskStatus<T> =
  | { readonly state: 'pending'; readonly status?: string; readonly queuePosition?: number; readonly cancellable?: boolean }
  | { readonly state: 'done'; readonly status?: string; readonly value: T }
  | { readonly state: 'failed'; readonly status?: string; readonly error: ProviderError }
  /** The provider does not know the task (any more). */
  | { readonly state: 'gone'; readonly status?: undefined };

export interface QueueProvider<T> {
  readonly name: string;
  readonly schedule: PollSchedule;
  /**
   * Sends the task, calling `ctx.journal.submitting()` before each attempt leaves the process;
   * returns its id and, when the submit answer already says, its status.
   */
  submit(ctx: ProviderContext): Promise<{ readonly taskId: string; readonly status?: TaskStatus<T> }>;
  status(taskId: string, ctx: ProviderContext): Promise<TaskStatus<T>>;
  /** What a finished task made, fetched at once; undefined when its result has expired. */
  result(taskId: string, value: T, ctx: ProviderContext): Promise<GenerationResult | undefined>;
  /** Cancels a task that has not started; true when the provider confirms it. */
  cancel?(taskId: string, ctx: ProviderContext): Promise<boolean>;
  /** The error for a task the provider forgot after accepting it in this very job. */
  goneError(taskId: string): ProviderError;
  /** The error for a result that expired before it was fetched. */
  expiredError(taskId: string): ProviderError;
  /** Rewords a deadline or abort while `taskId` ran; `cancelled` when the driver cancelled it. */
  stoppedError?(err: ProviderError, taskId: string, cancelled: boolean): ProviderError;
}

export async function runQueueJob<T>(p: QueueProvider<T>, ctx: ProviderContext): Promise<GenerationResult> {
  const prior = ctx.journal.prior?.taskId;
  if (prior) {
    ctx.logger.debug(`${p.name}: resuming task ${prior}`);
    const resumed = await follow(p, ctx, prior, undefined, true);
    if (resumed.state === 'done') {
      const result = await p.result(prior, resumed.value, ctx);
      if (result) return result;
    }
    // Gone, failed or expired: the killed build's attempt is stale, so start over.
    ctx.logger.debug(`${p.name}: task ${prior} cannot be resumed (${resumed.state}); submitting afresh`);
  }
  if (ctx.signal.aborted) throw new AbortedError();
  const { taskId, status } = await p.submit(ctx);
  await ctx.journal.submitted(taskId);
  ctx.onProgress?.({ kind: 'submitted', taskId });
  const outcome = status?.state === 'done' ? status : await follow(p, ctx, taskId, status, false);
  if (outcome.state === 'failed') throw outcome.error;
  if (outcome.state === 'gone') throw p.goneError(taskId);
  const result = await p.result(taskId, outcome.value, ctx);
  if (!result) throw p.expiredError(taskId);
  return result;
}

type Settled<T> = Exclude<TaskStatus<T>, { state: 'pending' }>;

/** Polls `taskId` until it settles; at the deadline or on abort cancels it if it has not started. */
async function follow<T>(p: QueueProvider<T>, ctx: ProviderContext, taskId: string, first: TaskStatus<T> | undefined, resumed: boolean): Promise<Settled<T>> {
  let last = first;
  try {
    return await pollUntilDone<Settled<T>>({
      provider: p.name,
      taskId,
      ...pollTiming(p.schedule, resumed),
      deadline: ctx.deadline,
      clock: ctx.clock,
      sleep: ctx.sleep,
      signal: ctx.signal,
      check: async () => {
        const status = await p.status(taskId, ctx);
        if (status.status && status.status !== last?.status) {
          const queuePosition = status.state === 'pending' ? status.queuePosition : undefined;
          ctx.onProgress?.({ kind: 'status', status: status.status, ...(queuePosition !== undefined ? { queuePosition } : {}) });
        }
        last = status;
        if (status.state !== 'pending') return { done: true, value: status };
        return status.queuePosition !== undefined ? { done: false, queuePosition: status.queuePosition } : { done: false };
      },
    });
  } catch (err) {
    // A deadline (in the poll or in a retry wait) carries no transport cause; a request timeout does.
    const stopped = err instanceof AbortedError || (err instanceof ProviderError && err.category === 'timeout' && !(err.cause instanceof HttpError));
    if (!stopped) throw err;
    const cancellable = p.cancel && (last === undefined || (last.state === 'pending' && last.cancellable === true));
    const cancelled = cancellable ? await p.cancel!(taskId, ctx) : false;
    if (err instanceof ProviderError && p.stoppedError) throw p.stoppedError(err, taskId, cancelled);
    throw err;
  }
}
