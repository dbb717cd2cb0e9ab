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
import type { Generation, StoredImage } from '../core/generation.js';
import type { BuildResult, ImageOutcome, JobFailure } from '../core/results.js';
import { sweepTempFiles } from '../fs/atomic.js';
import type { HttpClient } from '../http/client.js';
import { deliveredStatePath, readDeliveredState } from '../post/delivered-state.js';
import { deliverGeneration } from '../post/deliver.js';
import { createOutGuard, trustedManifest } from '../post/out-paths.js';
import { compositorFor } from '../compose/index.js';
import { thumbnailFile } from '../post/thumbnails.js';
import type { Provider } from '../providers/types.js';
import { readPreviousManifest } from '../report/manifest.js';
import { failureGroups, type BuildReporter } from '../report/progress.js';
import { generateImage } from '../run/execute.js';
import { openJournal } from '../run/journal.js';
import { createSpendLimit } from '../run/spend.js';
import { type AdaptiveLimiter, createAdaptiveLimiter } from '../run/limiter.js';
import { writeIndexGallery } from '../report/gallery/write.js';
import { buildCandidates } from './candidates.js';
import { describeProblem, pickedGenerations } from '../plan/approvals.js';
import { finishCampaign, type CampaignOut } from './finish.js';
import { relativeTo, withShownPath } from './outcome.js';
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
  /** The folder the command ran in: paths in messages are shown relative to it. */
  readonly cwd: string;
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
  /** `build --frozen`: approved files only (campaign -> cell -> the sha256 its file must have), no review candidates. */
  readonly frozen?: { readonly approvedSha: ReadonlyMap<string, ReadonlyMap<string, string>> };
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
  const localClaims = openClaims(options.cacheDir, { pid: process.pid, host, now: () => deps.clock.now(), isAlive: pidAlive, staleMs });
  const { cache, claims } = options.remote
    ? await wireRemote(options.remote, local, localClaims, { logger: deps.logger, pid: process.pid, host, staleMs, now: () => deps.clock.now(), sharded: options.shard !== undefined, isAlive: pidAlive })
    : { cache: local, claims: localClaims };
  const { shard } = options;
  const share = (p: PreparedCampaign) => (shard ? p.generations.filter((g) => inShard(g.key, shard)) : p.generations);
  // Each cell from the image its approval picked, while that holds (plain and frozen builds alike).
  const picks = new Map(prepared.map((p) => [p.campaign.name, pickedGenerations(p.approvals, share(p), p.provider.multipleResults)]));
  const picked = (p: PreparedCampaign) => picks.get(p.campaign.name)!;
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
    generations: prepared.reduce((n, p) => n + picked(p).generations.length, 0),
    assets: prepared.reduce((n, p) => n + share(p).reduce((c, g) => c + g.cells.length, 0), 0),
  });
  // A frozen build has refused these already (its errors); a plain one says why it no longer delivers the pick.
  if (!options.frozen) for (const p of prepared) for (const lapsed of picked(p).lapsed) deps.reporter.note(`${describeProblem(p.campaign.name, lapsed)}: its own image is delivered until one is approved again`);
  try {
    const campaigns = await Promise.all(
      prepared.map(async (p) => {
        const outDir = join(options.outRoot, p.campaign.name);
        // Named as the person who ran the build reaches it, whatever --out said (messages land in manifest.json too).
        const shownOutDir = relativeTo(options.cwd)(outDir);
        const trusted = trustedManifest(await readPreviousManifest(outDir), p.campaign.name);
        if (trusted.problem) deps.reporter.note(`${shownOutDir}/manifest.json ignored (${trusted.problem}): no file it names is deleted or trusted`);
        const previous = trusted.manifest;
        const previousByFile = new Map((previous?.assets ?? []).map((a) => [a.file, a]));
        const statePath = deliveredStatePath(options.cacheDir, outDir, p.campaign.name);
        const stamps = await readDeliveredState(statePath);
        const spend = createSpendLimit({ limit: p.campaign.budget, parent: buildSpend, price: priceOf(p).price });
        const out: CampaignOut = {
          outDir,
          shownOutDir,
          guard: createOutGuard(outDir),
          statePath,
          stamps,
          verify: options.verify ?? false,
          note: (m) => deps.reporter.note(m),
          frozen: Boolean(options.frozen),
          built: share(p).reduce((n, g) => n + g.cells.length, 0),
        };
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
        // A full or read-only cache disk names its file as the person who ran the build reaches it.
        const generate = (gen: Generation) => generateImage(gen, run).then((o) => withShownPath(o, options.cacheDir, options.cwd));
        const compositor = compositorFor(p.campaign);
        const { fromCache } = picked(p);
        const approvedSha = options.frozen?.approvedSha.get(p.campaign.name);
        const results = await Promise.all(
          picked(p).generations.map(async (gen) => {
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
              // An approved candidate is never made again, --force or not: the cache holds the approved image.
              obtain: fromCache.has(gen.key)
                ? async () => fromCacheOnly(await cache.read(gen.key), p.provider.name)
                : options.cacheOnly
                  ? async () => notCached(p.provider.name, false)
                  : () => generate(gen),
              ...(compositor ? { compose: compositor } : {}),
              ...(approvedSha ? { approvedSha: (cell: string) => approvedSha.get(cell) } : {}),
            });
            deps.reporter.generationDone({
              campaign: p.campaign.name,
              kind: result.kind,
              cells: gen.cells.length,
              failed: failureGroups(result.failures),
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
                obtain: options.cacheOnly ? async () => notCached(p.provider.name, false) : generate,
                note: out.note,
              })
            : undefined;
        const stop = results.some((r) => r.failures.some((f) => f.error.code === 'E_BUDGET')) ? spend.stoppedBy() : undefined;
        if (stop) stoppedOnBudget = true;
        return finishing(() => finishCampaign(p, results, previous, stop ? { ...out, stopped: { reason: 'budget', ...stop } } : out, review));
      }),
    );
    await writeIndexGallery(options.outRoot, thumbnailFile).catch((err: unknown) => deps.reporter.note(`gallery index not written: ${(err as Error)?.message ?? String(err)}`));
    return { campaigns, fatal, ...(stoppedOnBudget ? { stoppedOnBudget } : {}) };
  } finally {
    // A task some other build finished since is no longer open.
    await journal.compact(async (task) => (await cache.peek(task.key)) === undefined);
    deps.reporter.finish();
  }
}

const fromCacheOnly = (hit: StoredImage | undefined, provider: string): ImageOutcome => (hit ? { kind: 'cached', meta: hit.meta, bytes: hit.bytes } : notCached(provider, true));

const notCached = (provider: string, approvedCandidate: boolean): ImageOutcome => ({
  kind: 'failed',
  failure: {
    code: 'E_CACHE_MISS',
    message: approvedCandidate
      ? 'the approved candidate is not in the cache: build with --candidates to make candidates again, then review and approve one'
      : 'not in the cache: assemble delivers only what a build (or its shards) generated',
    provider,
  },
});
