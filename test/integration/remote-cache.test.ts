import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { layerCache } from '../../src/cache/layered.js';
import { combineClaims, openRemoteClaims, probeConditionalWrites } from '../../src/cache/remote-claims.js';
import { openS3Store } from '../../src/cache/s3.js';
import { openCacheStore } from '../../src/cache/store.js';
import type { Claims } from '../../src/cache/claims.js';
import type { Logger } from '../../src/core/deps.js';
import { tempDir } from '../helpers/tmp.js';
import { BUCKET, S3_ENV, startS3 } from '../helpers/s3.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

let png: Uint8Array;
beforeAll(async () => {
  png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } }).png().toBuffer();
});

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error: (m: string) => void warnings.push(m) } as Logger & { warnings: string[] };
}

async function setUp(conditional: boolean) {
  const s3 = await startS3({ conditional });
  cleanups.push(() => s3.close());
  const store = await openS3Store({ location: { bucket: BUCKET, prefix: 'team/a' }, endpoint: s3.endpoint, env: S3_ENV, requestTimeoutMs: 3000 });
  return { s3, store };
}

async function localCache() {
  const { dir, cleanup } = await tempDir('pressroom-remote-');
  cleanups.push(cleanup);
  return openCacheStore(dir);
}

const entry = (key: string) => ({ key, provider: 'runninghub', model: 'seedream-4.0', taskId: 't-1', cost: 0.03 }) as const;
const KEY = 'ab'.repeat(32);

describe('the conditional-write probe', () => {
  it('finds that s3rver ignores If-None-Match (a second create-only PUT overwrites)', async () => {
    const { store } = await setUp(false);
    expect(await probeConditionalWrites(store)).toBe('ignored');
  });
  it('finds the precondition layer honouring it', async () => {
    const { store } = await setUp(true);
    expect(await probeConditionalWrites(store)).toBe('honoured');
  });
  it('reports a store that refuses every request as unavailable', async () => {
    const { s3, store } = await setUp(true);
    s3.fault = '403';
    expect(await probeConditionalWrites(store)).toBe('unavailable');
  });
});

describe('the local cache in front of the remote one', () => {
  it('writes back to the remote, and another machine reads it through, verified', async () => {
    const { store } = await setUp(false);
    const logger = recorder();
    const a = layerCache(await localCache(), store, logger);
    const meta = await a.write(entry(KEY), png);
    expect((await store.list('objects/')).sort()).toEqual([`objects/${KEY}.img`, `objects/${KEY}.json`]);

    const bLocal = await localCache();
    const b = layerCache(bLocal, store, logger);
    expect(await b.peek(KEY)).toMatchObject({ key: KEY, sha256: meta.sha256 });
    const read = await b.read(KEY);
    expect(Buffer.from(read!.bytes).equals(Buffer.from(png))).toBe(true);
    // Filled locally: the next read needs no store at all.
    expect(await bLocal.read(KEY)).toBeDefined();
    expect(logger.warnings).toEqual([]);
  });

  it('treats a remote entry whose bytes do not match its hash as a miss', async () => {
    const { store } = await setUp(false);
    const logger = recorder();
    await layerCache(await localCache(), store, logger).write(entry(KEY), png);
    await store.put(`objects/${KEY}.img`, Buffer.concat([Buffer.from(png), Buffer.from('x')]));
    const bLocal = await localCache();
    expect(await layerCache(bLocal, store, logger).read(KEY)).toBeUndefined();
    expect(await bLocal.peek(KEY)).toBeUndefined();
    expect(logger.warnings.join('\n')).toMatch(/does not match its hash/);
  });

  it('refuses a forgery of the same length: the hash, not the size, decides, and nothing reaches the local cache', async () => {
    const { store } = await setUp(false);
    const logger = recorder();
    await layerCache(await localCache(), store, logger).write(entry(KEY), png);
    // One byte of the pixel data changed: same length, same header, still an image to a metadata read.
    const forged = Buffer.from(png);
    forged[forged.length - 20]! ^= 0x5a;
    expect((await sharp(forged).metadata()).width).toBe(8);
    await store.put(`objects/${KEY}.img`, forged);
    const bLocal = await localCache();
    expect(await layerCache(bLocal, store, logger).read(KEY)).toBeUndefined();
    expect(await bLocal.peek(KEY)).toBeUndefined();
    expect(logger.warnings.join('\n')).toMatch(/does not match its hash/);
  });

  it.each(['5xx', '403', 'down', 'slow'] as const)('a store failing with %s mid-build: the image is kept locally, said once, and uploaded by the next build', async (fault) => {
    const { s3, store } = await setUp(false);
    const logger = recorder();
    const local = await localCache();
    const first = layerCache(local, store, logger);
    await first.write(entry(KEY), png);
    s3.fault = fault;
    const other = 'cd'.repeat(32);
    const third = 'ef'.repeat(32);
    await first.write(entry(other), png);
    await first.write(entry(third), png);
    expect(first.online).toBe(false);
    expect(await first.read(other)).toBeDefined();
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/continuing with the local cache only/);
    expect(readdirSync(join(local.dir, 'upload-pending')).sort()).toEqual([other, third].sort());

    s3.fault = 'none';
    const next = layerCache(local, store, recorder());
    expect(await next.uploadPending()).toBe(2);
    expect(existsSync(join(local.dir, 'upload-pending', other))).toBe(false);
    expect(await layerCache(await localCache(), store, logger).read(third)).toBeDefined();
  });
});

describe('claims on the remote store', () => {
  // Every runner reads one clock the test moves: claim ages are never the machine's pace.
  const NOW = 1_700_000_000_000;
  const deps = (host: string, staleMs = 60_000) => ({ pid: 1, host, now: () => NOW, staleMs, logger: recorder() });

  it('of two runners claiming one key, exactly one wins', async () => {
    const { store } = await setUp(true);
    const [a, b] = [openRemoteClaims(store, deps('a')), openRemoteClaims(store, deps('b'))];
    const attempts = await Promise.all([a.tryClaim(KEY), b.tryClaim(KEY), a.tryClaim(KEY), b.tryClaim(KEY)]);
    expect(attempts.filter((x) => x.kind === 'claimed')).toHaveLength(1);
    const won = attempts.find((x) => x.kind === 'claimed');
    if (won?.kind !== 'claimed') throw new Error('unreachable');
    await won.claim.release();
    expect((await a.tryClaim(KEY)).kind).toBe('claimed');
  });

  it('a stale claim is taken over by one runner, with the task id its holder noted', async () => {
    const { store } = await setUp(true);
    // The takers' clock jumps past the stale age: to them the holder fell silent (killed).
    let skew = 0;
    const later = (host: string) => ({ ...deps(host), now: () => NOW + skew });
    const holder = await openRemoteClaims(store, deps('dead')).tryClaim(KEY);
    if (holder.kind !== 'claimed') throw new Error('expected a claim');
    await holder.claim.noteTask?.('runninghub', 'task-42');
    const takers = [openRemoteClaims(store, later('b')), openRemoteClaims(store, later('c'))];
    expect((await takers[0]!.tryClaim(KEY)).kind).toBe('held');
    // Up to the stale age without a heartbeat is still a live holder.
    skew = 30_000;
    expect((await takers[0]!.tryClaim(KEY)).kind).toBe('held');
    skew = 60_000;
    expect((await takers[0]!.tryClaim(KEY)).kind).toBe('held');
    skew = 60_001;
    const results = await Promise.all(takers.map((t) => t.tryClaim(KEY)));
    const won = results.filter((x) => x.kind === 'claimed');
    expect(won).toHaveLength(1);
    if (won[0]?.kind !== 'claimed') throw new Error('unreachable');
    expect(won[0].claim.tookOverFrom).toMatchObject({ host: 'dead', provider: 'runninghub', taskId: 'task-42' });
    // The old holder's release does not drop the taker's claim.
    await holder.claim.release();
    skew = 0;
    expect((await takers[1]!.tryClaim(KEY)).kind).toBe('held');
    await won[0].claim.release();
  });

  it('a claim the store cannot take is not won: held (wait) with one warning, or local claims for a sharded runner', async () => {
    const { s3, store } = await setUp(true);
    s3.fault = '5xx';
    let released = 0;
    const local: Claims = { tryClaim: async () => ({ kind: 'claimed', claim: { holder: { pid: 1, host: 'a', startedAt: 0, token: 'l' }, release: async () => void released++ } }) };
    const d = deps('a');
    const claims = combineClaims(local, openRemoteClaims(store, d));
    expect(await claims.tryClaim(KEY)).toMatchObject({ kind: 'held', unavailable: expect.stringMatching(/HTTP 503/) });
    expect((await claims.tryClaim('cd'.repeat(32))).kind).toBe('held');
    expect(released).toBe(2);
    expect(d.logger.warnings).toHaveLength(1);
    expect(d.logger.warnings[0]).toMatch(/waiting for the store/);

    const sharded = { ...deps('b'), sharded: true };
    const shardClaims = combineClaims(local, openRemoteClaims(store, sharded));
    expect((await shardClaims.tryClaim(KEY)).kind).toBe('claimed');
    expect(sharded.logger.warnings[0]).toMatch(/relying on local claims and the --shard partition/);
  });

  it('a job that ends with its task open leaves the claim, task id and all, for another machine to take over and resume', async () => {
    const { store } = await setUp(true);
    const holder = await openRemoteClaims(store, deps('a')).tryClaim(KEY);
    if (holder.kind !== 'claimed') throw new Error('expected a claim');
    await holder.claim.noteTask?.('runninghub', 'task-7');
    await holder.claim.release({ keepTask: true });
    let skew = 0;
    const taker = openRemoteClaims(store, { ...deps('b'), now: () => NOW + skew });
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    skew = 120_000;
    const taken = await taker.tryClaim(KEY);
    expect(taken.kind === 'claimed' && taken.claim.tookOverFrom).toMatchObject({ provider: 'runninghub', taskId: 'task-7' });
  });

  it('a claim left by a dead build on this very host is taken over at once', async () => {
    const { store } = await setUp(true);
    const holder = await openRemoteClaims(store, { ...deps('h'), pid: 5 }).tryClaim(KEY);
    if (holder.kind !== 'claimed') throw new Error('expected a claim');
    await holder.claim.noteTask?.('runcomfy', 'task-8');
    await holder.claim.release({ keepTask: true });
    const alive = openRemoteClaims(store, { ...deps('h'), pid: 6, isAlive: () => true });
    expect((await alive.tryClaim(KEY)).kind).toBe('held');
    const taken = await openRemoteClaims(store, { ...deps('h'), pid: 6, isAlive: (pid) => pid !== 5 }).tryClaim(KEY);
    expect(taken.kind === 'claimed' && taken.claim.tookOverFrom).toMatchObject({ pid: 5, taskId: 'task-8' });
  });

  it('a claim write whose answer was lost is known as ours on the next try, not waited out as another runner\'s', async () => {
    const { store } = await setUp(true);
    let lose = true;
    const lossy: typeof store = {
      ...store,
      async put(name, body, condition) {
        const out = await store.put(name, body, condition);
        if (lose && name.startsWith('claims/')) {
          lose = false;
          throw new Error('socket hang up');
        }
        return out;
      },
    };
    const claims = openRemoteClaims(lossy, deps('a'));
    expect((await claims.tryClaim(KEY)).kind).toBe('held');
    const again = await claims.tryClaim(KEY);
    expect(again.kind).toBe('claimed');
    // Another runner still finds it held.
    expect((await openRemoteClaims(store, deps('b')).tryClaim(KEY)).kind).toBe('held');
    if (again.kind === 'claimed') await again.claim.release();
  });
});
