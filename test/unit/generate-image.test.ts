import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClaims, type ClaimDeps } from '../../src/cache/claims.js';
import { openCacheStore } from '../../src/cache/store.js';
import { type Sleep, silentLogger } from '../../src/core/deps.js';
import { AbortedError, ProviderError } from '../../src/core/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import type { Generation, GenerationRequest } from '../../src/core/generation.js';
import type { Provider, ProviderContext } from '../../src/providers/types.js';
import { CLAIM_POLL } from '../../src/run/claim-wait.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import { makeImage } from '../helpers/images.js';
import { scriptedProvider } from '../helpers/scripted-provider.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const KEY = 'cd'.repeat(32);
const gen = { key: KEY, request: { key: KEY, model: 'seedream-4.5' } as GenerationRequest, cells: [] } as unknown as Generation;
const proc = (pid: number, dead: number[] = []): ClaimDeps => ({ pid, host: 'h', now: Date.now, isAlive: (p) => !dead.includes(p), staleMs: 60_000 });

function context(provider: Provider, sleep: Sleep, extra: Partial<RunContext> = {}): RunContext {
  const clock = { t: 0, now: () => clock.t };
  return {
    provider,
    cache: openCacheStore(join(dir, 'cache')),
    claims: openClaims(join(dir, 'cache'), proc(1)),
    journal: openJournal(join(dir, 'cache', 'journal'), { pid: 1, host: 'h' }),
    limiter: createAdaptiveLimiter({ max: 2, clock }),
    http: createHttpClient(),
    clock,
    sleep: async (ms, signal) => {
      clock.t += ms;
      await sleep(ms, signal);
    },
    logger: silentLogger,
    signal: new AbortController().signal,
    stop: new AbortController().signal,
    jobTimeoutMs: 60_000,
    onFatal: () => undefined,
    ...extra,
  };
}

const refused = (retryAfterMs?: number) => new ProviderError({ provider: 'runware', category: 'rate_limit', retryAfterMs }, 'runware: queue full');

describe('generateImage', () => {
  it('waits as long as Retry-After asks before queueing a refused submit again', async () => {
    const asked: number[] = [];
    const run = context(scriptedProvider([refused(7_000), refused(12_000), 'image']), async (ms) => void asked.push(ms));
    const outcome = await generateImage(gen, run);
    expect(outcome.kind).toBe('generated');
    expect(asked).toEqual([7_000, 12_000]);
  });

  it('uses the result of another build holding the claim, and never calls the provider', async () => {
    const calls: ProviderContext[] = [];
    const other = await openClaims(join(dir, 'cache'), proc(2)).tryClaim(KEY);
    expect(other.kind).toBe('claimed');
    const asked: number[] = [];
    const run = context(scriptedProvider(['image'], calls), async (ms) => {
      asked.push(ms);
      if (asked.length === 3 && other.kind === 'claimed') {
        // The other build finishes: its image is committed, then its claim released.
        await openCacheStore(join(dir, 'cache')).write({ key: KEY, provider: 'runware', model: 'seedream-4.5', taskId: 'theirs' }, await makeImage(16, 16));
        await other.claim.release();
      }
    });
    const outcome = await generateImage(gen, run);
    expect(outcome.kind).toBe('cached');
    expect(outcome.kind === 'cached' && outcome.meta.taskId).toBe('theirs');
    expect(calls).toHaveLength(0);
    // A capped backoff: growing waits, none past the cap.
    expect(asked).toEqual([CLAIM_POLL.firstMs, CLAIM_POLL.firstMs * 2, CLAIM_POLL.firstMs * 4]);
  });

  it('tries itself when the other build released the claim without a result', async () => {
    const other = await openClaims(join(dir, 'cache'), proc(2)).tryClaim(KEY);
    const run = context(scriptedProvider(['image']), async () => {
      if (other.kind === 'claimed') await other.claim.release();
    });
    const outcome = await generateImage(gen, run);
    expect(outcome.kind).toBe('generated');
  });

  it("resumes the task of a dead build whose claim it takes over", async () => {
    const calls: ProviderContext[] = [];
    await openClaims(join(dir, 'cache'), proc(2)).tryClaim(KEY);
    const dead = openJournal(join(dir, 'cache', 'journal'), { pid: 2, host: 'h' });
    await dead.forJob(KEY, 'runware').submitting('uuid-of-the-dead');
    dead.close();
    const run = context(scriptedProvider(['image'], calls), async () => undefined, { claims: openClaims(join(dir, 'cache'), proc(1, [2])) });
    expect((await generateImage(gen, run)).kind).toBe('generated');
    expect(calls[0]!.journal.prior).toEqual({ taskId: undefined, clientTaskId: 'uuid-of-the-dead' });
  });

  it('gives up waiting at the job deadline, and stops waiting when the build is stopped', async () => {
    await openClaims(join(dir, 'cache'), proc(2)).tryClaim(KEY);
    const timedOut = await generateImage(gen, context(scriptedProvider([]), async () => undefined, { jobTimeoutMs: 5_000 }));
    expect(timedOut.kind === 'failed' && timedOut.failure).toMatchObject({ code: 'E_PROVIDER_TIMEOUT', message: expect.stringMatching(/--job-timeout.*pid 2/) });

    const stop = new AbortController();
    const stopped = await generateImage(gen, context(scriptedProvider([]), async () => stop.abort(), { stop: stop.signal }));
    expect(stopped.kind === 'failed' && stopped.failure.code).toBe('E_INTERRUPTED');
  });

  it('keeps a task open in the journal when the job stops short of its end (a deadline, failing status reads)', async () => {
    const abort = new AbortController();
    const timeout = new ProviderError({ provider: 'runware', category: 'timeout', taskId: 'uuid-1', taskOpen: true }, 'runware: the job deadline passed');
    const run = context(scriptedProvider([timeout]), async () => undefined, { signal: abort.signal });
    await run.journal.forJob(KEY, 'runware').submitted('uuid-1');
    expect((await generateImage(gen, run)).kind).toBe('failed');
    expect(run.journal.prior(KEY)?.taskId).toBe('uuid-1');
  });

  it('keeps a task open in the journal when the job was aborted without the build being stopped (its own timer)', async () => {
    const provider: Provider = {
      ...scriptedProvider([]),
      async generate(_req, ctx) {
        await ctx.journal.submitted('uuid-2');
        throw new AbortedError();
      },
    };
    const run = context(provider, async () => undefined);
    expect((await generateImage(gen, run)).kind).toBe('failed');
    expect(run.signal.aborted).toBe(false);
    expect(run.journal.prior(KEY)?.taskId).toBe('uuid-2');
  });

  it('closes the entry of a task that ended by itself (failed upstream)', async () => {
    const failed = new ProviderError({ provider: 'runware', category: 'transient', taskId: 'uuid-1' }, 'runware: the task failed upstream');
    const run = context(scriptedProvider([failed]), async () => undefined);
    await run.journal.forJob(KEY, 'runware').submitted('uuid-1');
    expect((await generateImage(gen, run)).kind).toBe('failed');
    expect(run.journal.prior(KEY)).toBeUndefined();
  });

  it.each<[string, Error, boolean]>([
    ['an answer lost to a 5xx', new ProviderError({ provider: 'runware', category: 'transient' }, 'runware: HTTP 500 while submitting'), true],
    ['a reset after sending', new ProviderError({ provider: 'runware', category: 'transient', mayHaveReachedServer: true }, 'runware: reset'), true],
    ['a refusal (rate limit)', new ProviderError({ provider: 'runware', category: 'quota' }, 'runware: balance'), false],
    ['a failure before sending', new ProviderError({ provider: 'runware', category: 'transient', mayHaveReachedServer: false }, 'runware: refused'), false],
    ['no answer in time', new ProviderError({ provider: 'runware', category: 'timeout' }, 'runware: no answer in 60 s'), true],
    ['an answer nobody can read', new ProviderError({ provider: 'runware', category: 'unknown' }, 'runware: unreadable answer'), true],
    ['a refusal of the content', new ProviderError({ provider: 'runware', category: 'moderation' }, 'runware: refused content'), false],
    ['an error that is not the provider\'s (a socket hang-up)', new Error('socket hang up'), true],
  ])('after a submit with %s, the entry stays marked unanswered: %s', async (_name, err, kept) => {
    const provider: Provider = {
      ...scriptedProvider([]),
      async generate(_req, ctx) {
        await ctx.journal.submitting();
        throw err;
      },
    };
    const run = context(provider, async () => undefined);
    expect((await generateImage(gen, run)).kind).toBe('failed');
    expect(run.journal.prior(KEY)?.unanswered ?? false).toBe(kept);
  });
});
