import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCacheStore, type CacheStore } from '../../src/cache/store.js';
import { silentLogger, type Sleep } from '../../src/core/deps.js';
import { ProviderError, type ProviderErrorCategory } from '../../src/core/errors.js';
import type { Generation, GenerationResult } from '../../src/core/generation.js';
import { failureOf } from '../../src/core/outcome.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal, type Journal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import type { Provider, ProviderContext } from '../../src/providers/types.js';
import { makeImage } from '../helpers/images.js';
import { generationRequest } from '../helpers/generation-request.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
let cache: CacheStore;
let journal: Journal;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('pressroom-execute-'));
  cache = openCacheStore(join(dir, 'cache'));
  journal = openJournal(join(dir, 'cache', 'journal.jsonl'));
});
afterEach(async () => {
  journal.close();
  await cleanup();
});

const gen: Generation = {
  key: 'k1',
  request: generationRequest({ key: 'k1', provider: 'runware', size: { width: 64, height: 64 } }, { variant: 'hero', size: 'sq', headline: 'H', copy: 'C' }),
  cells: [],
};

function fakeProvider(generate: (ctx: ProviderContext, call: number) => Promise<GenerationResult>, extra: Partial<Provider> = {}): Provider & { calls: number } {
  const provider: Provider & { calls: number } = {
    name: 'runware' as const,
    models: ['seedream-4.5' as const],
    requiredEnv: [],
    defaultConcurrency: 2,
    prices: {},
    idempotentSubmit: false,
    calls: 0,
    generationSize: (_m: unknown, d: { width: number; height: number }) => d,
    generate: (_req, ctx) => generate(ctx, ++provider.calls),
    ...extra,
  };
  return provider;
}

function context(provider: Provider, overrides: Partial<RunContext> = {}) {
  const sleeps: number[] = [];
  const fatal: ProviderError[] = [];
  const sleep: Sleep = async (ms) => void sleeps.push(ms);
  const run: RunContext = {
    provider,
    cache,
    journal,
    limiter: createAdaptiveLimiter({ max: 2, clock: { now: () => 0 } }),
    http: { request: () => Promise.reject(new Error('no network in this test')) },
    clock: { now: () => 0 },
    sleep,
    logger: silentLogger,
    signal: new AbortController().signal,
    stop: new AbortController().signal,
    jobTimeoutMs: 60_000,
    onFatal: (err) => fatal.push(err),
    ...overrides,
  };
  return { run, sleeps, fatal };
}

const providerError = (category: ProviderErrorCategory, extra: object = {}) => new ProviderError({ provider: 'runware', category, ...extra }, `${category} happened`);

describe('generateImage', () => {
  it('stores a generated image in the cache and closes its journal entry', async () => {
    const bytes = await makeImage(64, 64);
    const provider = fakeProvider(async (ctx) => {
      await ctx.journal.submitting();
      await ctx.journal.submitted('task-1');
      return { bytes, taskId: 'task-1', cost: 0.03 };
    });
    const outcome = await generateImage(gen, context(provider).run);
    expect(outcome).toMatchObject({ kind: 'generated', possibleDuplicate: false, meta: { key: 'k1', taskId: 'task-1', cost: 0.03, width: 64 } });
    expect(await cache.peek('k1')).toMatchObject({ taskId: 'task-1' });
    await journal.compact();
    expect(openJournal(join(dir, 'cache', 'journal.jsonl')).prior('k1')).toBeUndefined();
  });

  it('caches every image of a several-image answer under its own key, the request key last and alone with the cost', async () => {
    const images = await Promise.all([10, 20, 30].map((w) => makeImage(w, 16)));
    const provider = fakeProvider(async () => ({ bytes: images[0]!, images, taskId: 'task-3', cost: 0.12, seed: 5 }));
    const outcome = await generateImage({ ...gen, extraImageKeys: ['k1-2', 'k1-3'] }, context(provider).run);
    expect(outcome).toMatchObject({ kind: 'generated', meta: { key: 'k1', cost: 0.12, seed: 5, width: 10 } });
    const [second, third] = await Promise.all([cache.read('k1-2'), cache.read('k1-3')]);
    expect([second?.meta.width, third?.meta.width]).toEqual([20, 30]);
    expect(second?.meta).toMatchObject({ taskId: 'task-3' });
    expect([second?.meta.cost, second?.meta.seed, third?.meta.cost]).toEqual([undefined, undefined, undefined]);
    expect(provider.calls).toBe(1);
  });

  it('returns a provider failure as data with its catalogue code and task id', async () => {
    const provider = fakeProvider(async () => {
      throw providerError('moderation', { taskId: 't-9', providerCode: 'NSFW' });
    });
    const { run, fatal } = context(provider);
    const outcome = await generateImage(gen, run);
    expect(outcome).toEqual({
      kind: 'failed',
      failure: { code: 'E_PROVIDER_MODERATION', message: 'moderation happened', provider: 'runware', category: 'moderation', providerCode: 'NSFW', taskId: 't-9' },
    });
    expect(fatal).toEqual([]);
  });

  it('reports auth and quota failures as fatal for the build', async () => {
    const { run, fatal } = context(fakeProvider(async () => Promise.reject(providerError('auth'))));
    expect(await generateImage(gen, run)).toMatchObject({ kind: 'failed', failure: { code: 'E_PROVIDER_AUTH' } });
    expect(fatal.map((e) => e.code)).toEqual(['E_PROVIDER_AUTH']);
  });

  it('starts nothing once the build is stopping', async () => {
    const stop = new AbortController();
    stop.abort();
    const provider = fakeProvider(async () => ({ bytes: await makeImage(8, 8) }));
    const outcome = await generateImage(gen, context(provider, { stop: stop.signal }).run);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'E_INTERRUPTED' } });
    expect(provider.calls).toBe(0);
  });

  it('refuses bytes that are not an image: nothing cached, E_CACHE_NOT_IMAGE', async () => {
    const provider = fakeProvider(async () => ({ bytes: new TextEncoder().encode('<html>oops</html>'), taskId: 't-2' }));
    const outcome = await generateImage(gen, context(provider).run);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'E_CACHE_NOT_IMAGE', taskId: 't-2' } });
    expect(await cache.peek('k1')).toBeUndefined();
  });

  it('puts a submit refused for capacity back in the queue after the server-requested wait', async () => {
    const bytes = await makeImage(16, 16);
    const provider = fakeProvider(async (_ctx, call) => {
      if (call < 3) throw providerError('rate_limit', { retryAfterMs: 1234 });
      return { bytes };
    });
    const { run, sleeps } = context(provider);
    expect(await generateImage(gen, run)).toMatchObject({ kind: 'generated' });
    expect(provider.calls).toBe(3);
    expect(sleeps).toEqual([1234, 1234]);
  });

  it('gives up after maxRequeues refusals with the rate-limit code', async () => {
    const provider = fakeProvider(async () => Promise.reject(providerError('rate_limit')));
    const outcome = await generateImage(gen, context(provider, { maxRequeues: 2 }).run);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'E_PROVIDER_RATE_LIMIT' } });
    expect(provider.calls).toBe(3);
  });

  it('flags a possible double charge when an earlier run sent a submit whose answer was lost', async () => {
    await journal.forJob('k1', 'runware').submitting();
    journal.close();
    journal = openJournal(join(dir, 'cache', 'journal.jsonl'));
    const provider = fakeProvider(async () => ({ bytes: await makeImage(16, 16) }));
    expect(await generateImage(gen, context(provider).run)).toMatchObject({ kind: 'generated', possibleDuplicate: true });
  });
});

describe('generateImage: what a job leaves behind', () => {
  it("frees the provider's slot count when its task ends, once however often the task id is reported", async () => {
    const provider = fakeProvider(async (ctx, call) => {
      await ctx.journal.submitting();
      await ctx.journal.submitted(`task-${call}`);
      await ctx.journal.submitted(`task-${call}`);
      return { bytes: await makeImage(8, 8), taskId: `task-${call}` };
    });
    const limiter = createAdaptiveLimiter({ max: 2, clock: { now: () => 0 } });
    const { run } = context(provider, { limiter });
    for (const key of ['k1', 'k2', 'k3']) expect(await generateImage({ ...gen, key }, run)).toMatchObject({ kind: 'generated' });
    // The provider signals its limit with none of our tasks running: the limiter halves (to one), and does not
    // keep a slot for each task it wrongly believes the provider still holds.
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(1);
  });

  it('keeps the task in the journal when the paid image cannot be stored (a full disk): the re-run downloads it again', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const failingCache: CacheStore = { ...cache, write: () => Promise.reject(full) };
    const provider = fakeProvider(async (ctx) => {
      await ctx.journal.submitted('task-7');
      return { bytes: await makeImage(8, 8), taskId: 'task-7' };
    });
    const outcome = await generateImage(gen, context(provider, { cache: failingCache }).run);
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.failure.code).not.toBe('E_CACHE_NOT_IMAGE');
    expect(outcome).not.toHaveProperty('possibleDuplicate');
    expect(journal.prior('k1')?.taskId).toBe('task-7');
  });

  it('stores the request image when the provider sent fewer images than candidates asked for', async () => {
    const provider = fakeProvider(async () => ({ bytes: await makeImage(12, 12), taskId: 'task-8' }));
    const outcome = await generateImage({ ...gen, extraImageKeys: ['k1-2'] }, context(provider).run);
    expect(outcome).toMatchObject({ kind: 'generated', meta: { key: 'k1', width: 12 } });
    expect(await cache.peek('k1-2')).toBeUndefined();
  });

  it('warns, naming the generation, only when a submit of an earlier build got no answer', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => void warnings.push(m) };
    const provider = fakeProvider(async () => ({ bytes: await makeImage(8, 8) }));
    await generateImage({ ...gen, key: 'a'.repeat(64) }, context(provider, { logger }).run);
    expect(warnings).toEqual([]);
    await journal.forJob('b'.repeat(64), 'runware').submitting();
    await generateImage({ ...gen, key: 'b'.repeat(64) }, context(provider, { logger }).run);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`a submit of ${'b'.repeat(12)} by an earlier build got no answer`);
    expect(warnings[0]).not.toContain('b'.repeat(13));
  });
});

describe('failureOf', () => {
  it('keeps catalogue codes and turns anything else into E_INTERNAL', () => {
    expect(failureOf(Object.assign(new Error('disk'), { code: 'E_IMAGE_DECODE' }), 'local').code).toBe('E_IMAGE_DECODE');
    expect(failureOf(Object.assign(new Error('disk full'), { code: 'ENOSPC' }), 'local')).toEqual({ code: 'E_INTERNAL', message: 'disk full', provider: 'local' });
    expect(failureOf('boom', 'local')).toEqual({ code: 'E_INTERNAL', message: 'boom', provider: 'local' });
  });
});
