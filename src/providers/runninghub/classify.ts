import { ProviderError, type ProviderErrorCategory, type ProviderErrorDetails } from '../../core/errors.js';
import { parseRetryAfter } from '../../http/retry.js';

/**
 * RunningHub reports most failures inside HTTP 200 bodies: v2 task calls as `errorCode` (a string)
 * + `errorMessage`, upload and account calls as `{code, message|msg}` with `code: 0` for success.
 * The table follows docs/providers/runninghub.md, Errors (official 3xx-9xx codes, community 1xxx codes).
 */

export const RUNNINGHUB = 'runninghub';

interface CodeInfo {
  readonly category: ProviderErrorCategory;
  readonly meaning: string;
}

const CODES: Readonly<Record<string, CodeInfo>> = {
  '301': { category: 'invalid_input', meaning: 'invalid or missing parameters' },
  '412': { category: 'invalid_input', meaning: 'wrong API path (check RUNNINGHUB_BASE_URL)' },
  '414': { category: 'quota', meaning: 'insufficient balance' },
  '415': { category: 'rate_limit', meaning: 'no dedicated instance free' },
  '416': { category: 'quota', meaning: 'wallet balance insufficient' },
  '421': { category: 'rate_limit', meaning: 'concurrency limit reached (task queue full)' },
  '423': { category: 'unknown', meaning: 'task not found' },
  '500': { category: 'transient', meaning: 'unknown server error' },
  '801': { category: 'auth', meaning: 'free accounts may not use the API' },
  '802': { category: 'auth', meaning: 'API key unauthorized or expired' },
  '804': { category: 'transient', meaning: 'task still running' },
  '805': { category: 'unknown', meaning: 'task status abnormal' },
  '807': { category: 'unknown', meaning: 'task not found' },
  '808': { category: 'invalid_input', meaning: 'upload failed' },
  '809': { category: 'invalid_input', meaning: 'file too large' },
  '811': { category: 'auth', meaning: 'enterprise key invalid' },
  '812': { category: 'quota', meaning: 'enterprise balance insufficient' },
  '813': { category: 'transient', meaning: 'task still queued' },
  '817': { category: 'unknown', meaning: 'task cannot be cancelled' },
  '1002': { category: 'auth', meaning: 'invalid API key' },
  '1003': { category: 'rate_limit', meaning: 'request rate exceeded' },
  '1004': { category: 'unknown', meaning: 'task missing or expired' },
  '1005': { category: 'transient', meaning: 'internal error' },
  '1006': { category: 'timeout', meaning: 'task timed out' },
  '1007': { category: 'invalid_input', meaning: 'parameter validation failed' },
  '1008': { category: 'invalid_input', meaning: 'file too large' },
  '1010': { category: 'transient', meaning: 'service unavailable' },
  '1011': { category: 'rate_limit', meaning: 'system busy' },
  '1012': { category: 'transient', meaning: 'upstream error' },
  '1013': { category: 'invalid_input', meaning: 'file processing failed (unreachable reference URL?)' },
  '1014': { category: 'auth', meaning: 'the Standard Model API needs an enterprise-shared key' },
  '1015': { category: 'transient', meaning: 'generation failed' },
  '1501': { category: 'moderation', meaning: 'content moderation rejected the prompt or a reference' },
  '1504': { category: 'timeout', meaning: 'model timed out' },
  '1505': { category: 'moderation', meaning: 'photorealistic real people are prohibited' },
  '1520': { category: 'rate_limit', meaning: 'per-user concurrency limit reached' },
};

/** Codes meaning the task id is unknown to RunningHub: a resumed task is gone and must be resubmitted. */
const TASK_GONE = new Set(['423', '807', '1004']);

export function isTaskGone(providerCode: string | undefined): boolean {
  return providerCode !== undefined && TASK_GONE.has(providerCode);
}

/** The provider's error code in a v2 (`errorCode`) or upload (`code`) envelope; undefined on success. */
export function errorCodeOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { errorCode, code } = body as { errorCode?: unknown; code?: unknown };
  if ((typeof errorCode === 'string' && errorCode.trim() !== '') || typeof errorCode === 'number') return String(errorCode).trim();
  if (typeof code === 'number' && code !== 0) return String(code);
  if (typeof code === 'string' && code.trim() !== '' && code.trim() !== '0') return code.trim();
  return undefined;
}

/** The provider's own words, for messages (they may quote the key: the registry redacts them, kit/redact.ts). */
export function errorTextOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  for (const field of ['errorMessage', 'message', 'msg']) {
    const value = b[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 200);
  }
  return undefined;
}

function categoryOfStatus(status: number): ProviderErrorCategory {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'transient';
  if (status === 400 || status === 413 || status === 422) return 'invalid_input';
  return 'unknown';
}

/**
 * Classifies a RunningHub answer that is not a success. HTTP 429 is a rate limit whatever the
 * body says; otherwise a known business code decides, then the HTTP status.
 */
export function classifyRunningHub(
  httpStatus: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): ProviderErrorDetails {
  const providerCode = errorCodeOf(body);
  const known = providerCode === undefined ? undefined : CODES[providerCode];
  const category: ProviderErrorCategory =
    httpStatus === 429 ? 'rate_limit' : (known?.category ?? (httpStatus >= 300 ? categoryOfStatus(httpStatus) : 'unknown'));
  return {
    provider: RUNNINGHUB,
    category,
    providerCode,
    httpStatus,
    retryAfterMs: parseRetryAfter(headers),
  };
}

/** What a code means, in a few words. */
export function meaningOf(details: ProviderErrorDetails, body?: unknown): string {
  const known = details.providerCode === undefined ? undefined : CODES[details.providerCode];
  const text = errorTextOf(body);
  const meaning = known?.meaning ?? (details.httpStatus && details.httpStatus >= 300 ? `HTTP ${details.httpStatus}` : 'unexpected answer');
  return text && !meaning.toLowerCase().includes(text.toLowerCase()) ? `${meaning}: ${text}` : meaning;
}

const NEXT_STEP: Readonly<Record<ProviderErrorCategory, string>> = {
  auth: 'not retried; the build stops — check RUNNINGHUB_API_KEY (an enterprise-shared key for the same .ai/.cn host)',
  quota: 'not retried; the build stops — top up the RunningHub wallet',
  rate_limit: 'RunningHub kept refusing new tasks; retry later or lower the concurrency',
  invalid_input: 'not retried — fix the size, prompt or references',
  moderation: 'not retried — change the prompt or references',
  timeout: 'the job may be retried',
  transient: 'the job may be retried',
  unknown: 'not retried',
};

export interface FailureContext {
  /** What we were doing: "submit", "task", "query", "upload", "download". */
  readonly stage: string;
  readonly taskId?: string;
  readonly body?: unknown;
  /** Overrides the category's default next step. */
  readonly next?: string;
  readonly cause?: unknown;
}

/** The ProviderError for `details`, with a message naming provider, code, task and what happens next. */
export function runningHubError(details: ProviderErrorDetails, context: FailureContext): ProviderError {
  const code = details.providerCode ? `code ${details.providerCode} ` : '';
  const task = context.taskId ? ` (task ${context.taskId})` : '';
  const next = context.next ?? NEXT_STEP[details.category];
  const stage = /(failed|cancelled)$/.test(context.stage) ? context.stage : `${context.stage} failed`;
  const message = `${RUNNINGHUB}: ${stage}: ${code}${meaningOf(details, context.body)}${task}; ${next}`;
  return new ProviderError({ ...details, taskId: context.taskId ?? details.taskId }, message, { cause: context.cause });
}
