import { AbortedError, type ProviderErrorCategory, ProviderError } from '../../core/errors.js';
import { HttpError, transportToProviderError } from '../../http/client.js';
import { classifyRunComfy, type RunComfyClassification } from './classify.js';
import type { ProviderContext } from '../types.js';
import { timeLeft } from '../kit/deadline.js';
import { retryJob } from '../kit/retry.js';
import type { RequestKind } from '../../http/retry.js';

/**
 * One authenticated JSON exchange with the RunComfy Model API, turning every failure into a
 * ProviderError whose message names the provider, the code, the task and what happens next.
 */

export const PROVIDER = 'runcomfy';

export type Stage = 'submit' | 'status' | 'result' | 'cancel' | 'download';

export interface Session {
  readonly ctx: ProviderContext;
  readonly apiKey: string;
  readonly baseUrl: string;
}

export interface JsonCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  readonly stage: Stage;
  readonly taskId?: string;
  /** Overrides the job's abort signal (cancel must still go out after an abort). */
  readonly signal?: AbortSignal | null;
  readonly timeoutMs?: number;
}

// Status and result answers are small; anything bigger is not the API talking.
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const READ_RETRIES = 5;

export async function callJson(s: Session, call: JsonCall): Promise<Record<string, unknown>> {
  let res;
  try {
    res = await s.ctx.http.request({
      method: call.method,
      url: call.url,
      headers: {
        authorization: `Bearer ${s.apiKey}`,
        accept: 'application/json',
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal === null ? undefined : (call.signal ?? s.ctx.signal),
      timeoutMs: call.timeoutMs,
      // A cancel goes out after the deadline on purpose (its own signal): it keeps its timeout.
      timeoutCapMs: call.signal === null ? undefined : timeLeft(s.ctx),
      maxBytes: MAX_JSON_BYTES,
      maxRedirects: 0,
    });
  } catch (err) {
    throw fromTransport(err, call.stage, call.taskId);
  }
  const text = Buffer.from(res.body).toString('utf8');
  let json: unknown;
  let malformed = false;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    malformed = true;
  }
  const verdict = classifyRunComfy(res.status, json ?? text, res.headers);
  if (verdict) {
    if (verdict.category === 'rate_limit') s.ctx.onRateLimited(verdict.retryAfterMs);
    throw providerError(verdict, call.stage, call.taskId, res.status);
  }
  if (malformed || json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProviderError(
      { provider: PROVIDER, category: 'transient', taskId: call.taskId, httpStatus: res.status, mayHaveReachedServer: true },
      `${PROVIDER}: HTTP ${res.status} with a malformed JSON body during ${call.stage} (${taskLabel(call.taskId)}); ${nextStep('transient', call.stage, true)}`,
    );
  }
  return json as Record<string, unknown>;
}

/** `fn` under the shared retry loop; a retry wait past the job deadline ends the job as a timeout. */
export function retrying<T>(s: Session, kind: RequestKind, taskId: string | undefined, fn: () => Promise<T>, retries = READ_RETRIES): Promise<T> {
  return retryJob(
    {
      provider: PROVIDER,
      ctx: s.ctx,
      kind,
      retries,
      what: kind === 'read' ? `a read of ${taskLabel(taskId)}` : 'the submit',
      deadlineError: () =>
        new ProviderError(
          // Only refusals and failures before sending are retried: no waited-out submit made a task.
          { provider: PROVIDER, category: 'timeout', taskId, ...(kind === 'submit' ? { mayHaveReachedServer: false } : {}) },
          `${PROVIDER}: the job deadline passed while waiting to retry (${taskLabel(taskId)}); re-run to resume it`,
        ),
    },
    fn,
  );
}

/** Transport failures; our own abort becomes AbortedError so it is never retried or reported as a failure. */
export function fromTransport(err: unknown, stage: Stage, taskId: string | undefined): unknown {
  if (!(err instanceof HttpError)) return err;
  if (err.failure === 'aborted') return new AbortedError();
  const base = transportToProviderError(PROVIDER, err, taskId);
  return new ProviderError(
    base.details(),
    `${PROVIDER}: ${err.message} during ${stage} (${taskLabel(taskId)}); ${nextStep(base.category, stage, err.sent)}`,
    { cause: err },
  );
}

export function providerError(
  verdict: RunComfyClassification,
  stage: Stage,
  taskId: string | undefined,
  httpStatus?: number,
): ProviderError {
  const code = verdict.providerCode ? `code ${verdict.providerCode}` : httpStatus !== undefined ? `HTTP ${httpStatus}` : 'task failed';
  return new ProviderError(
    {
      provider: PROVIDER,
      category: verdict.category,
      providerCode: verdict.providerCode,
      taskId,
      httpStatus,
      retryAfterMs: verdict.retryAfterMs,
      mayHaveReachedServer: true,
    },
    `${PROVIDER}: ${code} ${verdict.reason} during ${stage} (${taskLabel(taskId)}); ${nextStep(verdict.category, stage, true)}`,
  );
}

export function taskLabel(taskId: string | undefined): string {
  return taskId ? `task ${taskId}` : 'no task id';
}

export function nextStep(category: ProviderErrorCategory, stage: Stage, mayHaveReachedServer: boolean): string {
  switch (category) {
    case 'auth':
      return 'not retried — check RUNCOMFY_API_KEY';
    case 'quota':
      return 'not retried — top up the RunComfy balance';
    case 'rate_limit':
      return 'retried after the wait RunComfy asked for, with lower concurrency';
    case 'invalid_input':
      return 'not retried — fix the request';
    case 'moderation':
      return 'not retried — change the prompt or the references';
    case 'timeout':
    case 'transient':
      if (stage !== 'submit') return 'retried with backoff; re-run to resume the task if it persists';
      return mayHaveReachedServer
        ? 'not resubmitted, as the task may exist and be billed — check the RunComfy dashboard, then re-run'
        : 'retried, as the request never left this machine';
    default:
      return 'not retried';
  }
}

