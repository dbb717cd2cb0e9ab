import type { PollSchedule } from '../kit/schedule.js';
import type { Watch } from '../kit/wake.js';
import { AbortedError, ProviderError, type ProviderErrorCategory } from '../../core/errors.js';
import { HttpError, transportToProviderError } from '../../http/client.js';
import type { RequestKind } from '../../http/retry.js';
import { downloadResult as download, type Download } from '../kit/download.js';
import { retryJob } from '../kit/retry.js';
import { timeLeft } from '../kit/deadline.js';
import { classifyRunware, nextStep, type RunwareClassification } from './classify.js';
import type { ProviderContext } from '../types.js';

/**
 * One Runware round trip with retries, and the result download. Every failure leaves here as a
 * ProviderError naming the code, the task and what happens next; the key only ever travels in
 * the Authorization header of API calls (never to the result CDN).
 */

export const PROVIDER = 'runware';
/** Result images are a few MB; anything near this is not an image we asked for. */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;
const RETRIES: Readonly<Record<RequestKind, number>> = { submit: 5, read: 4 };

export interface RunwareSettings {
  readonly apiKey: string;
  /** Up to and including the version segment; Runware takes every task at this URL. */
  readonly baseUrl: string;
  /** Milliseconds before poll number `attempt`. */
  readonly schedule: PollSchedule;
  /** Where Runware calls back on completion, and how those calls reach the driver (webhooks on). */
  readonly webhookUrl?: string;
  readonly watch?: Watch;
}

export interface JobEnv {
  readonly settings: RunwareSettings;
  readonly ctx: ProviderContext;
}

export interface RunwareAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or undefined when the body was not JSON. */
  readonly body: unknown;
}

/** Runware's free text may be long; keep it short (the registry removes the key: kit/redact.ts). */
function sanitize(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 197)}...` : clean;
}

export function runwareFailure(
  env: JobEnv,
  c: Pick<RunwareClassification, 'category' | 'providerCode' | 'retryAfterMs' | 'detail'> & { readonly httpStatus?: number },
  taskId: string,
  what: string,
  cause?: unknown,
): ProviderError {
  const code = c.providerCode ? `code ${c.providerCode} ` : c.httpStatus ? `HTTP ${c.httpStatus} ` : '';
  const detail = c.detail ? `: ${sanitize(c.detail)}` : '';
  return new ProviderError(
    {
      provider: PROVIDER,
      category: c.category,
      providerCode: c.providerCode,
      taskId,
      httpStatus: c.httpStatus,
      retryAfterMs: c.retryAfterMs,
      mayHaveReachedServer: true,
    },
    `${PROVIDER}: ${code}while ${what} task ${taskId}${detail}; ${nextStep(c.category)}`,
    cause === undefined ? undefined : { cause },
  );
}

/** A classified error answer; tells the scheduler when Runware asked us to slow down. */
export function classifiedFailure(env: JobEnv, answer: RunwareAnswer, taskId: string, what: string): ProviderError {
  const c = classifyRunware(answer.status, answer.body, answer.headers);
  if (c.category === 'rate_limit') env.ctx.onRateLimited(c.retryAfterMs);
  return runwareFailure(env, c, taskId, what);
}

function transportFailure(env: JobEnv, err: HttpError, taskId: string, what: string): ProviderError {
  const base = transportToProviderError(PROVIDER, err, taskId);
  return new ProviderError(
    base.details(),
    `${PROVIDER}: ${sanitize(err.message)} while ${what} task ${taskId}; ${nextStep(base.category)}`,
    { cause: err },
  );
}

function deadlineFailure(taskId: string, what: string): ProviderError {
  return new ProviderError(
    { provider: PROVIDER, category: 'timeout', taskId },
    `${PROVIDER}: the job deadline passed while ${what} task ${taskId}; Runware has no cancel, so the task may still run and be billed — re-run the build to resume it`,
  );
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

function withRunwareRetry<T>(env: JobEnv, kind: RequestKind, taskId: string, what: string, fn: () => Promise<T>): Promise<T> {
  return retryJob(
    {
      provider: PROVIDER,
      ctx: env.ctx,
      kind,
      retries: RETRIES[kind],
      idempotentSubmit: true, // the client-chosen taskUUID makes a repeated submit the same task
      what: `${what} task ${taskId}`,
      deadlineError: () => deadlineFailure(taskId, what),
    },
    fn,
  );
}

/**
 * POSTs `tasks` and hands the answer to `interpret`, which returns a value or throws a
 * ProviderError; transient and rate-limit errors are retried per `kind`.
 */
export function callRunware<T>(
  env: JobEnv,
  kind: RequestKind,
  tasks: readonly unknown[],
  taskId: string,
  what: string,
  interpret: (answer: RunwareAnswer) => T,
  /** Before a retry: the answer the failed attempt may have had, if it can be found out. */
  recover?: (failure: unknown) => Promise<T | undefined>,
): Promise<T> {
  let failure: unknown;
  return withRunwareRetry(env, kind, taskId, what, async () => {
    if (failure !== undefined && recover) {
      const recovered = await recover(failure);
      if (recovered !== undefined) return recovered;
    }
    try {
      return await send();
    } catch (err) {
      failure = err;
      throw err;
    }
  });

  async function send(): Promise<T> {
    let res;
    try {
      res = await env.ctx.http.request({
        method: 'POST',
        url: env.settings.baseUrl,
        headers: { authorization: `Bearer ${env.settings.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(tasks),
        signal: env.ctx.signal,
        timeoutCapMs: timeLeft(env.ctx),
      });
    } catch (err) {
      if (env.ctx.signal.aborted) throw new AbortedError();
      throw err instanceof HttpError ? transportFailure(env, err, taskId, what) : err;
    }
    const answer: RunwareAnswer = { status: res.status, headers: res.headers, body: parseJson(res.body) };
    const ok = res.status >= 200 && res.status < 300;
    if (ok && answer.body === undefined) {
      throw runwareFailure(env, { category: 'transient', httpStatus: res.status, detail: 'answer was not JSON' }, taskId, what);
    }
    return interpret(answer);
  }
}

/** GETs the result image right away (its URL expires) through the shared download. */
export function downloadResult(env: JobEnv, url: string, taskId: string): Promise<Download> {
  const what = 'downloading the result of';
  return download({
    ctx: env.ctx,
    url,
    maxBytes: MAX_DOWNLOAD_BYTES,
    retry: (fn) => withRunwareRetry(env, 'read', taskId, what, fn),
    transport: (err) => (env.ctx.signal.aborted ? new AbortedError() : err instanceof HttpError ? transportFailure(env, err, taskId, what) : err),
    failure: (status, detail) => {
      const category: ProviderErrorCategory = status >= 500 || status === 429 || status === 408 || status === 200 ? 'transient' : 'unknown';
      return runwareFailure(env, { category, httpStatus: status, detail }, taskId, what);
    },
  });
}
