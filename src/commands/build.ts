import { setMaxListeners } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_STALE_MS, openClaims, pidAlive } from '../cache/claims.js';
import { inShard, type Shard } from '../cache/shard.js';
import { openCacheStore } from '../cache/store.js';
import type { ProviderName } from '../core/campaign.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import { PressroomError, type ProviderError } from '../core/errors.js';
import type { BuildResult, CampaignManifest, CampaignResult, ImageOutcome, JobFailure } from '../core/results.js';
import { sweepTempFiles } from '../fs/atomic.js';
import { WriteError } from '../fs/write-error.js';
import type { HttpClient } from '../http/client.js';
import { writeCampaignSheet } from '../post/campaign-sheet.js';
import { deliveredStatePath, readDeliveredState, writeDeliveredState, type FileStamp, type Stamps } from '../post/delivered-state.js';
import { type Delivery, deliverGeneration, removeStaleDeliveries } from '../post/deliver.js';
import { createOutGuard, trustedManifest, type OutGuard } from '../post/out-paths.js';
import { createTypesetter } from '../post/text-layers.js';
import type { Provider } from '../providers/types.js';
import { MANIFEST_FILE, mergeEntries, readPreviousManifest, totalCostOf, writeManifest } from '../report/manifest.js';
import type { BuildReporter } from '../report/progress.js';
import { campaignResult } from '../report/summary.js';
import { generateImage } from '../run/execute.js';
import { openJournal } from '../run/journal.js';
import { createSpendLimit } from '../run/spend.js';
import { type AdaptiveLimiter, createAdaptiveLimiter } from '../run/limiter.js';
import { writeIndexGallery } from '../report/gallery/write.js';
import { buildCandidates, type CandidatesOutcome } from './candidates.js';
import { removeStaleReviewFiles, withCandidateSpend, withCandidates, withCandidatesCost } from './review-build.js';
import { writeGallery } from './gallery.js';
import { priceOf } from './plan.js';
import { preflightBuild } from './preflight.js';
import type { PreparedCampaign } from './prepare.js';
import { wireRemote, type RemoteSettings } from './remote.js';

export interface BuildDeps {
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  readonly reporter: BuildReporter;
}

export interface BuildOptions {
  readonly outRoot: string;
  readonly cacheDir: string;
  readonly force: boolean;
  readonly concurrency?: number;
  readonly jobTimeoutMs: number;
  /** Soft stop: start nothing new (first Ctrl-C). */
  readonly stop: AbortController;
  /** Hard abort: cancel what is in flight (grace period over, second Ctrl-C). */
  readonly abort: AbortSignal;
  /** A claim of another build whose heartbeat is older than this is taken over. */
  readonly claimStaleMs?: number;
  /** Rehash every delivered file against the manifest, and verify the cache entries behind them. */
  readonly verify?: boolean;
  /** Images per cell for review, over each campaign's own `candidates`. */
  readonly candidates?: number;
  /** How the person named each folder (flag or variable), for problems found before the build. */
  readonly sources?: { readonly out?: string; readonly cacheDir?: string };
  /** USD for the whole build (--max-cost); campaigns' own budgets apply under it. */
  readonly maxCost?: number;
  /** A remote cache behind the local one (s3://...); without it the AWS SDK is never loaded. */
  readonly remote?: RemoteSettings;
  /** Only this runner's share of the generations (`--shard i/n`). */
  readonly shard?: Shard;
  /** `assemble`: deliver from the cache only; a generation not in it fails, nothing is generated. */
  readonly cacheOnly?: boolean;
  /** `build --frozen`: approved images only, no review candidates; these keys come from the cache or fail. */
  readonly frozen?: { readonly cacheOnlyKeys: ReadonlySet<string> };
}



/** run -> cache -> post for every generation of every campaign, then report per campaign. */
export async function runBuild(prepared: readonly PreparedCampaign[], options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  // Every job in flight listens to the build's two signals (requests, sleeps): hundreds, by design.
  setMaxListeners(0, options.abort, options.stop.signal);
  // Before anything is paid for: every folder this build writes exists and takes a file.
  await preflightBuild(prepared.map((p) => p.campaign.name), options);
  const local = openCacheStore(options.cacheDir);
  // Only the folders this build owns: the cache and out/<campaign> of the campaigns it builds.
  await Promise.all([options.cacheDir, ...prepared.map((p) => join(options.outRoot, p.campaign.name))].map((dir) => sweepTempFiles(dir)));
  const host = hostname();
  const journal = openJournal(join(options.cacheDir, 'journal'), { host, isAlive: pidAlive, legacyFile: join(options.cacheDir, 'journal.jsonl') });
  const staleMs = options.claimStaleMs ?? DEFAULT_STALE_MS;
  const localClaims = openClaims(options.cacheDir, { pid: process.pid, host, now: Date.now, isAlive: pidAlive, staleMs });
  const { cache, claims } = options.remote
    ? await wireRemote(options.remote, local, localClaims, { logger: deps.logger, pid: process.pid, host, staleMs, sharded: options.shard !== undefined, isAlive: pidAlive })
    : { cache: local, claims: localClaims };
  const { shard } = options;
  const share = (p: PreparedCampaign) => (shard ? p.generations.filter((g) => inShard(g.key, shard)) : p.generations);
  const limiters = new Map<ProviderName, AdaptiveLimiter>();
  const limiterFor = (p: Provider) => {
    let l = limiters.get(p.name);
    if (!l) limiters.set(p.name, (l = createAdaptiveLimiter({ max: options.concurrency ?? p.defaultConcurrency, clock: deps.clock })));
    return l;
  };
  // Decoding and encoding are CPU-bound: bound them by cores, whatever the provider concurrency.
  const post = pLimit(Math.max(1, availableParallelism()));
  // A campaign's finish holds its manifest, gallery and sheet recipe as text (megabytes at 1,000
  // cells) and is CPU-bound: a few at a time, not every campaign of a cached rebuild at once.
  const finishing = pLimit(2);
  const buildSpend = createSpendLimit({ limit: options.maxCost });
  let stoppedOnBudget = false;
  let fatal: JobFailure | undefined;
  const onFatal = (err: ProviderError) => {
    if (!fatal) {
      fatal = { code: err.code, message: err.message, provider: err.provider, category: err.category, providerCode: err.providerCode };
      deps.reporter.note(`stopping: ${err.message} (every other job would fail the same way)`);
    }
    options.stop.abort();
  };

  deps.reporter.start({
    campaigns: prepared.length,
    generations: prepared.reduce((n, p) => n + share(p).length, 0),
    assets: prepared.reduce((n, p) => n + share(p).reduce((c, g) => c + g.cells.length, 0), 0),
  });
  try {
    const campaigns = await Promise.all(
      prepared.map(async (p) => {
        const outDir = join(options.outRoot, p.campaign.name);
        // Named as the reader knows it and the same on every machine (messages land in manifest.json).
        const shownOutDir = `${basename(options.outRoot)}/${p.campaign.name}`;
        const trusted = trustedManifest(await readPreviousManifest(outDir), p.campaign.name);
        if (trusted.problem) deps.reporter.note(`${shownOutDir}/manifest.json ignored (${trusted.problem}): no file it names is deleted or trusted`);
        const previous = trusted.manifest;
        const previousByFile = new Map((previous?.assets ?? []).map((a) => [a.file, a]));
        const statePath = deliveredStatePath(options.cacheDir, outDir, p.campaign.name);
        const stamps = await readDeliveredState(statePath);
        const spend = createSpendLimit({ limit: p.campaign.budget, parent: buildSpend, price: priceOf(p).price });
        const out: CampaignOut = { outDir, shownOutDir, guard: createOutGuard(outDir), statePath, stamps, verify: options.verify ?? false, note: (m) => deps.reporter.note(m), frozen: Boolean(options.frozen) };
        const run = {
          provider: p.provider,
          cache,
          claims,
          journal,
          limiter: limiterFor(p.provider),
          http: deps.http,
          clock: deps.clock,
          sleep: deps.sleep,
          logger: deps.logger,
          signal: options.abort,
          stop: options.stop.signal,
          jobTimeoutMs: options.jobTimeoutMs,
          onFatal,
          spend,
        };
        const typesetter = p.campaign.text ? createTypesetter(p.campaign) : undefined;
        const results = await Promise.all(
          share(p).map(async (gen) => {
            const result = await deliverGeneration(gen, {
              outDir,
              shownOutDir,
              guard: out.guard,
              output: p.campaign.output,
              previous: previousByFile,
              stamps,
              force: options.force,
              verify: out.verify,
              cpuBound: p.provider.cpuBound ?? false,
              post,
              readCache: (key) => cache.read(key),
              peekCache: (key) => cache.peek(key),
              obtain: options.cacheOnly || options.frozen?.cacheOnlyKeys.has(gen.key) ? async () => notCached(p.provider.name, Boolean(options.frozen)) : () => generateImage(gen, run),
              ...(typesetter ? { typeset: typesetter } : {}),
            });
            deps.reporter.generationDone({
              campaign: p.campaign.name,
              kind: result.kind,
              cells: gen.cells.length,
              labels: result.failures.map((f) => `${f.variant} · ${f.locale} · ${f.size}`),
              failure: result.failures[0] && { ...result.failures[0].error },
              ...(result.kind === 'generated' && result.entries[0]?.cost !== undefined ? { cost: result.entries[0].cost } : {}),
            });
            return result;
          }),
        );
        const n = options.frozen ? 1 : (options.candidates ?? p.campaign.candidates ?? 1);
        const review =
          n > 1
            ? await buildCandidates(share(p), n, {
                guard: out.guard,
                multiple: p.provider.multipleResults,
                readCache: (key) => cache.read(key),
                obtain: options.cacheOnly ? async () => notCached(p.provider.name, false) : (gen) => generateImage(gen, run),
                note: out.note,
              })
            : undefined;
        const stop = results.some((r) => r.failures.some((f) => f.error.code === 'E_BUDGET')) ? spend.stoppedBy() : undefined;
        if (stop) stoppedOnBudget = true;
        return finishing(() => finishCampaign(p, results, previous, stop ? { ...out, stopped: { reason: 'budget', ...stop } } : out, review));
      }),
    );
    await writeIndexGallery(options.outRoot).catch((err: unknown) => deps.reporter.note(`gallery index not written: ${(err as Error)?.message ?? String(err)}`));
    return { campaigns, fatal, ...(stoppedOnBudget ? { stoppedOnBudget } : {}) };
  } finally {
    // A task some other build finished since is no longer open.
    await journal.compact(async (task) => (await cache.peek(task.key)) === undefined);
    deps.reporter.finish();
  }
}

const notCached = (provider: string, frozen: boolean): ImageOutcome => ({
  kind: 'failed',
  failure: {
    code: 'E_CACHE_MISS',
    message: frozen
      ? 'the approved candidate is not in the cache: build with --candidates to make candidates again, then review and approve one'
      : 'not in the cache: assemble delivers only what a build (or its shards) generated',
    provider,
  },
});

interface CampaignOut {
  readonly outDir: string;
  readonly shownOutDir: string;
  readonly guard: OutGuard;
  readonly statePath: string;
  readonly stamps: Stamps;
  readonly verify: boolean;
  readonly note: (message: string) => void;
  readonly stopped?: CampaignManifest['stopped'];
  /** A frozen build: every cell it delivers is as approved. */
  readonly frozen?: boolean;
}

/**
 * post -> report for one campaign: stale files out, contact sheet, manifest, counts. A contact
 * sheet that cannot be written never costs the manifest; what failed is reported per campaign.
 */
async function finishCampaign(
  p: PreparedCampaign,
  results: readonly Delivery[],
  previous: CampaignManifest | undefined,
  out: CampaignOut,
  review?: CandidatesOutcome,
): Promise<CampaignResult> {
  const { outDir, shownOutDir } = out;
  const entries = withCandidates(mergeEntries(p.allCells, results, previous), results, review);
  await removeStaleDeliveries(out.guard, previous?.assets ?? [], entries.assets);
  await removeStaleReviewFiles(p, entries.assets, out.guard, out.frozen ?? false);
  const writeErrors: JobFailure[] = [];
  const failedWrite = (err: unknown, what: string): JobFailure => {
    const message =
      err instanceof WriteError ? err.describe(err.path.startsWith(`${outDir}/`) ? `${shownOutDir}/${err.path.slice(outDir.length + 1)}` : err.path) : `${what}: ${(err as Error)?.message ?? String(err)}`;
    const failure: JobFailure = { code: err instanceof PressroomError ? err.code : 'E_INTERNAL', message, provider: p.provider.name };
    out.note(`failed ${p.campaign.name}: ${message}`);
    return failure;
  };
  let contactSheet: CampaignManifest['contactSheet'];
  try {
    contactSheet = await writeCampaignSheet(p.campaign, p.provider.name, p.allCells, entries, previous, outDir, out.verify);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'contact sheet'));
    // No recipe: the next build draws the sheet again.
    contactSheet = { recipe: '', pages: [] };
  }
  const totalCost = totalCostOf(entries.assets);
  const manifest: CampaignManifest = {
    campaign: p.campaign.name,
    provider: p.provider.name,
    model: p.campaign.model,
    assets: entries.assets,
    failures: entries.failures,
    contactSheet,
    // Every manifest says what it cost: the local renderer is free; a silent provider is unknown, not free.
    totalCost: withCandidatesCost(totalCost ?? (p.provider.cpuBound || entries.assets.length === 0 ? 0 : null), review),
    ...(review?.cost !== undefined ? { candidatesCost: review.cost } : {}),
    ...(out.stopped ? { stopped: out.stopped } : {}),
  };
  let manifestFile = join(outDir, MANIFEST_FILE);
  try {
    manifestFile = await writeManifest(outDir, manifest);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'manifest'));
  }
  try {
    await writeGallery(p, manifest, out);
  } catch (err) {
    writeErrors.push(failedWrite(err, 'gallery'));
  }
  // Stamps of this build's files, and the previous ones for cells a filter left alone.
  const fresh = new Map(results.flatMap((r) => r.stamps));
  const stamps = new Map<string, FileStamp>();
  for (const a of entries.assets) {
    const stamp = fresh.get(a.file) ?? out.stamps.get(a.file);
    if (stamp) stamps.set(a.file, stamp);
  }
  await writeDeliveredState(out.statePath, stamps);
  const result = withCandidateSpend(campaignResult(p.campaign.name, results, entries, manifestFile), review);
  return writeErrors.length > 0 ? { ...result, writeErrors } : result;
}
