import type { Sleep } from '../../core/deps.js';
import { AbortedError, ProviderError } from '../../core/errors.js';
import { withRetry, type BackoffOptions, type RequestKind } from '../../http/retry.js';
import type { ProviderContext } from '../types.js';

/**
 * The one retry loop every provider's requests go through: the shared policy of http/retry.ts,
 * bound to a job's deadline, abort signal, scheduler and log. A provider supplies only its
 * numbers and the words of its deadline error.
 */
export interface JobRetry {
  readonly provider: string;
  readonly ctx: ProviderContext;
  readonly kind: RequestKind;
  readonly retries: number;
  /** True when the API dedupes submits by a client-chosen id (Runware's taskUUID). */
  readonly idempotentSubmit?: boolean;
  readonly backoff?: BackoffOptions;
  /** The error that ends the job when a retry wait would outlast its deadline. */
  readonly deadlineError: () => ProviderError;
  /** Said in the debug log before each retry, e.g. "a read of task 12". */
  readonly what?: string;
  /** Tell the scheduler about rate limits here, for providers that do not where they classify. */
  readonly reportRateLimits?: boolean;
}

/** Waits that would end past the deadline throw `deadlineError` instead; an aborted wait is AbortedError. */
export function sleepWithinDeadline(o: Pick<JobRetry, 'ctx' | 'deadlineError'>): Sleep {
  return async (ms, signal) => {
    if (o.ctx.clock.now() + ms >= o.ctx.deadline) throw o.deadlineError();
    try {
      await o.ctx.sleep(ms, signal);
    } catch (err) {
      if (o.ctx.signal.aborted || signal?.aborted) throw new AbortedError();
      throw err;
    }
  };
}

export async function retryJob<T>(o: JobRetry, fn: (attempt: number) => Promise<T>): Promise<T> {
  try {
    return await withRetry(fn, {
      kind: o.kind,
      retries: o.retries,
      idempotentSubmit: o.idempotentSubmit ?? false,
      sleep: sleepWithinDeadline(o),
      signal: o.ctx.signal,
      ...(o.backoff ? { backoff: o.backoff } : {}),
      onRetry: (err, attempt, delayMs) => {
        if (o.reportRateLimits && err instanceof ProviderError && err.category === 'rate_limit') o.ctx.onRateLimited(err.retryAfterMs);
        const reason = err instanceof Error ? err.message : 'error';
        o.ctx.logger.debug(`${o.provider}: ${o.what ?? o.kind} attempt ${attempt + 1} failed (${reason}); retrying in ${delayMs} ms`);
      },
    });
  } catch (err) {
    if (o.ctx.signal.aborted) throw new AbortedError();
    throw err;
  }
}
