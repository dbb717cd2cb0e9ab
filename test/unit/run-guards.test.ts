import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClaims, type Claim, type ClaimAttempt, type Claims } from '../../src/cache/claims.js';
import { openCacheStore } from '../../src/cache/store.js';
import { silentLogger, type Logger } from '../../src/core/deps.js';
import { messageOf, ProviderError } from '../../src/core/errors.js';
import type { Generation, GenerationRequest } from '../../src/core/generation.js';
import { createHttpClient } from '../../src/http/client.js';
import type { Provider, ProviderContext } from '../../src/providers/types.js';
import { acquireClaim } from '../../src/run/claim-wait.js';
import { journalUnderClaim } from '../../src/run/claim-journal.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import { obtainImage } from '../../src/run/obtain.js';
import { createSpendLimit } from '../../src/run/spend.js';
import { makeImage } from '../helpers/images.js';
import { scriptedProvider } from '../helpers/scripted-provider.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The run stage's guards against paying twice or past a limit, through generateImage and the
 * functions it is made of: claims and the cache read around them, what a job leaves in the
 * journal, the limiter's slots and the spend limit.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const KEY = 'cd'.repeat(32);
const gen = { key: KEY, request: { key: KEY, model: 'seedream-4.5' } as GenerationRequest, cells: [] } as unknown as Generation;
const claimDeps = (pid: number) => ({ pid, host: 'h', now: Date.now, isAlive: () => true, staleMs: 60_000 });

/** The scripted provider at $0.04 an image, calls recorded in `calls`. */
const provider = (calls: ProviderContext[], script: (Error | 'image')[] = ['image']) => scriptedProvider(script, calls, 0.04);

function context(p: Provider, extra: Partial<RunContext> = {}): RunContext {
  const clock = { t: 0, now: () => clock.t };
  return {
    provider: p,
    cache: openCacheStore(join(dir, 'cache')),
    claims: openClaims(join(dir, 'cache'), claimDeps(1)),
    journal: openJournal(join(dir, 'cache', 'journal'), { pid: 1, host: 'h' }),
    limiter: createAdaptiveLimiter({ max: 2, clock }),
    http: createHttpClient(),
    clock,
    sleep: async (ms) => void (clock.t += ms),
    logger: silentLogger,
    signal: new AbortController().signal,
    stop: new AbortController().signal,
    jobTimeoutMs: 60_000,
    onFatal: () => undefined,
    ...extra,
  };
}

describe('generateImage and the claim', () => {
  it('an image another build cached after this one looked, then released its claim, is taken from the cache, not paid again', async () => {
    // This build's own cache check missed; meanwhile the other build committed the image and let go.
    await openCacheStore(join(dir, 'cache')).write({ key: KEY, provider: 'runware', model: 'seedream-4.5', taskId: 'theirs' }, await makeImage(16, 16));
    const calls: ProviderContext[] = [];
    const outcome = await generateImage(gen, context(provider(calls)));
    expect(outcome.kind === 'cached' && outcome.meta.taskId).toBe('theirs');
    expect(calls).toHaveLength(0);
    // And the claim is not kept: the next one to ask gets it.
    expect((await openClaims(join(dir, 'cache'), claimDeps(3)).tryClaim(KEY)).kind).toBe('claimed');
  });

  it('a job that ends with its task open keeps its claim (for another machine to resume); one that ended releases it', async () => {
    const released: (boolean | undefined)[] = [];
    const claims: Claims = {
      async tryClaim(): Promise<ClaimAttempt> {
        const claim: Claim = { holder: { pid: 1, host: 'h', startedAt: 0, token: 't' }, release: async (o) => void released.push(o?.keepTask) };
        return { kind: 'claimed', claim };
      },
    };
    const open = new ProviderError({ provider: 'runware', category: 'transient', taskId: 'task-1', taskOpen: true }, 'runware: status checks kept failing');
    const calls: ProviderContext[] = [];
    const failing = provider(calls, [open]);
    // The provider reports its task id, then fails watching it.
    failing.generate = async (_req, ctx) => {
      calls.push(ctx);
      await ctx.journal.submitting();
      await ctx.journal.submitted('task-1');
      throw open;
    };
    expect((await generateImage(gen, context(failing, { claims }))).kind).toBe('failed');
    expect(await generateImage({ ...gen, key: 'ef'.repeat(32) }, context(provider([]), { claims }))).toMatchObject({ kind: 'generated' });
    expect(released).toEqual([true, false]);
  });
});

describe('acquireClaim', () => {
  const waitContext = (claims: Claims, logger: Logger = silentLogger, stop = new AbortController()) => {
    const clock = { t: 0, now: () => clock.t };
    const sleeps: number[] = [];
    return {
      sleeps,
      clock,
      run: {
        claims,
        cache: openCacheStore(join(dir, 'cache')),
        clock,
        sleep: async (ms: number, signal?: AbortSignal) => {
          if (signal?.aborted) throw signal.reason;
          sleeps.push(ms);
          clock.t += ms;
        },
        logger,
        signal: new AbortController().signal,
        stop: stop.signal,
      },
    };
  };
  const SOMEONE = { pid: 2, host: 'h', startedAt: 0, token: 'x' };
  const heldBy = (holder: typeof SOMEONE | undefined = SOMEONE, unavailable?: string): Claims => ({ tryClaim: async () => ({ kind: 'held', holder, ...(unavailable ? { unavailable } : {}) }) });

  it('waits until the deadline exactly, never past it', async () => {
    const w = waitContext(heldBy());
    // 100 + 200 + 400 + 800 = 1,500: a deadline of 1,500 allows all four waits, 1,499 only three.
    expect(await acquireClaim(KEY, w.run, 1_500)).toMatchObject({ kind: 'timeout', holder: { pid: 2 } });
    expect(w.sleeps).toEqual([100, 200, 400, 800]);
    const v = waitContext(heldBy());
    await acquireClaim(KEY, v.run, 1_499);
    expect(v.sleeps).toEqual([100, 200, 400]);
    const late = waitContext(heldBy());
    late.clock.t = 10_000;
    await acquireClaim(KEY, late.run, 10_100);
    expect(late.sleeps).toEqual([100]);
  });

  it('a claim store that keeps failing is waited out as unavailable, said once by the store, not per key', async () => {
    const infos: string[] = [];
    const logger = { ...silentLogger, info: (m: string) => void infos.push(m) };
    const w = waitContext({ tryClaim: async () => ({ kind: 'held', unavailable: 'HTTP 503' }) }, logger);
    expect(await acquireClaim(KEY, w.run, 1_000)).toEqual({ kind: 'timeout', unavailable: 'HTTP 503' });
    expect(infos).toEqual([]);
    const h = waitContext(heldBy(), logger);
    await acquireClaim(KEY, h.run, 1_000);
    expect(infos).toHaveLength(1);
  });

  it('a stop while waiting ends the wait as interrupted', async () => {
    const stop = new AbortController();
    const w = waitContext(heldBy(), silentLogger, stop);
    // The stop (a Ctrl-C) comes while the wait sleeps: the sleep's signal must carry it, or the wait sleeps on.
    let woken = false;
    w.run.sleep = async (_ms, signal) => {
      stop.abort();
      woken = signal?.aborted === true;
      if (woken) throw new Error('aborted');
    };
    expect(await acquireClaim(KEY, w.run, 60_000)).toEqual({ kind: 'interrupted' });
    expect(woken).toBe(true);
  });
});

describe('journalUnderClaim', () => {
  it('the task a runner on another machine started becomes this generation\'s prior attempt, for its provider only', async () => {
    const journal = openJournal(join(dir, 'journal'), { pid: 1, host: 'h' });
    const noted: string[] = [];
    const claim: Claim = {
      holder: { pid: 1, host: 'h', startedAt: 0, token: 'mine' },
      tookOverFrom: { pid: 9, host: 'other', startedAt: 0, token: 'theirs', provider: 'runninghub', taskId: 'task-9' },
      release: async () => undefined,
      noteTask: async (p, t) => void noted.push(`${p}:${t}`),
    };
    const under = journalUnderClaim(journal, KEY, 'runninghub', claim);
    expect(under.prior(KEY)).toMatchObject({ key: KEY, provider: 'runninghub', taskId: 'task-9', unanswered: false });
    expect(under.prior('ef'.repeat(32))).toBeUndefined();
    const job = under.forJob(KEY, 'runninghub');
    expect(job.prior).toEqual({ taskId: 'task-9' });
    expect(under.forJob('ef'.repeat(32), 'runninghub').prior).toBeUndefined();
    await job.submitted('task-10');
    expect(noted).toEqual(['runninghub:task-10']);
    expect(journal.prior(KEY)).toMatchObject({ taskId: 'task-10' });
    // Another provider's task is not this provider's to resume.
    expect(journalUnderClaim(journal, 'ab'.repeat(32), 'runware', claim).prior('ab'.repeat(32))).toBeUndefined();
    // A local claim (no noteTask) leaves the journal as it is.
    const local = { ...claim, noteTask: undefined };
    expect(journalUnderClaim(journal, KEY, 'runninghub', local)).toBe(journal);
    journal.close();
  });
});

describe('the adaptive limiter', () => {
  const clockAt = (t: number) => {
    const c = { t, now: () => c.t };
    return c;
  };

  it('drops to the tasks the provider holds (not half) when it signals its limit, counting only tasks still running', () => {
    const limiter = createAdaptiveLimiter({ max: 32, clock: clockAt(0) });
    for (let i = 0; i < 5; i++) limiter.accepted();
    limiter.released();
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(4);
    // More releases than accepts never make the count negative: then nothing is known to run, so halve.
    const other = createAdaptiveLimiter({ max: 32, clock: clockAt(0) });
    other.released();
    other.rateLimited();
    expect(other.concurrency).toBe(16);
  });

  it('probes one slot higher after the quiet time, measured from the last change, on a clock that does not start at 0', () => {
    const clock = clockAt(1_000_000);
    const limiter = createAdaptiveLimiter({ max: 4, clock, probeAfterMs: 1_000 });
    limiter.rateLimited();
    expect(limiter.concurrency).toBe(2);
    clock.t += 999;
    void limiter.run(async () => undefined);
    expect(limiter.concurrency).toBe(2);
    clock.t += 1;
    void limiter.run(async () => undefined);
    expect(limiter.concurrency).toBe(3);
  });

  it('a job waiting out a refusal gives its slot to a queued job, then goes ahead of jobs not yet started', async () => {
    const limiter = createAdaptiveLimiter({ max: 1, clock: clockAt(0) });
    const order: string[] = [];
    let endWait!: () => void;
    const waiting = new Promise<void>((r) => (endWait = r));
    let bStarted!: () => void;
    const bRunning = new Promise<void>((r) => (bStarted = r));
    let endB!: () => void;
    const bDone = new Promise<void>((r) => (endB = r));
    const a = limiter.run(async () => {
      order.push('a');
      await limiter.whileWaiting(() => waiting);
      order.push('a again');
    });
    const b = limiter.run(async () => {
      order.push('b');
      bStarted();
      await bDone;
    });
    await bRunning;
    const c = limiter.run(async () => void order.push('c'));
    endWait();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a', 'b']);
    endB();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'a again', 'c']);
  });
});

describe('the spend limit', () => {
  it('is reached exactly at the limit, in USD, rounded to the micro-dollar', () => {
    const spend = createSpendLimit({ limit: 0.3 });
    spend.add(0.1, 'USD');
    spend.add(0.1, 'USD');
    expect(spend.reached()).toBe(false);
    expect(spend.stoppedBy()).toBeUndefined();
    spend.add(0.1, 'USD');
    expect(spend.spent()).toBe(0.3);
    expect(spend.reached()).toBe(true);
    expect(spend.stoppedBy()).toEqual({ limit: 0.3, spent: 0.3 });
  });

  it('a cost in another unit, or none, counts at the model\'s price; with no price, nothing', () => {
    const spend = createSpendLimit({ limit: 1, price: 0.04 });
    spend.add(7, 'credits');
    spend.add(undefined);
    spend.add(undefined, 'USD');
    spend.add(0.5, 'USD');
    expect(spend.spent()).toBe(0.62);
    const unpriced = createSpendLimit({ limit: 1 });
    unpriced.add(undefined);
    unpriced.add(3, 'credits');
    expect(unpriced.spent()).toBe(0);
    expect(createSpendLimit().reached()).toBe(false);
  });

  it('a campaign\'s spending counts against the build\'s limit; either limit stops the campaign, and says which', () => {
    const build = createSpendLimit({ limit: 0.1 });
    const campaign = createSpendLimit({ limit: 1, price: 0.04, parent: build });
    campaign.add(7, 'credits');
    campaign.add(0.05, 'USD');
    expect(build.spent()).toBe(0.09);
    expect(campaign.reached()).toBe(false);
    campaign.add(0.01, 'USD');
    expect(build.reached()).toBe(true);
    expect(campaign.reached()).toBe(true);
    expect(campaign.stoppedBy()).toEqual({ limit: 0.1, spent: 0.1 });
    const tight = createSpendLimit({ limit: 0.02, parent: createSpendLimit({ limit: 5 }) });
    tight.add(0.02, 'USD');
    expect(tight.stoppedBy()).toEqual({ limit: 0.02, spent: 0.02 });
  });
});

describe('obtainImage: where an image may come from', () => {
  it('an approved pick is taken from the cache, bytes and metadata, and never sent to the provider', async () => {
    const bytes = await makeImage(16, 16);
    await openCacheStore(join(dir, 'cache')).write({ key: KEY, provider: 'runware', model: 'seedream-4.5', taskId: 'picked' }, bytes);
    const calls: ProviderContext[] = [];
    const outcome = await obtainImage(gen, 'approved', context(provider(calls)));
    expect(outcome).toMatchObject({ kind: 'cached', meta: { key: KEY, taskId: 'picked' } });
    expect(outcome.kind === 'cached' && Buffer.from(outcome.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('an approved pick the cache lost is a miss that says how to make candidates again, not a payment', async () => {
    const calls: ProviderContext[] = [];
    const outcome = await obtainImage(gen, 'approved', context(provider(calls)));
    expect(outcome).toEqual({ kind: 'failed', failure: { code: 'E_CACHE_MISS', message: messageOf('E_CACHE_MISS', { kind: 'approved' }), provider: 'runware' } });
    expect(calls).toHaveLength(0);
  });

  it('assemble (cache-only) on a miss says so in its own words, never paying', async () => {
    const calls: ProviderContext[] = [];
    const outcome = await obtainImage(gen, 'cache-only', context(provider(calls)));
    expect(outcome).toEqual({ kind: 'failed', failure: { code: 'E_CACHE_MISS', message: messageOf('E_CACHE_MISS', { kind: 'assemble' }), provider: 'runware' } });
    expect(calls).toHaveLength(0);
  });

  it('a build asks the provider', async () => {
    const calls: ProviderContext[] = [];
    expect(await obtainImage(gen, 'provider', context(provider(calls)))).toMatchObject({ kind: 'generated' });
    expect(calls).toHaveLength(1);
  });
});
