import type { ProviderErrorCategory } from '../../core/errors.js';
import { parseRetryAfter } from '../../http/retry.js';

/**
 * Runware error envelope -> our categories (docs/providers/runware.md, Errors). The code is the better signal:
 * a 400 may carry a moderation code. Runware says its codes are still being standardised, so an
 * unknown code falls back to its shape, then to the HTTP status.
 */

export interface RunwareErrorEntry {
  readonly code?: string;
  readonly message?: string;
  readonly parameter?: string | readonly string[];
  readonly taskUUID?: string;
}

export interface RunwareClassification {
  readonly category: ProviderErrorCategory;
  readonly providerCode?: string;
  readonly httpStatus: number;
  readonly retryAfterMs?: number;
  /** Runware's own message for the first error, when it sent one. */
  readonly detail?: string;
}

export const RUNWARE_CODES: Readonly<Record<string, ProviderErrorCategory>> = {
  invalidApiKey: 'auth',
  missingApiKey: 'auth',
  unauthorized: 'auth',
  forbidden: 'auth',
  insufficientCredits: 'quota',
  providerInsufficientCredits: 'quota',
  quotaExceeded: 'quota',
  paymentRequired: 'quota',
  rateLimitExceeded: 'rate_limit',
  inferenceRateLimitExceeded: 'rate_limit',
  providerRateLimitExceeded: 'rate_limit',
  contentPolicyViolation: 'moderation',
  providerContentPolicyViolation: 'moderation',
  sensitiveContentDetected: 'moderation',
  nsfwContentDetected: 'moderation',
  promptBlocked: 'moderation',
  imageBlocked: 'moderation',
  moderationFailed: 'moderation',
  invalidPositivePrompt: 'invalid_input',
  invalidPositivePromptLength: 'invalid_input',
  missingPositivePrompt: 'invalid_input',
  unsupportedParameter: 'invalid_input',
  unknownParameter: 'invalid_input',
  incompatibleParameters: 'invalid_input',
  conflictTaskUUID: 'invalid_input',
  valueTooLarge: 'invalid_input',
  arrayTooSmall: 'invalid_input',
  mediaNotFound: 'invalid_input',
  // Upstream trouble, not our deadline: 'timeout' is kept for the job deadline.
  timeoutProvider: 'transient',
  providerTimeout: 'transient',
  providerError: 'transient',
  providerUnavailable: 'transient',
  inferenceError: 'transient',
  modelUnavailable: 'transient',
  internalServerError: 'transient',
  serviceUnavailable: 'transient',
  unknownError: 'unknown',
  // A task the server no longer knows: the adapter resubmits before this is ever surfaced.
  taskNotFound: 'unknown',
  taskExpired: 'unknown',
};

/** Codes meaning "no such task (any more)": resume resubmits instead of failing. */
export const TASK_MISSING_CODES: ReadonlySet<string> = new Set(['taskNotFound', 'taskExpired']);

const CODE_PATTERNS: readonly [RegExp, ProviderErrorCategory][] = [
  [/apikey|unauthori[sz]ed|forbidden/i, 'auth'],
  [/credit|quota|payment|balance/i, 'quota'],
  [/ratelimit|toomanyrequests/i, 'rate_limit'],
  [/contentpolicy|nsfw|sensitive|blocked|moderation|safety/i, 'moderation'],
  [/timeout|timedout|unavailable|internal|overloaded/i, 'transient'],
  [/^(invalid|missing|unsupported|unknownparameter|incompatible)|toolarge|toosmall|outofrange/i, 'invalid_input'],
];

function statusCategory(status: number): ProviderErrorCategory {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429) return 'rate_limit';
  if (status === 408 || status >= 500) return 'transient';
  if (status === 400 || status === 409 || status === 413 || status === 422) return 'invalid_input';
  return 'unknown';
}

function codeCategory(code: string): ProviderErrorCategory | undefined {
  if (Object.hasOwn(RUNWARE_CODES, code)) return RUNWARE_CODES[code];
  return CODE_PATTERNS.find(([pattern]) => pattern.test(code))?.[1];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toEntry(value: unknown): RunwareErrorEntry | undefined {
  if (!isRecord(value)) return undefined;
  const parameter = value['parameter'];
  return {
    code: typeof value['code'] === 'string' ? value['code'] : undefined,
    message: typeof value['message'] === 'string' ? value['message'] : undefined,
    parameter: typeof parameter === 'string' || Array.isArray(parameter) ? (parameter as string | string[]) : undefined,
    taskUUID: typeof value['taskUUID'] === 'string' ? value['taskUUID'] : undefined,
  };
}

/**
 * The error entries of a Runware body: top-level `errors[]`, then items of `data[]` whose
 * `status` is `error` (their `error: {code, message}`), then a lone `error` object.
 */
export function runwareErrors(body: unknown): RunwareErrorEntry[] {
  if (!isRecord(body)) return [];
  const found: RunwareErrorEntry[] = [];
  if (Array.isArray(body['errors'])) {
    for (const e of body['errors']) {
      const entry = toEntry(e);
      if (entry) found.push(entry);
    }
  }
  if (Array.isArray(body['data'])) {
    for (const item of body['data']) {
      if (!isRecord(item) || item['status'] !== 'error') continue;
      const entry = toEntry(item['error']) ?? {};
      found.push({ ...entry, taskUUID: entry.taskUUID ?? (typeof item['taskUUID'] === 'string' ? item['taskUUID'] : undefined) });
    }
  }
  if (found.length === 0) {
    const single = toEntry(body['error']);
    if (single) found.push(single);
  }
  return found;
}

/** Pure: what a Runware answer means. Works for any status, including 2xx carrying `errors`. */
export function classifyRunware(
  httpStatus: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  nowEpochMs: number = Date.now(),
): RunwareClassification {
  const first = runwareErrors(body)[0];
  const code = first?.code;
  const byCode = code === undefined ? undefined : codeCategory(code);
  // An unrecognised code on a 429 is still the queue-capacity signal.
  const category = byCode && !(httpStatus === 429 && !Object.hasOwn(RUNWARE_CODES, code!)) ? byCode : statusCategory(httpStatus);
  return {
    category: httpStatus >= 200 && httpStatus < 300 && !first ? 'unknown' : category,
    providerCode: code,
    httpStatus,
    retryAfterMs: parseRetryAfter(headers, nowEpochMs),
    detail: first?.message,
  };
}

/** What happens next, for the end of an error message. */
export function nextStep(category: ProviderErrorCategory): string {
  switch (category) {
    case 'auth':
      return 'not retried — check RUNWARE_API_KEY';
    case 'quota':
      return 'not retried — top up the Runware balance';
    case 'rate_limit':
      return 'retried after the requested waits until the retry budget ran out — lower the concurrency';
    case 'moderation':
      return 'not retried — change the prompt or the reference images';
    case 'invalid_input':
      return 'not retried — fix the request';
    case 'timeout':
    case 'transient':
      return 're-run the build to try again; it picks up this task where it can';
    default:
      return 'not retried';
  }
}
