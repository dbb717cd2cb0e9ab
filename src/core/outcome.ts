import { relative } from 'node:path';
import { ERRORS, InputError, PressroomError, ProviderError, exitCodeOf, isErrorCode, messageOf, type ErrorCode, type FactsOf } from './errors.js';
import type { JobFailure } from './results.js';

/**
 * How a command ended, as data every floor can produce: a stage that finds a problem worth an
 * exit code (a frozen cell, a budget) reports it as a `ReportedError`; the CLI prints them.
 */

/** How a command ended; the CLI's exit code follows from it (see EXIT). */
export type CommandStatus = 'ok' | 'failed' | 'invalid' | 'interrupted' | 'over-budget';

/** Exit codes, from the catalogue: 0 · 1 some jobs failed · 2 invalid input or usage · 3 over budget · 130 interrupted. */
export const EXIT: Readonly<Record<CommandStatus, number>> = {
  ok: 0,
  failed: exitCodeOf('E_INTERNAL'),
  invalid: exitCodeOf('E_USAGE'),
  interrupted: exitCodeOf('E_INTERRUPTED'),
  'over-budget': exitCodeOf('E_BUDGET'),
};

/** One problem as data: an input mistake (file, line, field) or a failed job (asset as field). */
export interface ReportedError {
  readonly code: ErrorCode;
  readonly title: string;
  readonly message: string;
  /** Relative to the settings' cwd. */
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly field?: string;
  /** What to do about it: the catalogue's hint for the code. */
  readonly hint: string;
}

/** What every command returns: the status and its exit code, and the problems as data. */
export interface CommandOutcome {
  readonly status: CommandStatus;
  readonly exitCode: number;
  readonly errors: readonly ReportedError[];
}

export function outcome(status: CommandStatus, errors: readonly ReportedError[] = []): CommandOutcome {
  return { status, exitCode: EXIT[status], errors };
}

export const relativeTo = (cwd: string) => (file: string) => relative(cwd, file) || file;

export type ReportedWhere = Omit<ReportedError, 'code' | 'title' | 'message' | 'hint'>;

/** One problem as data, in the catalogue's words for these facts; a message already made (an error's own) is passed as it is. */
export function reported<C extends ErrorCode>(code: C, facts: FactsOf<C> | { readonly made: string }, where: ReportedWhere = {}): ReportedError {
  const located = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined));
  const words = facts !== undefined && typeof facts === 'object' && 'made' in facts ? facts.made : messageOf(code, facts as FactsOf<C>);
  return { code, title: ERRORS[code].title, message: words, ...located, hint: ERRORS[code].hint };
}

/**
 * An error thrown out of the stages, as an outcome: input problems are `invalid`, everything else
 * a failure with the error's own code (E_INTERNAL when it has none: a bug).
 */
export function outcomeOfError(err: unknown, cwd: string): CommandOutcome {
  const rel = relativeTo(cwd);
  if (err instanceof InputError) {
    return outcome(
      'invalid',
      err.problems.map((p) => reported(p.code, { made: p.message }, { file: p.file && rel(p.file), line: p.line, col: p.col, field: p.path })),
    );
  }
  const code = err instanceof PressroomError ? err.code : 'E_INTERNAL';
  const status = exitCodeOf(code) === EXIT.interrupted ? 'interrupted' : code === 'E_BUDGET' ? 'over-budget' : 'failed';
  return outcome(status, [reported(code, { made: err instanceof Error ? err.message : String(err) })]);
}

/** A job's failure as data, in the catalogue's words for these facts. */
export function jobFailure<C extends ErrorCode>(code: C, facts: FactsOf<C>, provider: string, ids: Pick<JobFailure, 'category' | 'providerCode' | 'taskId'> = {}): JobFailure {
  return { code, message: messageOf(code, facts), provider, ...ids };
}

/** A thrown error as a job's failure: its own code and words (a provider's with its ids), E_INTERNAL when it has no code. */
export function failureOf(err: unknown, provider: string): JobFailure {
  if (err instanceof ProviderError) {
    return { code: err.code, message: err.message, provider: err.provider, category: err.category, providerCode: err.providerCode, taskId: err.taskId };
  }
  const e = err as { code?: unknown; message?: unknown };
  return { code: isErrorCode(e?.code) ? e.code : 'E_INTERNAL', message: String(e?.message ?? err), provider };
}
