import { AbortedError, ProviderError } from '../../core/errors.js';
import type { GenerationResult } from '../../core/generation.js';
import { HttpError } from '../../http/client.js';
import { pollUntilDone } from '../../http/poll.js';
import type { ProviderContext } from '../types.js';
import { pollTiming } from './polling.js';
import type { PollSchedule } from './schedule.js';
import { wakeableSleep, type Watch } from './wake.js';

/**
 * The queue driver: submit → status → result → cancel, the structure of fal-js's queue client
 * and the Runware SDK. It owns the order of things, resuming a killed build's task, submitting
 * again when the provider says it may, the journal hooks, the polling schedule, callbacks that
 * cut a poll wait short, and what happens at the deadline; a provider supplies its calls (each
 * with its own retries through kit/retry.ts) and the words of its errors.
 *
 * A task whose id we hold is never abandoned: whatever stops the job while it follows the task
 * short of the task's own end (status reads that keep failing, a download that does not come, a
 * deadline) leaves the error marked `taskOpen`, so the journal keeps the task and a re-run
 * resumes it. Only the task's own end (failed, gone, expired, cancelled) closes it.
 */

/** `status` is the provider's own word for the state, for progress reports. */
export type TaskStatus<T> =
  | { readonly state: 'pending'; readonly status?: string; readonly queuePosition?: number; readonly cancellable?: boolean }
  | { readonly state: 'done'; readonly status?: string; readonly value: T }
  | { readonly state: 'failed'; readonly status?: string; readonly error: ProviderError }
  /** The provider does not know the task (any more). */
  | { readonly state: 'gone'; readonly status?: undefined };

/** How a task ended without a result: unknown to the provider, failed, or its result expired. */
export interface Ending {
  readonly why: 'gone' | 'failed' | 'expired';
  readonly taskId: string;
  /** The task came from a killed build's journal (or was found there by the submit), not sent by this job. */
  readonly inherited: boolean;
  readonly error: ProviderError;
}

/** The task ended without a result, as the result call found (a failure reported only there). */
export interface TaskFailed {
  readonly failed: ProviderError;
}

export interface Submitted<T> {
  readonly taskId: string;
  /** The task's status when the submit answer already says (a synchronous result, a probe). */
  readonly status?: TaskStatus<T>;
  /** The submit found the task a killed build had sent, and sent nothing itself. */
  readonly inherited?: boolean;
}

export interface QueueProvider<T> {
  readonly name: string;
  readonly schedule: PollSchedule;
  /**
   * Sends the task, calling `ctx.journal.submitting()` before each attempt leaves the process;
   * `after` is the ending that made the driver submit again.
   */
  submit(ctx: ProviderContext, after?: Ending): Promise<Submitted<T>>;
  status(taskId: string, ctx: ProviderContext): Promise<TaskStatus<T>>;
  /** What a finished task made, fetched at once; undefined when its result has expired. */
  result(taskId: string, value: T, ctx: ProviderContext): Promise<GenerationResult | TaskFailed | undefined>;
  /** Cancels a task that has not started; true when the provider confirms it. */
  cancel?(taskId: string, ctx: ProviderContext): Promise<boolean>;
  /**
   * Whether to submit again after `ending`. Without it only an inherited task is replaced,
   * since only that one was paid for by another build.
   */
  again?(ending: Ending): boolean;
  /** Provider callbacks (webhooks) that end a poll wait early; the poll still decides. */
  readonly watch?: Watch;
  /** The error for a task the provider forgot after accepting it in this very job. */
  goneError(taskId: string): ProviderError;
  /** The error for a result that expired before it was fetched. */
  expiredError(taskId: string): ProviderError;
  /** Rewords a deadline or abort while `taskId` ran; `cancelled` when the driver cancelled it. */
  stoppedError?(err: ProviderError, taskId: string, cancelled: boolean): ProviderError;
}

export async function runQueueJob<T>(p: QueueProvider<T>, ctx: ProviderContext): Promise<GenerationResult> {
  let after: Ending | undefined;
  const prior = ctx.journal.prior?.taskId;
  if (prior) {
    ctx.logger.debug(`${p.name}: resuming task ${prior}`);
    const resumed = await watch(p, ctx, prior, undefined, true);
    if ('bytes' in resumed) return resumed;
    if (!(p.again?.(resumed) ?? true)) throw resumed.error;
    ctx.logger.debug(`${p.name}: task ${prior} cannot be resumed (${resumed.why}); submitting again`);
    after = resumed;
  }
  for (;;) {
    if (ctx.signal.aborted) throw new AbortedError();
    const { taskId, status, inherited = false } = await p.submit(ctx, after);
    await ctx.journal.submitted(taskId);
    ctx.onProgress?.({ kind: 'submitted', taskId });
    const ended = await watch(p, ctx, taskId, status, false, inherited);
    if ('bytes' in ended) return ended;
    if (!(p.again?.(ended) ?? false)) throw ended.error;
    ctx.logger.info(`${p.name}: task ${taskId} ${ended.why === 'expired' ? 'has an expired result' : ended.why === 'gone' ? 'is unknown to the provider' : 'failed upstream'}; submitting again`);
    after = ended;
  }
}

/** `settle`; anything that stops it short of the task's own end leaves the task open. */
async function watch<T>(p: QueueProvider<T>, ctx: ProviderContext, taskId: string, first: TaskStatus<T> | undefined, resumed: boolean, inherited = resumed): Promise<GenerationResult | Ending> {
  try {
    return await settle(p, ctx, taskId, first, resumed, inherited);
  } catch (err) {
    throw stillOpen(err, taskId);
  }
}

/** The error, marked as leaving `taskId` open, and saying what a re-run does about it. */
function stillOpen(err: unknown, taskId: string): unknown {
  if (!(err instanceof ProviderError) || err.taskOpen !== undefined) return err;
  const told = /resum/i.test(err.message);
  const message = told ? err.message : `${err.message}; task ${taskId} stays in the journal — re-run to resume it instead of paying again`;
  return new ProviderError({ ...err.details(), taskId: err.taskId ?? taskId, taskOpen: true }, message, { cause: err.cause });
}

/** Follows `taskId` to its result, or to how it ended without one. */
async function settle<T>(p: QueueProvider<T>, ctx: ProviderContext, taskId: string, first: TaskStatus<T> | undefined, resumed: boolean, inherited = resumed): Promise<GenerationResult | Ending> {
  const outcome = first?.state === 'done' || first?.state === 'failed' || first?.state === 'gone' ? first : await follow(p, ctx, taskId, first, resumed);
  if (outcome.state === 'failed') return { why: 'failed', taskId, inherited, error: outcome.error };
  if (outcome.state === 'gone') return { why: 'gone', taskId, inherited, error: p.goneError(taskId) };
  const result = await p.result(taskId, outcome.value, ctx);
  if (result && 'failed' in result) return { why: 'failed', taskId, inherited, error: result.failed };
  return result ?? { why: 'expired', taskId, inherited, error: p.expiredError(taskId) };
}

type Settled<T> = Exclude<TaskStatus<T>, { state: 'pending' }>;

/** Polls `taskId` until it settles; at the deadline or on abort cancels it if it has not started. */
async function follow<T>(p: QueueProvider<T>, ctx: ProviderContext, taskId: string, first: TaskStatus<T> | undefined, resumed: boolean): Promise<Settled<T>> {
  let last = first;
  const wake = p.watch ? wakeableSleep(ctx.sleep, ctx.clock, p.watch, taskId) : undefined;
  try {
    return await pollUntilDone<Settled<T>>({
      provider: p.name,
      taskId,
      ...pollTiming(p.schedule, resumed),
      deadline: ctx.deadline,
      clock: ctx.clock,
      sleep: wake?.sleep ?? ctx.sleep,
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
    if (!(err instanceof ProviderError)) throw err;
    // A task cancelled while still queued has ended; any other keeps running remotely.
    const stoppedErr = p.stoppedError ? p.stoppedError(err, taskId, cancelled) : err;
    throw new ProviderError({ ...stoppedErr.details(), taskId: stoppedErr.taskId ?? taskId, taskOpen: !cancelled }, stoppedErr.message, { cause: stoppedErr.cause });
  } finally {
    wake?.stop();
  }
}
