/**
 * Error catalogue. Every error Pressroom raises carries a stable `code`; messages may change,
 * codes never do. Input problems (exit 2) are collected, never thrown one at a time.
 * The codes themselves, with titles, hints and exit codes, are the table in errors-data.ts.
 */
import { messageOf, type ErrorCode, type FactsOf, type InputErrorCode } from './errors-data.js';

export { ERRORS, exitCodeOf, hintOf, isErrorCode, messageOf, type ErrorCode, type FactsOf, type InputErrorCode } from './errors-data.js';
export { describeValue } from './phrases.js';

/** Failures writing what a build produces; carried as data (a cell's failure, a campaign's write error). */
export type OutputErrorCode = Extract<ErrorCode, 'E_DISK_FULL' | 'E_IO' | 'E_WRITE' | 'E_UNSAFE_PATH'>;

export type ProviderErrorCategory =
  | 'auth'
  | 'quota'
  | 'rate_limit'
  | 'invalid_input'
  | 'moderation'
  | 'timeout'
  | 'transient'
  | 'unknown';

export const PROVIDER_ERROR_CATEGORIES: readonly ProviderErrorCategory[] = ['auth', 'quota', 'rate_limit', 'invalid_input', 'moderation', 'timeout', 'transient', 'unknown'];

/** One located problem in a user's input. */
export interface Problem {
  readonly code: InputErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** Field path like `sizes[1].width`. */
  readonly path?: string;
  readonly message: string;
}

export class PressroomError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A PressroomError in the catalogue's words for these facts. */
export function errorOf<C extends ErrorCode>(code: C, facts: FactsOf<C>, options?: { cause?: unknown }): PressroomError {
  return new PressroomError(code, messageOf(code, facts), options);
}

/** Where a problem was found; absent parts are left out. */
export type Where = Pick<Problem, 'file' | 'line' | 'col' | 'path'>;

/** A located input problem in the catalogue's words: the call site passes what it found. */
export function problem<C extends InputErrorCode>(code: C, facts: FactsOf<C>, where: { readonly [K in keyof Where]?: Where[K] | undefined } = {}): Problem {
  const located = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined && v !== ''));
  return { code, ...located, message: messageOf(code, facts) };
}

/** Everything wrong with the input, found in one pass. Exit code 2. */
export class InputError extends PressroomError {
  constructor(readonly problems: readonly Problem[]) {
    super(problems[0]?.code ?? 'E_SCHEMA', problems.map(formatProblem).join('\n'));
  }
}

export interface ProviderErrorDetails {
  readonly provider: string;
  readonly category: ProviderErrorCategory;
  /** The provider's own code (RunningHub errorCode, Runware errors[].code, RunComfy error_code). */
  readonly providerCode?: string;
  readonly taskId?: string;
  readonly httpStatus?: number;
  /** Server-requested wait before retrying, already converted to milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * False when the request provably never reached the provider (connection refused, DNS):
   * only then is a non-idempotent submit safe to repeat.
   */
  readonly mayHaveReachedServer?: boolean;
  /**
   * True when the job stopped while following `taskId` short of the task's own end (status reads
   * that kept failing, a deadline, a download that did not come): the provider may still run it or
   * hold its result, so the journal keeps it and a re-run resumes it instead of paying again.
   */
  readonly taskOpen?: boolean;
}

/** A job failure reported by (or about) a provider. Carried as data in the job result. */
export class ProviderError extends PressroomError implements ProviderErrorDetails {
  readonly provider: string;
  readonly category: ProviderErrorCategory;
  readonly providerCode?: string;
  readonly taskId?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly mayHaveReachedServer?: boolean;
  readonly taskOpen?: boolean;

  constructor(details: ProviderErrorDetails, message: string, options?: { cause?: unknown }) {
    super(`E_PROVIDER_${details.category.toUpperCase()}` as `E_PROVIDER_${Uppercase<ProviderErrorCategory>}`, message, options);
    this.provider = details.provider;
    this.category = details.category;
    this.providerCode = details.providerCode;
    this.taskId = details.taskId;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.mayHaveReachedServer = details.mayHaveReachedServer;
    this.taskOpen = details.taskOpen;
  }

  /** Same error, now knowing which remote task it belongs to. */
  withTaskId(taskId: string | undefined): ProviderError {
    if (!taskId || this.taskId) return this;
    return new ProviderError({ ...this.details(), taskId }, this.message, { cause: this.cause });
  }

  details(): ProviderErrorDetails {
    return {
      provider: this.provider,
      category: this.category,
      providerCode: this.providerCode,
      taskId: this.taskId,
      httpStatus: this.httpStatus,
      retryAfterMs: this.retryAfterMs,
      mayHaveReachedServer: this.mayHaveReachedServer,
      taskOpen: this.taskOpen,
    };
  }
}

/** Errors that stop the whole build: every other job would fail the same way. */
export function isBuildFatal(err: unknown): boolean {
  return err instanceof ProviderError && (err.category === 'auth' || err.category === 'quota');
}

/** Ctrl-C or a deadline: not a provider failure, and never retried. */
export class AbortedError extends PressroomError {
  constructor(message = messageOf('E_ABORTED', {})) {
    super('E_ABORTED', message);
  }
}

export function formatProblem(p: Omit<Problem, 'code'>): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.col ?? 1}` : ''}` : '';
  return [where, p.path, p.message].filter(Boolean).join('  ');
}
