import type { BuildCommandResult, PlanResult, ValidateResult } from '../commands/api.js';
import { relativeTo, type CommandOutcome, type ReportedError } from '../core/outcome.js';
import { formatProblem, hintOf, type ErrorCode } from '../core/errors.js';
import { formatBuildSummary, formatPlan } from '../report/summary.js';

/**
 * What the CLI prints for a command's result. With --json: exactly one JSON document on stdout,
 * whatever the exit code, and nothing else on stdout. Without: the product on stdout, problems
 * and notes on stderr.
 */

export interface Screen {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly json: boolean;
  readonly cwd: string;
}

export type Printed =
  | { readonly command: 'validate'; readonly result: ValidateResult }
  | { readonly command: 'plan'; readonly result: PlanResult }
  | { readonly command: 'build'; readonly result: BuildCommandResult }
  | { readonly command: 'none'; readonly result: CommandOutcome; readonly data?: Readonly<Record<string, unknown>> };

/** The document --json prints: status, exitCode, errors, then the command's own data. */
export function jsonDocument(printed: Printed, cwd: string): Record<string, unknown> {
  const { status, exitCode, errors } = printed.result;
  const head = { status, exitCode, errors };
  switch (printed.command) {
    case 'validate':
      return { ...head, valid: printed.result.valid, campaigns: printed.result.campaigns };
    case 'plan':
      return { ...head, campaigns: printed.result.campaigns.map(({ price: _p, priceSource: _s, provider: _v, model: _m, ...rest }) => rest) };
    case 'build': {
      const rel = relativeTo(cwd);
      const campaigns = printed.result.campaigns.map((c) => ({
        name: c.name,
        assets: c.assets,
        generated: c.generated,
        cached: c.cached,
        failed: c.failed,
        generations: c.generations,
        ...(c.delivered ? { delivered: c.delivered } : {}),
        ...(c.candidates ? { candidates: c.candidates } : {}),
        totalCost: c.cost,
        manifest: rel(c.manifest),
        ...(c.writeErrors ? { writeErrors: c.writeErrors.map((e) => e.message) } : {}),
      }));
      const totalCost = Math.round(printed.result.campaigns.reduce((s, c) => s + c.cost, 0) * 1e6) / 1e6;
      return { ...head, campaigns, totalCost, ...(printed.result.stoppedOnBudget ? { stoppedOnBudget: true } : {}), interrupted: printed.result.interrupted };
    }
    case 'none':
      return { ...head, ...printed.data };
  }
}

/** A build that ran, or a frozen build that refused to (its cells in words): both have a summary. */
export const hasSummary = (r: BuildCommandResult) => r.campaigns.length > 0 || (r.refused?.length ?? 0) > 0;

/** Prints the result and returns its exit code. */
export function print(printed: Printed, screen: Screen): number {
  const { result } = printed;
  if (screen.json) {
    screen.stdout(`${JSON.stringify(jsonDocument(printed, screen.cwd), null, 2)}\n`);
    return result.exitCode;
  }
  if (result.status === 'invalid') {
    screen.stderr(underHints(result.errors, (e) => formatProblem({ ...e, path: e.field })));
    screen.stderr(`${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} found; nothing was generated\n`);
    return result.exitCode;
  }
  if (printed.command === 'validate') {
    const assets = printed.result.campaigns.reduce((n, c) => n + c.assets, 0);
    if (result.status === 'ok') screen.stdout(`valid: ${printed.result.campaigns.length} campaign(s), ${assets} assets\n`);
  } else if (printed.command === 'plan') {
    screen.stdout(formatPlan(printed.result.campaigns));
  } else if (printed.command === 'build' && hasSummary(printed.result)) {
    screen.stdout(formatBuildSummary(printed.result, relativeTo(screen.cwd)));
  }
  const reported = printed.command === 'build' && hasSummary(printed.result);
  if (!reported && result.status !== 'ok') {
    // Not a user mistake and not a job failure: one line, the stack only at PRESSROOM_LOG=debug.
    screen.stderr(underHints(result.errors, (e) => `${e.code === 'E_INTERNAL' ? 'internal error' : e.code}: ${e.message}`));
  } else if (reported && result.errors.length > 0) {
    // The summary above lists the failures per campaign; what to do about them, once per kind.
    for (const code of new Set(result.errors.map((e) => e.code))) screen.stderr(`hint (${code}): ${hintOf(code)}\n`);
  }
  if (result.status === 'interrupted') screen.stderr('interrupted: finished images are safe in the cache; re-run the same command to continue\n');
  return result.exitCode;
}

/**
 * Problems grouped by code (the first seen first, each group in the order found), each group
 * followed by its hint once: a 40-line report of one kind of mistake reads as one block and one hint.
 */
export function underHints(errors: readonly ReportedError[], line: (e: ReportedError) => string): string {
  const groups = new Map<ErrorCode, ReportedError[]>();
  for (const e of errors) groups.set(e.code, [...(groups.get(e.code) ?? []), e]);
  return [...groups].map(([code, group]) => `${group.map(line).join('\n')}\n  hint: ${hintOf(code)}\n`).join('');
}
