import { relative } from 'node:path';
import { ERRORS, InputError, PressroomError, exitCodeOf, messageOf, type ErrorCode, type FactsOf } from '../core/errors.js';
import type { BuildResult, ImageOutcome } from '../core/results.js';
import { withIds } from '../report/summary.js';

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

/** A failure's message with the files under `dir` named relative to `cwd`, as everywhere else. */
export function withShownPath(outcome: ImageOutcome, dir: string, cwd: string): ImageOutcome {
  if (outcome.kind !== 'failed' || !outcome.failure.message.includes(`${dir}/`)) return outcome;
  return { ...outcome, failure: { ...outcome.failure, message: outcome.failure.message.split(`${dir}/`).join(`${relativeTo(cwd)(dir)}/`) } };
}

/** One problem as data; `message` is the catalogue's words for these facts (or, not yet converted, the words themselves). */
export function reported<C extends ErrorCode>(code: C, message: string | FactsOf<C>, where: Omit<ReportedError, 'code' | 'title' | 'message' | 'hint'> = {}): ReportedError {
  const located = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined));
  const words = typeof message === 'string' ? message : messageOf(code, message);
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
      err.problems.map((p) => reported(p.code, p.message, { file: p.file && rel(p.file), line: p.line, col: p.col, field: p.path })),
    );
  }
  const code = err instanceof PressroomError ? err.code : 'E_INTERNAL';
  const status = exitCodeOf(code) === EXIT.interrupted ? 'interrupted' : code === 'E_BUDGET' ? 'over-budget' : 'failed';
  return outcome(status, [reported(code, err instanceof Error ? err.message : String(err))]);
}

/** A finished build: interrupted, failed (any job, or a fatal provider error), or ok. */
export function outcomeOfBuild(result: BuildResult, interrupted: boolean, cwd: string): CommandOutcome {
  const rel = relativeTo(cwd);
  const errors = [
    ...(result.fatal ? [reported(result.fatal.code, withIds(result.fatal))] : []),
    ...result.campaigns.flatMap((c) =>
      c.failures.map((f) => reported(f.error.code, withIds(f.error), { file: rel(c.manifest), field: `${f.variant}/${f.locale}/${f.size}` })),
    ),
    ...result.campaigns.flatMap((c) => (c.writeErrors ?? []).map((e) => reported(e.code, e.message, { file: rel(c.manifest) }))),
  ];
  const failed = result.fatal !== undefined || result.campaigns.some((c) => c.failed > 0 || (c.writeErrors?.length ?? 0) > 0);
  return outcome(interrupted ? 'interrupted' : result.stoppedOnBudget ? 'over-budget' : failed ? 'failed' : 'ok', errors);
}
