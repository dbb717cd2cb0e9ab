import { join } from 'node:path';
import { parseCacheUrl } from '../cache/objects.js';
import { cachedLookup, openCacheStores, type CacheStores, type RemoteSettings } from '../cache/remote.js';
import type { Footprint } from '../cache/replay.js';
import { InputError, problem } from '../core/errors.js';
import { outcome, outcomeOfError, relativeTo, type CommandOutcome, type ReportedError } from '../core/outcome.js';
import { secretValues } from '../core/redact.js';
import type { CampaignPlan, CampaignResult, JobFailure } from '../core/results.js';
import { preflightPlan, preflightReview } from '../fs/preflight.js';
import { createHttpClient } from '../http/client.js';
import type { WebhookHub, WebhookServer } from '../http/webhook.js';
import { describeProblem } from '../plan/approvals.js';
import { planBuild, type CampaignBuildPlan } from '../plan/build-plan.js';
import { planCampaign } from '../plan/estimate.js';
import { planFrozen } from '../plan/frozen.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { createProviders } from '../providers/registry.js';
import { budgetErrors } from '../report/budget.js';
import { priceOf, pricedPlan } from '../report/cost.js';
import { createLogger } from '../report/logger.js';
import { createReporter } from '../report/progress.js';
import { outcomeOfBuild } from '../report/summary.js';
import type { ApproveOptions, ApprovedCampaign } from './approve.js';
import type { CampaignDiff } from './diff.js';
import { footprintOf } from './footprint.js';
import { checkedPlan } from './plan-checks.js';
import { prepareCampaigns } from './prepare.js';
import type { Settings } from './settings.js';

/**
 * The three commands as functions from paths and Settings to data: the CLI and the public API
 * (src/index.ts) both call these. They never print the product and never exit; input problems
 * and job failures come back as `errors`.
 */

/** The files a command read and left, when it got as far as reading its campaigns (the CLI keeps its outcome by them). */
interface Footprinted {
  readonly footprint?: Footprint;
}

export interface ValidateResult extends CommandOutcome, Footprinted {
  readonly valid: boolean;
  readonly campaigns: readonly { readonly name: string; readonly assets: number }[];
}

export interface PlanResult extends CommandOutcome, Footprinted {
  readonly campaigns: readonly CampaignPlan[];
}

export interface BuildCommandResult extends CommandOutcome, Footprinted {
  readonly campaigns: readonly CampaignResult[];
  /** build --frozen refused before anything ran: one error per cell not approved as it is now. */
  readonly refused?: readonly ReportedError[];
  readonly fatal?: JobFailure;
  readonly interrupted: boolean;
  readonly stoppedOnBudget?: boolean;
  readonly handedOff?: boolean;
}

/** Ctrl-C, or an embedding program's own reasons to stop. */
export interface BuildControl {
  /** Soft: start no new jobs, let the ones in flight finish. */
  readonly stop?: AbortSignal;
  /** Hard: cancel what is in flight too. */
  readonly abort?: AbortSignal;
  /** Build only approved cells, fail when any is unapproved or changed (campaigns/<c>/approved.lock). */
  readonly frozen?: boolean;
  /** Images per cell for review, over each campaign's `candidates`. */
  readonly candidates?: number;
  /** See BuildOptions.beforeDelivery: true stops the build before its first pixel (the result says `handedOff`). */
  readonly beforeDelivery?: (makesPixels: boolean) => boolean;
  /**
   * The campaigns of `paths`, prepared a moment ago with these settings and no keys required (dev
   * reads a campaign once per save, then delivers it), taken as they are. Only by a build that pays
   * for nothing (assembling from the cache, the local provider): a paying build checks its keys in
   * its own prepare.
   */
  readonly prepared?: readonly PreparedCampaign[];
}

const loggerFor = (settings: Settings) => createLogger((line) => settings.stderr.write(line), settings.logLevel, secretValues(settings.env));

export function prepare(settings: Settings, paths: readonly string[], requireKeys: boolean, run: { webhooks?: WebhookHub; shard?: Settings['shard'] } = {}): Promise<readonly PreparedCampaign[]> {
  return prepareCampaigns({
    projectRoot: settings.projectRoot,
    cwd: settings.cwd,
    paths,
    provider: settings.provider,
    model: settings.model,
    filter: settings.filter,
    env: settings.env,
    providerFor: createProviders({ env: settings.env, pollIntervalMs: settings.pollIntervalMs, ...(run.webhooks ? { webhooks: run.webhooks } : {}) }),
    requireKeys,
    ...(run.shard ? { shard: run.shard } : {}),
    note: (message) => settings.stderr.write(`note: ${message}\n`),
    fitsDir: join(settings.cacheDir, 'fits'),
  });
}

/** Stage errors as data; a bug's stack goes to the debug log, never to the product. */
function failed(err: unknown, settings: Settings): CommandOutcome {
  const result = outcomeOfError(err, settings.cwd);
  if (result.errors[0]?.code === 'E_INTERNAL' && err instanceof Error && err.stack) loggerFor(settings).debug(err.stack);
  return result;
}

/** manifest -> plan -> render for every campaign; no provider calls, no keys needed. */
export async function validateCommand(settings: Settings, paths: readonly string[]): Promise<ValidateResult> {
  try {
    const prepared = await prepare(settings, paths, false);
    return { ...outcome('ok'), valid: true, campaigns: prepared.map((p) => ({ name: p.campaign.name, assets: p.cells.length })), footprint: footprintOf(prepared, settings) };
  } catch (err) {
    return { ...failed(err, settings), valid: false, campaigns: [] };
  }
}

/** What a build would do: the matrix, cache hits, the estimated cost. No provider calls. */
export async function planCommand(settings: Settings, paths: readonly string[]): Promise<PlanResult> {
  try {
    const prepared = await prepare(settings, paths, false);
    const plans = planBuild(prepared);
    // Cells approved with a pick whose image changed since: said as a build and a frozen build say it.
    for (const p of prepared) for (const lapsed of plans.get(p)!.picked.lapsed) settings.stderr.write(`note: ${describeProblem(p.campaign.name, lapsed)}\n`);
    const estimated = await estimate(prepared, plans, openCacheStores(settings.cacheDir, remoteOf(settings)), settings);
    // --json lists what a build would write, like a dry run; the text table only counts.
    const checked = await checkedPlan(estimated, prepared, plans, { ...settings, listOutdated: settings.json });
    return { ...checked, footprint: footprintOf(prepared, settings) };
  } catch (err) {
    return { ...failed(err, settings), campaigns: [] };
  }
}

/** What a build would cost, campaign by campaign: cache lookups (one listing of a remote cache), priced by the cost rule. */
async function estimate(prepared: readonly PreparedCampaign[], plans: ReadonlyMap<PreparedCampaign, CampaignBuildPlan>, stores: CacheStores, settings: Settings): Promise<CampaignPlan[]> {
  await preflightPlan(settings);
  // What the remote cache holds is paid for already: a shard on a fresh runner is not refused for it.
  const isCached = cachedLookup(stores, (message) => loggerFor(settings).warn(message));
  return Promise.all(prepared.map(async (p) => pricedPlan(await planCampaign(p, plans.get(p)!, { force: settings.force, isCached }), priceOf(p.campaign, p.provider.prices))));
}

/** The whole pipeline. Progress goes to settings.stderr; the result is data. */
export function buildCommand(settings: Settings, paths: readonly string[], control: BuildControl = {}): Promise<BuildCommandResult> {
  return build(settings, paths, control, false);
}

/** out/, contact sheets and manifests from the cache (local, then remote) only: nothing generated, no keys needed. */
export function assembleCommand(settings: Settings, paths: readonly string[], control: BuildControl = {}): Promise<BuildCommandResult> {
  return build(settings, paths, control, true);
}

function remoteOf(settings: Settings): RemoteSettings | undefined {
  if (!settings.cacheUrl && !settings.cacheStore) return undefined;
  if (settings.cacheUrl && !parseCacheUrl(settings.cacheUrl)) {
    throw new InputError([problem('E_USAGE', { kind: 'value', expected: 's3://bucket/prefix', received: settings.cacheUrl }, { path: 'PRESSROOM_CACHE_URL' })]);
  }
  return { url: settings.cacheUrl ?? settings.cacheStore?.url ?? '', endpoint: settings.cacheEndpoint, env: settings.env, store: settings.cacheStore };
}

/** Provider callbacks behind a public URL (PRESSROOM_WEBHOOK_URL); unset, builds poll as usual. */
async function startWebhooks(settings: Settings): Promise<WebhookServer | undefined> {
  const w = settings.webhooks;
  if (!w) return undefined;
  const logger = loggerFor(settings);
  try {
    const { startWebhookServer } = await import('../http/webhook.js');
    const server = await startWebhookServer({ ...w, logger });
    logger.info(`webhooks: listening on ${server.address} for callbacks to ${w.publicUrl}`);
    return server;
  } catch (err) {
    throw new InputError([problem('E_USAGE', { kind: 'listen', host: w.host, port: w.port, said: err instanceof Error ? err.message : 'error' }, { path: 'PRESSROOM_WEBHOOK_LISTEN' })]);
  }
}

async function build(settings: Settings, paths: readonly string[], control: BuildControl, cacheOnly: boolean): Promise<BuildCommandResult> {
  let webhooks: WebhookServer | undefined;
  try {
    webhooks = cacheOnly ? undefined : await startWebhooks(settings);
  } catch (err) {
    return { ...failed(err, settings), campaigns: [], interrupted: false };
  }
  try {
    return await buildWith(settings, paths, control, cacheOnly, webhooks);
  } finally {
    await webhooks?.close();
  }
}

/** Campaigns prepared by the caller, when this build pays for nothing (its keys are checked by its own prepare). */
function reusable(given: readonly PreparedCampaign[] | undefined, cacheOnly: boolean): readonly PreparedCampaign[] | undefined {
  if (!given) return undefined;
  return cacheOnly || given.every((p) => p.provider.cpuBound === true) ? given : undefined;
}

/** The steps before anything is paid for, each done once: prepare, the cache, the plan, the frozen and budget checks. */
async function buildWith(settings: Settings, paths: readonly string[], control: BuildControl, cacheOnly: boolean, webhooks: WebhookHub | undefined): Promise<BuildCommandResult> {
  const stopped = (result: CommandOutcome, refused?: readonly ReportedError[]): BuildCommandResult => ({ ...result, campaigns: [], interrupted: false, ...(refused ? { refused } : {}) });
  let start;
  try {
    const remote = remoteOf(settings);
    const prepared = reusable(control.prepared, cacheOnly) ?? (await prepare(settings, paths, !cacheOnly, { ...(webhooks ? { webhooks } : {}), ...(settings.shard ? { shard: settings.shard } : {}) }));
    const stores = openCacheStores(settings.cacheDir, remote);
    const plans = planBuild(prepared, { ...(control.candidates !== undefined ? { candidates: control.candidates } : {}), frozen: control.frozen === true });
    // A remote cache may hold an approved candidate the local one lacks: the build then reports the miss per cell.
    const frozen = control.frozen ? await planFrozen(prepared, { cwd: settings.cwd, ...(remote ? {} : { cache: stores.local }) }) : undefined;
    // Nothing runs and nothing is written, and the summary says why in words.
    if (frozen && frozen.errors.length > 0) return stopped(outcome('failed', frozen.errors), frozen.errors);
    for (const note of frozen?.notes ?? []) settings.stderr.write(`note: ${note}\n`);
    // A build over its budget is refused before anything is paid for, as plan would refuse it.
    if (settings.maxCost !== undefined || prepared.some((p) => p.campaign.budget !== undefined)) {
      const over = budgetErrors(await estimate(prepared, plans, stores, settings), prepared.map((p) => p.campaign), settings.maxCost, relativeTo(settings.cwd));
      if (over.length > 0) return stopped(outcome('over-budget', over));
    }
    start = { prepared, stores, plans, ...(frozen ? { frozen: { approvedSha: frozen.approvedSha } } : {}) };
  } catch (err) {
    return stopped(failed(err, settings));
  }
  // runBuild also stops itself (a fatal provider error), so the caller's signal feeds our own.
  const stop = new AbortController();
  const forward = () => stop.abort();
  if (control.stop?.aborted) stop.abort();
  control.stop?.addEventListener('abort', forward, { once: true });
  // Loaded here, not with the module: validate and plan never run a build (delivery, the finish,
  // the run stage and their libraries are half of what a command would otherwise load; issue 25).
  const { runBuild } = await import('./build.js');
  const http = createHttpClient({ defaultTimeoutMs: settings.httpTimeoutMs });
  const reporter = createReporter(settings.stderr, { live: settings.live, color: settings.color, now: () => settings.clock.now() });
  try {
    const { prepared, stores, plans, frozen } = start;
    const result = await runBuild(
      prepared,
      {
        cwd: settings.cwd,
        outRoot: settings.outRoot,
        cacheDir: settings.cacheDir,
        force: settings.force,
        verify: settings.verify,
        sources: settings.sources,
        concurrency: settings.concurrency,
        jobTimeoutMs: settings.jobTimeoutMs,
        claimStaleMs: settings.claimStaleMs,
        maxCost: settings.maxCost,
        stores,
        plan: plans,
        shard: settings.shard,
        cacheOnly,
        ...(frozen ? { frozen } : {}),
        ...(control.beforeDelivery ? { beforeDelivery: control.beforeDelivery } : {}),
        stop,
        abort: control.abort ?? new AbortController().signal,
      },
      { http, clock: settings.clock, sleep: settings.sleep, logger: loggerFor(settings), reporter },
    );
    const interrupted = control.stop?.aborted ?? false;
    return { ...outcomeOfBuild(result, interrupted, settings.cwd), ...result, interrupted, footprint: footprintOf(prepared, settings) };
  } catch (err) {
    return { ...failed(err, settings), campaigns: [], interrupted: control.stop?.aborted ?? false };
  } finally {
    control.stop?.removeEventListener('abort', forward);
    await http.close();
  }
}

export interface ApproveResult extends CommandOutcome {
  readonly campaigns: readonly ApprovedCampaign[];
}

/** Records what the last build delivered as approved, in each campaign's approved.lock. */
export async function approveCommand(settings: Settings, paths: readonly string[], options: ApproveOptions): Promise<ApproveResult> {
  try {
    const prepared = await prepare(settings, paths, false);
    await preflightReview(prepared.map((p) => p.campaign.name), settings);
    const { approveCampaign } = await import('./approve.js');
    const campaigns: ApprovedCampaign[] = [];
    for (const p of prepared) campaigns.push(await approveCampaign(p, { ...options, outRoot: settings.outRoot, cacheDir: settings.cacheDir }));
    return { ...outcome('ok'), campaigns };
  } catch (err) {
    return { ...failed(err, settings), campaigns: [] };
  }
}

export interface DiffResult extends CommandOutcome {
  readonly campaigns: readonly CampaignDiff[];
}

/** Approved vs new image of every cell whose generation key changed since approval. No provider calls. */
export async function diffCommand(settings: Settings, paths: readonly string[]): Promise<DiffResult> {
  try {
    const prepared = await prepare(settings, paths, false);
    await preflightReview(prepared.map((p) => p.campaign.name), settings);
    const { diffCampaign } = await import('./diff.js');
    const campaigns: CampaignDiff[] = [];
    for (const p of prepared) campaigns.push(await diffCampaign(p, { outRoot: settings.outRoot, cacheDir: settings.cacheDir }));
    return { ...outcome('ok'), campaigns };
  } catch (err) {
    return { ...failed(err, settings), campaigns: [] };
  }
}
