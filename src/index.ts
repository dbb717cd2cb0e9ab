/**
 * Programmatic API: the same commands the CLI runs, returning data. Nothing here prints the
 * product or exits the process; input problems and job failures are in `errors`.
 *
 *   const result = await plan(['campaigns/social-kit']);
 *   if (result.status !== 'ok') console.error(result.errors);
 */
import { assembleCommand, buildCommand, planCommand, validateCommand, type BuildCommandResult, type BuildControl, type PlanResult, type ValidateResult } from './commands/api.js';
import { resolve } from 'node:path';
import { outcomeOfError, type CommandOutcome } from './core/outcome.js';
import { resolveSettings, type Settings, type SettingsOptions } from './commands/settings.js';

/** Settings to override; relative paths resolve against `cwd` (default: the process's). */
export type Options = SettingsOptions;
export type BuildOptions = Options & BuildControl;

// The API is an entry point, like the CLI: the process's cwd and environment are its defaults.
const settings = (options: Options) => resolveSettings({ ...options, env: options.env ?? process.env }, process.cwd());

/** Settings, or the problems with them (a bad variable, an unreadable .env) as the command's outcome. */
async function settled(options: Options): Promise<Settings | CommandOutcome> {
  try {
    return await settings(options);
  } catch (err) {
    return outcomeOfError(err, resolve(options.cwd ?? process.cwd()));
  }
}

/** Checks campaign files and templates; no provider calls, no keys needed. */
export async function validate(paths: readonly string[] = [], options: Options = {}): Promise<ValidateResult> {
  const s = await settled(options);
  return 'status' in s ? { ...s, valid: false, campaigns: [] } : validateCommand(s, paths);
}

/** The matrix, cache hits and estimated cost of a build; no provider calls. */
export async function plan(paths: readonly string[] = [], options: Options = {}): Promise<PlanResult> {
  const s = await settled(options);
  return 'status' in s ? { ...s, campaigns: [] } : planCommand(s, paths);
}

/** Generates and delivers every asset. `stop` finishes what is in flight; `abort` cancels it. */
export async function build(paths: readonly string[] = [], options: BuildOptions = {}): Promise<BuildResult> {
  const { stop, abort, ...rest } = options;
  const s = await settled(rest);
  return 'status' in s ? { ...s, campaigns: [], interrupted: false } : buildCommand(s, paths, { stop, abort });
}

/** Delivers every asset from the cache (local, then remote) without generating: after `build` with `shard`. */
export async function assemble(paths: readonly string[] = [], options: BuildOptions = {}): Promise<BuildResult> {
  const { stop, abort, ...rest } = options;
  const s = await settled(rest);
  return 'status' in s ? { ...s, campaigns: [], interrupted: false } : assembleCommand(s, paths, { stop, abort });
}

export type BuildResult = BuildCommandResult;
export type { ObjectStore, PutCondition, StoredObject } from './cache/objects.js';
export type { BuildControl, PlanResult, ValidateResult };
export type { Settings, SettingsOptions, Writer } from './commands/settings.js';
export type { CommandOutcome, CommandStatus, ReportedError } from './core/outcome.js';
export { EXIT } from './core/outcome.js';
export { runCli, type CliIO } from './cli.js';
export type { CampaignManifest, CampaignPlan, CampaignResult, JobFailure, AssetEntry, FailureEntry } from './core/results.js';
export type { ModelId, ProviderName, ResolvedCampaign } from './core/campaign.js';
export { ERRORS, InputError, PressroomError, ProviderError, type ErrorCode, type Problem } from './core/errors.js';
