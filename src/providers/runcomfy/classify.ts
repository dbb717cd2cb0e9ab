import type { ProviderErrorCategory } from '../../core/errors.js';
import { parseRetryAfter } from '../../http/retry.js';

/**
 * RunComfy's error envelope (docs/providers/runcomfy.md, Errors): the HTTP status, a 6-digit `error_code` when
 * available, `error_message` or `message`, and an optional `detail` (an array for validation
 * errors). Some answers are HTTP 200 with a non-null top-level `error_code`: still an error.
 */

export interface RunComfyClassification {
  readonly category: ProviderErrorCategory;
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
  /** The provider's own words (message + validation detail), for the job's error message. */
  readonly reason: string;
}

/** Documented `error_code` table. The first three digits repeat the HTTP status. */
export const RUNCOMFY_ERROR_CODES: Readonly<Record<string, { readonly category: ProviderErrorCategory; readonly name: string }>> = {
  '400001': { category: 'invalid_input', name: 'invalid resource identifier' },
  '400002': { category: 'quota', name: 'insufficient balance' },
  '400004': { category: 'auth', name: 'user account error (missing, expired or revoked token)' },
  '401001': { category: 'auth', name: 'unauthorized' },
  '403001': { category: 'auth', name: 'permission denied' },
  '404001': { category: 'invalid_input', name: 'resource not found' },
  '422001': { category: 'invalid_input', name: 'validation error' },
  '500001': { category: 'transient', name: 'internal error' },
};

// No moderation code is documented; failed tasks carry the upstream Seedream reason instead.
const MODERATION = /sensitive|moderation|content[ _-]?(filter|policy)|nsfw|safety|inappropriate|prohibited/i;

/** Category of a bare HTTP status, when the body names no known code. */
export function categoryForStatus(status: number): ProviderErrorCategory {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota';
  if (status === 429) return 'rate_limit';
  if (status === 408) return 'transient';
  if (status === 400 || status === 404 || status === 409 || status === 413 || status === 422) return 'invalid_input';
  if (status >= 500) return 'transient';
  return 'unknown';
}

/**
 * Classifies one HTTP answer. Returns undefined when it is not an error (2xx without an
 * `error_code`). Pure: the caller adds the provider name, task id and what happens next.
 */
export function classifyRunComfy(
  httpStatus: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): RunComfyClassification | undefined {
  const envelope = asRecord(body);
  const code = codeOf(envelope?.['error_code']);
  const isError = httpStatus < 200 || httpStatus >= 300 || code !== undefined;
  if (!isError) return undefined;

  const reason = reasonOf(envelope, typeof body === 'string' ? body : undefined);
  const known = code ? RUNCOMFY_ERROR_CODES[code] : undefined;
  let category: ProviderErrorCategory;
  if (httpStatus === 429) category = 'rate_limit';
  else if (known) category = known.category;
  else if (MODERATION.test(reason)) category = 'moderation';
  else if (httpStatus >= 200 && httpStatus < 300 && code && /^\d{6}$/.test(code)) category = categoryForStatus(Number(code.slice(0, 3)));
  else category = httpStatus >= 200 && httpStatus < 300 ? 'unknown' : categoryForStatus(httpStatus);

  const retryAfterMs = category === 'rate_limit' || category === 'transient' ? parseRetryAfter(headers) : undefined;
  return {
    category,
    providerCode: code,
    retryAfterMs,
    reason: reason || known?.name || `HTTP ${httpStatus}`,
  };
}

/**
 * Classifies the `error` of a task that ended `failed` (its shape is not documented: an object
 * with a code and a message, or a bare string).
 */
export function classifyRunComfyFailure(error: unknown): RunComfyClassification {
  const record = asRecord(error);
  const code = codeOf(record?.['error_code']) ?? codeOf(record?.['code']);
  const reason = record ? reasonOf(record, undefined) : typeof error === 'string' ? error : '';
  const known = code ? RUNCOMFY_ERROR_CODES[code] : undefined;
  const category: ProviderErrorCategory = MODERATION.test(`${code ?? ''} ${reason}`)
    ? 'moderation'
    : (known?.category ?? 'unknown');
  return { category, providerCode: code, reason: reason || 'the task failed without a reason' };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function reasonOf(envelope: Record<string, unknown> | undefined, raw: string | undefined): string {
  const parts: string[] = [];
  const message = envelope?.['error_message'] ?? envelope?.['message'] ?? envelope?.['error'];
  if (typeof message === 'string') parts.push(message);
  else if (asRecord(message)) parts.push(reasonOf(asRecord(message), undefined));
  const detail = envelope?.['detail'];
  if (typeof detail === 'string') parts.push(detail);
  else if (Array.isArray(detail)) parts.push(...detail.slice(0, 3).map(describeDetail));
  if (parts.length === 0 && raw) parts.push(raw.slice(0, 200));
  return parts.filter(Boolean).join('; ');
}

/** FastAPI-style `{loc: ['body','prompt'], msg}` -> "prompt: field required". */
function describeDetail(item: unknown): string {
  const record = asRecord(item);
  if (!record) return typeof item === 'string' ? item : '';
  const loc = Array.isArray(record['loc']) ? record['loc'].filter((p) => p !== 'body').join('.') : '';
  const msg = typeof record['msg'] === 'string' ? record['msg'] : '';
  return [loc, msg].filter(Boolean).join(': ');
}
