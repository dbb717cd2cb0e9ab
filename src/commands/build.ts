import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DEFAULT_STALE_MS, openClaims, pidAlive } from '../cache/claims.js';
import { openCacheStore, type CacheStore } from '../cache/store.js';
import type { Clock, Logger, Sleep } from '../deps.js';
import type { ProviderError } from '../errors.js';
import { sweepTempFiles } from '../fs/atomic.js';
import type { HttpClient } from '../http/client.js';
import type { Generation } from '../plan/generations.js';
import { deriveDeliveries } from '../post/derive.js';
import type { Provider, ProviderName } from '../providers/types.js';
import { type AssetEntry, type FailureEntry, assetPath, deliveryRecipe, readPreviousManifest } from '../report/manifest.js';
import type { BuildReporter, GenerationKind } from '../report/progress.js';
import { type ImageOutcome, type JobFailure, generateImage } from '../run/execute.js';
import { openJournal } from '../run/journal.js';
import { type AdaptiveLimiter, createAdaptiveLimiter } from '../run/limiter.js';
import { assembleCampaign, type CampaignResult } from './assemble.js';
import type { PreparedCampaign } from './prepare.js';

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
}

export interface BuildResult {
  readonly campaigns: readonly CampaignResult[];
  /** The provider error that stopped the build early (auth, balance). */
  readonly fatal?: JobFailure;
}

/** Per generation: what ended up where. */
export interface GenerationResult {
  readonly kind: GenerationKind;
  readonly entries: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
  readonly possibleDuplicate: boolean;
}

/** run -> cache -> post for every generation of every campaign, then report per campaign. */
export async function runBuild(prepared: readonly PreparedCampaign[], options: BuildOptions, deps: BuildDeps): Promise<BuildResult> {
  // Every job in flight listens to the build's two signals (requests, sleeps): hundreds, by design.
  setMaxListeners(0, options.abort, options.stop.signal);
  const cache = openCacheStore(options.cacheDir);
  await Promise.all([sweepTempFiles(options.cacheDir), sweepTempFiles(options.outRoot)]);
  const host = hostname();
  const journal = openJournal(join(options.cacheDir, 'journal'), { host, isAlive: pidAlive, legacyFile: join(options.cacheDir, 'journal.jsonl') });
  const claims = openClaims(options.cacheDir, { pid: process.pid, host, now: Date.now, isAlive: pidAlive, staleMs: options.claimStaleMs ?? DEFAULT_STALE_MS });
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
    generations: prepared.reduce((n, p) => n + p.generations.length, 0),
    assets: prepared.reduce((n, p) => n + p.cells.length, 0),
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
          p.generations.map(async (gen) => {
            const result = await buildGeneration(p, gen, previousByFile, { outDir, cache, force: options.force, post, obtain: () => generateImage(gen, run) });
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
        return assembleCampaign(p, results, previous, outDir);
      }),
    );
    return { campaigns, fatal };
  } finally {
    // A task some other build finished since is no longer open.
    await journal.compact(async (task) => (await cache.peek(task.key)) === undefined);
    deps.reporter.finish();
  }
}

interface GenerationContext {
  readonly outDir: string;
  readonly cache: CacheStore;
  readonly force: boolean;
  readonly post: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly obtain: () => Promise<ImageOutcome>;
}

async function buildGeneration(p: PreparedCampaign, gen: Generation, previous: ReadonlyMap<string, AssetEntry>, g: GenerationContext): Promise<GenerationResult> {
  const { format, quality } = p.campaign.output;
  const targets = gen.cells.map((cell) => {
    const file = assetPath(cell.locale.tag, cell.variant.id, cell.size.id, format);
    return { cell, file, recipe: deliveryRecipe({ generationKey: gen.key, width: cell.size.width, height: cell.size.height, format, quality }) };
  });

  if (!g.force) {
    const inPlace = await Promise.all(targets.map(async (t) => findInPlace(previous, t.file, t.recipe, g.outDir)));
    if (inPlace.every((e) => e !== undefined)) {
      return { kind: 'in-place', entries: inPlace as AssetEntry[], failures: [], possibleDuplicate: false };
    }
  }

  const derive = async (outcome: Extract<ImageOutcome, { kind: 'cached' | 'generated' }>): Promise<GenerationResult> => {
    const files = await deriveDeliveries(
      outcome.bytes,
      targets.map((t) => ({ file: join(g.outDir, t.file), width: t.cell.size.width, height: t.cell.size.height, format, quality })),
    );
    const m = outcome.meta;
    const entries = targets.map((t, i): AssetEntry => {
      const derived = files[i]!;
      return {
        variant: t.cell.variant.id,
        locale: t.cell.locale.tag,
        size: t.cell.size.id,
        file: t.file,
        width: derived.width,
        height: derived.height,
        format,
        bytes: derived.bytes,
        sha256: derived.sha256,
        prompt: t.cell.prompt,
        provider: m.provider,
        model: m.model,
        generation: { key: gen.key, width: m.width, height: m.height, seed: m.seed ?? gen.request.seed ?? null, ...(m.taskId ? { taskId: m.taskId } : {}) },
        ...(m.cost !== undefined ? { cost: m.cost } : {}),
        recipe: t.recipe,
      };
    });
    return { kind: outcome.kind, entries, failures: [], possibleDuplicate: outcome.kind === 'generated' && outcome.possibleDuplicate };
  };

  if (!g.force) {
    const fromCache = await g.post(async () => {
      const hit = await g.cache.read(gen.key);
      return hit ? derive({ kind: 'cached', ...hit }) : undefined;
    });
    if (fromCache) return fromCache;
  }
  const deliver = async (outcome: Awaited<ReturnType<GenerationContext['obtain']>>): Promise<GenerationResult> => {
    if (outcome.kind !== 'failed') return derive(outcome);
    const failures = targets.map((t): FailureEntry => ({
      variant: t.cell.variant.id,
      locale: t.cell.locale.tag,
      size: t.cell.size.id,
      error: outcome.failure,
    }));
    return { kind: 'failed', entries: [], failures, possibleDuplicate: false };
  };
  // A CPU-bound provider renders and derives in one slot of the post pool: two cores, two images in
  // memory, and each image is delivered before the next one is drawn (so a stop loses nothing).
  if (p.provider.cpuBound) return g.post(async () => deliver(await g.obtain()));
  const outcome = await g.obtain();
  return outcome.kind === 'failed' ? deliver(outcome) : g.post(() => deliver(outcome));
}

/** The previous build's entry for `file`, if it came from the same recipe and is still on disk. */
async function findInPlace(previous: ReadonlyMap<string, AssetEntry>, file: string, recipe: string, outDir: string): Promise<AssetEntry | undefined> {
  const entry = previous.get(file);
  if (!entry || entry.recipe !== recipe) return undefined;
  try {
    return (await stat(join(outDir, file))).size === entry.bytes ? entry : undefined;
  } catch {
    return undefined;
  }
}
