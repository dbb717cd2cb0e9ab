import { setMaxListeners } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_STALE_MS, openClaims, pidAlive } from '../cache/claims.js';
import { inShard, type Shard } from '../cache/shard.js';
import { openCacheStore } from '../cache/store.js';
import type { ProviderName } from '../core/campaign.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import type { ProviderError } from '../core/errors.js';
import type { BuildResult, CampaignManifest, CampaignResult, DeliveredGeneration, ImageOutcome, JobFailure } from '../core/results.js';
import { sweepTempFiles } from '../fs/atomic.js';
import type { HttpClient } from '../http/client.js';
import { writeCampaignSheet } from '../post/campaign-sheet.js';
import { deliverGeneration, removeStaleDeliveries } from '../post/deliver.js';
import type { Provider } from '../providers/types.js';
import { mergeEntries, readPreviousManifest, totalCostOf, writeManifest } from '../report/manifest.js';
import type { BuildReporter } from '../report/progress.js';
import { campaignResult } from '../report/summary.js';
import { generateImage } from '../run/execute.js';
import { openJournal } from '../run/journal.js';
import { type AdaptiveLimiter, createAdaptiveLimiter } from '../run/limiter.js';
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
  /** A remote cache behind the local one (s3://...); without it the AWS SDK is never loaded. */
  readonly remote?: RemoteSettings;
  /** Only this runner's share of the generations (`--shard i/n`). */
  readonly shard?: Shard;
  /** `assemble`: deliver from the cache only; a generation not in it fails, nothing is generated. */
  readonly cacheOnly?: boolean;
}



/** run -> cache -> post for every generation of every campaign, then report per campaign. */
export async function runBuild(prepared: readonly PreparedCampaign[], options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  // Every job in flight listens to the build's two signals (requests, sleeps): hundreds, by design.
  setMaxListeners(0, options.abort, options.stop.signal);
  const local = openCacheStore(options.cacheDir);
  await Promise.all([sweepTempFiles(options.cacheDir), sweepTempFiles(options.outRoot)]);
  const host = hostname();
  const journal = openJournal(join(options.cacheDir, 'journal'), { host, isAlive: pidAlive, legacyFile: join(options.cacheDir, 'journal.jsonl') });
  const staleMs = options.claimStaleMs ?? DEFAULT_STALE_MS;
  const localClaims = openClaims(options.cacheDir, { pid: process.pid, host, now: Date.now, isAlive: pidAlive, staleMs });
  const { cache, claims } = options.remote
    ? await wireRemote(options.remote, local, localClaims, { logger: deps.logger, pid: process.pid, host, staleMs })
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
        const previous = await readPreviousManifest(outDir);
        const previousByFile = new Map((previous?.assets ?? []).map((a) => [a.file, a]));
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
        };
        const results = await Promise.all(
          share(p).map(async (gen) => {
            const result = await deliverGeneration(gen, {
              outDir,
              output: p.campaign.output,
              previous: previousByFile,
              force: options.force,
              cpuBound: p.provider.cpuBound ?? false,
              post,
              readCache: (key) => cache.read(key),
              obtain: options.cacheOnly ? async () => notCached(p.provider.name) : () => generateImage(gen, run),
            });
            deps.reporter.generationDone({
              campaign: p.campaign.name,
              kind: result.kind,
              cells: gen.cells.length,
              labels: result.failures.map((f) => `${f.variant} · ${f.locale} · ${f.size}`),
              failure: result.failures[0] && { ...result.failures[0].error },
            });
            return result;
          }),
        );
        return finishCampaign(p, results, previous, outDir);
      }),
    );
    return { campaigns, fatal };
  } finally {
    // A task some other build finished since is no longer open.
    await journal.compact(async (task) => (await cache.peek(task.key)) === undefined);
    deps.reporter.finish();
  }
}

const notCached = (provider: string): ImageOutcome => ({
  kind: 'failed',
  failure: { code: 'E_CACHE_MISS', message: 'not in the cache: assemble delivers only what a build (or its shards) generated', provider },
});

/** post -> report for one campaign: stale files out, contact sheet, manifest, counts. */
async function finishCampaign(
  p: PreparedCampaign,
  results: readonly DeliveredGeneration[],
  previous: CampaignManifest | undefined,
  outDir: string,
): Promise<CampaignResult> {
  const entries = mergeEntries(p.allCells, results, previous);
  await removeStaleDeliveries(outDir, previous?.assets ?? [], entries.assets);
  const contactSheet = await writeCampaignSheet(p.campaign, p.provider.name, p.allCells, entries, previous, outDir);
  const totalCost = totalCostOf(entries.assets);
  const manifest: CampaignManifest = {
    campaign: p.campaign.name,
    provider: p.provider.name,
    model: p.campaign.model,
    assets: entries.assets,
    failures: entries.failures,
    contactSheet,
    ...(totalCost !== undefined ? { totalCost } : {}),
  };
  return campaignResult(p.campaign.name, results, entries, await writeManifest(outDir, manifest));
}
