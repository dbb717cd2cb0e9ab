import type { BuildCommandResult, PlanResult, ValidateResult } from '../commands/api.js';
import { relativeTo, type CommandOutcome } from '../commands/outcome.js';
import { formatProblem } from '../core/errors.js';
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
    for (const e of result.errors) screen.stderr(`${formatProblem({ ...e, path: e.field })}\n`);
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
    for (const e of result.errors) screen.stderr(`${e.code === 'E_INTERNAL' ? 'internal error' : e.code}: ${e.message}\n`);
  }
  if (result.status === 'interrupted') screen.stderr('interrupted: finished images are safe in the cache; re-run the same command to continue\n');
  return result.exitCode;
}
