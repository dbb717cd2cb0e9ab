import { setMaxListeners } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_STALE_MS, openClaims, pidAlive } from '../cache/claims.js';
import { openMemoFile } from '../cache/memo-file.js';
import { openCacheStores, wireCache, type CacheStores } from '../cache/remote.js';
import type { CacheStore } from '../cache/store.js';
import type { Shard } from '../cache/shard.js';
import type { ProviderName } from '../core/campaign.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import type { ProviderError } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import { relativeTo } from '../core/outcome.js';
import type { BuildResult, ImageOutcome, JobFailure } from '../core/results.js';
import { sweepTempFiles } from '../fs/atomic.js';
import { preflightBuild, type FolderSources } from '../fs/preflight.js';
import type { HttpClient } from '../http/client.js';
import { describeProblem } from '../plan/approvals.js';
import { planBuild, type CampaignBuildPlan } from '../plan/build-plan.js';
import type { PreparedCampaign } from '../plan/prepared.js';
import { deliveredStatePath, readDeliveredState } from '../post/delivered-state.js';
import { stampsUnder } from '../post/finish-state.js';
import { pendingDelivery, type Delivery, type DeliveryContext, type PendingDelivery } from '../post/deliver.js';
import { createOutGuard, trustedManifest } from '../post/out-paths.js';
import { compositorFor } from '../compose/index.js';
import { thumbnailFile } from '../post/thumbnails.js';
import { priceOf } from '../report/cost.js';
import { writeIndexGallery } from '../report/gallery/write.js';
import { MANIFEST_FILE, readPreviousManifest } from '../report/manifest.js';
import { failureGroups, type BuildReporter } from '../report/progress.js';
import type { RunContext } from '../run/execute.js';
import { openJournal } from '../run/journal.js';
import { type AdaptiveLimiter, createAdaptiveLimiter } from '../run/limiter.js';
import { obtainImage, type ImageSource } from '../run/obtain.js';
import { createSpendLimit, type SpendLimit } from '../run/spend.js';
import { buildCandidates } from './candidates.js';
import { finishCampaign, type CampaignOut } from './finish.js';

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
  /** How the person named each folder (flag or variable), for problems found before the build. */
  readonly sources?: FolderSources;
  /** USD for the whole build (--max-cost); campaigns' own budgets apply under it. */
  readonly maxCost?: number;
  /** The command's cache, opened once (a remote behind the local one: its one listing); default: the local cache at cacheDir. */
  readonly stores?: CacheStores;
  /** The build's plan, made once (picks, candidates); default: made here, with no candidates beyond the campaigns' own. */
  readonly plan?: ReadonlyMap<PreparedCampaign, CampaignBuildPlan>;
  /** `--shard i/n`: prepare kept this runner's share; here it only tells the remote claims that runners split the work. */
  readonly shard?: Shard;
  /** `assemble`: deliver from the cache only; a generation not in it fails, nothing is generated. */
  readonly cacheOnly?: boolean;
  /** `build --frozen`: approved files only (campaign -> cell -> the sha256 its file must have), no review candidates. */
  readonly frozen?: { readonly approvedSha: ReadonlyMap<string, ReadonlyMap<string, string>> };
  /**
   * Asked once, when the build knows whether it will obtain an image or cut a file (a no-op does
   * neither): true stops it there, before anything is obtained, written or reported (src/bin.ts
   * then runs it again in a process with the malloc arena cap).
   */
  readonly beforeDelivery?: (makesPixels: boolean) => boolean;
}

/** Where a generation's image comes from on its way run -> cache -> post. */
export interface ImageRoute {
  readonly read: CacheStore['read'];
  /** run: the image made by the provider (which writes the cache), or taken from the cache alone where the build allows only that; never throws. */
  readonly obtain: (gen: Generation) => Promise<ImageOutcome>;
  /** The generator renders on this machine's CPU. */
  readonly cpuBound: boolean;
}

/**
 * One generation: its files kept when they are in place (post), else its image read from the
 * cache or obtained (run), then cut into every cell's file (post). A CPU-bound generator renders
 * and cuts in one slot of the post pool: two cores, two images in memory, and each image is
 * delivered before the next one is drawn (a stop loses nothing).
 */
export async function deliverGeneration(gen: Generation, d: DeliveryContext, route: ImageRoute, known?: PendingDelivery): Promise<Delivery> {
  const pending = known ?? (await pendingDelivery(gen, d));
  if ('inPlace' in pending) return pending.inPlace;
  const slot = d.post;
  if (pending.fromCache) {
    const cut = await slot(async () => {
      const hit = await route.read(gen.key);
      return hit && pending.cut({ kind: 'cached', meta: hit.meta, bytes: hit.bytes });
    });
    if (cut) return cut;
  }
  if (route.cpuBound) return slot(async () => pending.cut(await route.obtain(gen)));
  const image = await route.obtain(gen);
  return image.kind === 'failed' ? pending.cut(image) : slot(() => pending.cut(image));
}

/** A failure's message with the files under `dir` named relative to `cwd`, as everywhere else. */
function shownPaths(dir: string, cwd: string): (outcome: ImageOutcome) => ImageOutcome {
  const shown = `${relativeTo(cwd)(dir)}/`;
  return (outcome) => (outcome.kind !== 'failed' || !outcome.failure.message.includes(`${dir}/`) ? outcome : { ...outcome, failure: { ...outcome.failure, message: outcome.failure.message.split(`${dir}/`).join(shown) } });
}

/** Under the cache folder: what out/index.html shows of each campaign (report/gallery/write.ts). */
const INDEX_SUMMARIES = 'index-summaries.json';
/** A summary is about 1 KB; past this many, those not used by the last build go. */
const MAX_INDEX_SUMMARIES = 1_000;

/** run -> cache -> post for every generation of every campaign, then post -> report per campaign. */
export async function runBuild(prepared: readonly PreparedCampaign[], options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  // Every job in flight listens to the build's two signals (requests, sleeps): hundreds, by design.
  setMaxListeners(0, options.abort, options.stop.signal);
  // Before anything is paid for: every folder this build writes exists and takes a file.
  await preflightBuild(prepared.map((p) => p.campaign.name), options);
  // Only the folders this build owns: the cache and out/<campaign> of the campaigns it builds.
  await Promise.all([options.cacheDir, ...prepared.map((p) => join(options.outRoot, p.campaign.name))].map((dir) => sweepTempFiles(dir)));
  const host = hostname();
  const journal = openJournal(join(options.cacheDir, 'journal'), { host, isAlive: pidAlive, legacyFile: join(options.cacheDir, 'journal.jsonl') });
  const staleMs = options.claimStaleMs ?? DEFAULT_STALE_MS;
  const now = () => deps.clock.now();
  const localClaims = openClaims(options.cacheDir, { pid: process.pid, host, now, isAlive: pidAlive, staleMs });
  const stores = options.stores ?? openCacheStores(options.cacheDir);
  const { cache, claims } = await wireCache(stores, localClaims, { logger: deps.logger, pid: process.pid, host, staleMs, now, sharded: options.shard !== undefined, isAlive: pidAlive });
  const plans = options.plan ?? planBuild(prepared, { frozen: options.frozen !== undefined });
  const plan = (p: PreparedCampaign) => plans.get(p)!;
  const limiters = new Map<ProviderName, AdaptiveLimiter>();
  const limiterFor = (name: ProviderName, max: number) => {
    let l = limiters.get(name);
    if (!l) limiters.set(name, (l = createAdaptiveLimiter({ max: options.concurrency ?? max, clock: deps.clock })));
    return l;
  };
  // Decoding and encoding are CPU-bound: bound them by cores, whatever the provider concurrency.
  const slot = pLimit(Math.max(1, availableParallelism()));
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
  const shown = shownPaths(options.cacheDir, options.cwd);
  const { http, clock, sleep, logger } = deps;
  const runOf = (p: PreparedCampaign, spend: SpendLimit): RunContext => {
    const limiter = limiterFor(p.provider.name, p.provider.defaultConcurrency);
    return { provider: p.provider, cache, claims, journal, limiter, http, clock, sleep, logger, signal: options.abort, stop: options.stop.signal, jobTimeoutMs: options.jobTimeoutMs, onFatal, spend };
  };

  let started = false;
  try {
    // First what is in place, campaign by campaign: the gate below needs all of it.
    const ready = await Promise.all(
      prepared.map(async (p) => {
        const outDir = join(options.outRoot, p.campaign.name);
        // Named as the person who ran the build reaches it, whatever --out said (messages land in manifest.json too).
        const shownOutDir = relativeTo(options.cwd)(outDir);
        // Its stat before its bytes: a manifest changed in between then fails the finish's record.
        const previousStamp = (await stampsUnder(outDir, [MANIFEST_FILE])).get(MANIFEST_FILE);
        const trusted = trustedManifest(await readPreviousManifest(outDir), p.campaign.name);
        if (trusted.problem) deps.reporter.note(`${shownOutDir}/manifest.json ignored (${trusted.problem}): no file it names is deleted or trusted`);
        const previous = trusted.manifest;
        const statePath = deliveredStatePath(options.cacheDir, outDir, p.campaign.name);
        const { stamps, finish } = await readDeliveredState(statePath);
        const spend = createSpendLimit({ limit: p.campaign.budget, parent: buildSpend, price: priceOf(p.campaign, p.provider.prices).usd });
        const guard = createOutGuard(outDir);
        const verify = options.verify ?? false;
        const note = (m: string) => deps.reporter.note(m);
        const built = p.generations.reduce((n, g) => n + g.cells.length, 0);
        const out: CampaignOut = { outDir, shownOutDir, guard, statePath, stamps, ...(finish ? { finish } : {}), ...(previousStamp ? { previousStamp } : {}), verify, note, frozen: Boolean(options.frozen), built };
        const run = runOf(p, spend);
        const approvedSha = options.frozen?.approvedSha.get(p.campaign.name);
        const compositor = compositorFor(p.campaign);
        const delivery: DeliveryContext = {
          outDir,
          shownOutDir,
          guard,
          output: p.campaign.output,
          stamps,
          force: options.force,
          verify,
          post: slot,
          // The cache's own methods, not wrappers: delivery asks the cache, never back into commands/.
          readCache: cache.read,
          peekCache: cache.peek,
          previous: new Map((previous?.assets ?? []).map((a) => [a.file, a])),
          ...(compositor ? { compose: compositor } : {}),
          ...(approvedSha ? { approvedSha: (cell: string) => approvedSha.get(cell) } : {}),
        };
        const { picked, review } = plan(p);
        const pendings = await Promise.all(picked.generations.map((gen) => pendingDelivery(gen, delivery)));
        const pixels = review.length > 0 || pendings.some((pending) => !('inPlace' in pending));
        return { p, out, run, spend, previous, delivery, pendings, pixels };
      }),
    );
    if (options.beforeDelivery?.(ready.some((r) => r.pixels))) return { campaigns: [], handedOff: true };
    started = true;
    deps.reporter.start({
      campaigns: prepared.length,
      generations: prepared.reduce((n, p) => n + plan(p).picked.generations.length, 0),
      assets: prepared.reduce((n, p) => n + p.generations.reduce((c, g) => c + g.cells.length, 0), 0),
    });
    // A frozen build has refused these already (its errors); a plain one says why it no longer delivers the pick.
    if (!options.frozen) for (const p of prepared) for (const lapsed of plan(p).picked.lapsed) deps.reporter.note(`${describeProblem(p.campaign.name, lapsed)}: its own image is delivered until one is approved again`);
    const campaigns = await Promise.all(
      ready.map(async ({ p, out, run, spend, delivery, pendings, previous }) => {
        const { guard, note } = out;
        const { picked, review, candidates } = plan(p);
        const source: ImageSource = options.cacheOnly ? 'cache-only' : 'provider';
        // An approved candidate is never made again, --force or not: the cache holds the approved image.
        const obtain = async (gen: Generation, from: ImageSource = source) => shown(await obtainImage(gen, from, run));
        const route: ImageRoute = { read: cache.read, obtain: (gen) => obtain(gen, picked.fromCache.has(gen.key) ? 'approved' : source), cpuBound: p.provider.cpuBound ?? false };
        const results = await Promise.all(
          picked.generations.map(async (gen, i) => {
            const result = await deliverGeneration(gen, delivery, route, pendings[i]);
            const cost = result.kind === 'generated' ? result.entries[0]?.cost : undefined;
            deps.reporter.generationDone({ campaign: p.campaign.name, kind: result.kind, cells: gen.cells.length, failed: failureGroups(result.failures), ...(cost !== undefined ? { cost } : {}) });
            return result;
          }),
        );
        const made = review.length > 0 ? await buildCandidates(review, candidates, { guard, readCache: (key) => cache.read(key), obtain: (gen) => obtain(gen), note }) : undefined;
        const stop = results.some((r) => r.failures.some((f) => f.error.code === 'E_BUDGET')) ? spend.stoppedBy() : undefined;
        if (stop) stoppedOnBudget = true;
        return finishing(() => finishCampaign(p, results, previous, stop ? { ...out, stopped: { reason: 'budget', ...stop } } : out, made));
      }),
    );
    // What out/index.html shows of each campaign, by its manifest's stat: a no-op parses no manifest again.
    const summaries = await openMemoFile(join(options.cacheDir, INDEX_SUMMARIES), MAX_INDEX_SUMMARIES);
    await writeIndexGallery(options.outRoot, thumbnailFile, summaries).catch((err: unknown) => deps.reporter.note(`gallery index not written: ${(err as Error)?.message ?? String(err)}`));
    await summaries.save();
    return { campaigns, fatal, ...(stoppedOnBudget ? { stoppedOnBudget } : {}) };
  } finally {
    // A task some other build finished since is no longer open.
    await journal.compact(async (task) => (await cache.peek(task.key)) === undefined);
    if (started) deps.reporter.finish();
  }
}
