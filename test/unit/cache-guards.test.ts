import { copyFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClaims, type ClaimDeps } from '../../src/cache/claims.js';
import { parseCacheUrl } from '../../src/cache/objects.js';
import { inShard, parseShard } from '../../src/cache/shard.js';
import { openCacheStore } from '../../src/cache/store.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Cache guards that decide whether an image is paid for again or delivered wrongly: which metadata
 * counts as an entry, when a claim counts as abandoned (exactly at its stale age, whatever its
 * content), and which `--shard` and cache URLs are accepted.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const KEY = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const STALE_MS = 60_000;
const HOUR = 3_600_000;
/** A whole second: the file system stores it exactly, so ages below are exact. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 10 * HOUR;

describe('cache store: what counts as an entry', () => {
  const entry = (key: string) => ({ key, provider: 'runware' as const, model: 'seedream-4.5' as const, taskId: 't1', cost: 0.04 });
  const paths = (key: string) => ({ img: join(dir, 'objects', key.slice(0, 2), `${key}.img`), meta: join(dir, 'objects', key.slice(0, 2), `${key}.json`) });

  it('metadata that names another key is no entry, even beside bytes that match it', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(KEY), await makeImage(16, 16));
    // Another key's files copied under this key: the marker says whose it is.
    await mkdir(join(dir, 'objects', OTHER.slice(0, 2)), { recursive: true });
    copyFileSync(paths(KEY).img, paths(OTHER).img);
    copyFileSync(paths(KEY).meta, paths(OTHER).meta);
    expect(await store.peek(OTHER)).toBeUndefined();
    expect(await store.read(OTHER)).toBeUndefined();
    expect(await store.read(KEY)).toBeDefined();
  });

  it('a same-length edit of the bytes is a miss, and the entry is dropped marker first', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(KEY), await makeImage(16, 16));
    const bytes = readFileSync(paths(KEY).img);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(paths(KEY).img, bytes);
    expect(await store.read(KEY)).toBeUndefined();
    expect(existsSync(paths(KEY).meta)).toBe(false);
    expect(existsSync(paths(KEY).img)).toBe(false);
  });

  it('an unreadable marker is a miss, not a failure', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(KEY), await makeImage(16, 16));
    writeFileSync(paths(KEY).meta, '{"key": "ab');
    expect(await store.peek(KEY)).toBeUndefined();
    expect(await store.read(KEY)).toBeUndefined();
  });
});

describe('local claims: abandoned exactly past the stale age, whatever the file holds', () => {
  const claimFile = () => join(dir, 'claims', `${KEY}.claim`);
  const proc = (pid: number, now: () => number, options: { host?: string; staleMs?: number; dead?: number[] } = {}): ClaimDeps => ({
    pid,
    host: options.host ?? 'h1',
    now,
    isAlive: (p) => !(options.dead ?? []).includes(p),
    staleMs: options.staleMs ?? STALE_MS,
  });
  const setMtime = (file: string, ms: number) => utimesSync(file, new Date(ms), new Date(ms));

  it('an unreadable claim (a taker mid-write on a file system without hard links) is held while fresh, taken over when stale', async () => {
    await mkdir(join(dir, 'claims'), { recursive: true });
    writeFileSync(claimFile(), '');
    setMtime(claimFile(), T0);
    let now = T0 + STALE_MS;
    const taker = openClaims(dir, proc(2, () => now));
    expect(await taker.tryClaim(KEY)).toEqual({ kind: 'held', holder: undefined });
    now += 1;
    const taken = await taker.tryClaim(KEY);
    expect(taken.kind).toBe('claimed');
    expect(JSON.parse(readFileSync(claimFile(), 'utf8'))).toMatchObject({ pid: 2 });
    if (taken.kind === 'claimed') await taken.claim.release();
  });

  it('a released claim that is no longer ours (taken over, or being rewritten) is left in place', async () => {
    const now = () => T0;
    const mine = await openClaims(dir, proc(1, now, { staleMs: HOUR })).tryClaim(KEY);
    if (mine.kind !== 'claimed') throw new Error('expected a claim');
    writeFileSync(claimFile(), '');
    await mine.claim.release();
    expect(existsSync(claimFile())).toBe(true);
  });

  it('a take-over marker is cleared only once older than the stale age', async () => {
    await openClaims(dir, proc(1, () => T0, { staleMs: HOUR })).tryClaim(KEY);
    const { token } = JSON.parse(readFileSync(claimFile(), 'utf8')) as { token: string };
    const marker = `${claimFile()}.takeover-${token}`;
    writeFileSync(marker, '');
    setMtime(claimFile(), T0);
    setMtime(marker, T0);
    let now = T0 + STALE_MS;
    const taker = openClaims(dir, proc(2, () => now, { dead: [1] }));
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    expect(existsSync(marker)).toBe(true);
    now += 1;
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    expect(existsSync(marker)).toBe(false);
    expect((await taker.tryClaim(KEY)).kind).toBe('claimed');
  });
});

describe('--shard i/n', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/2', { index: 2, count: 2 }],
    ['12/16', { index: 12, count: 16 }],
    [' 3/4 ', { index: 3, count: 4 }],
    ['1000/9999', { index: 1000, count: 9999 }],
  ])('%s is accepted', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['0/2', '3/2', '1/0', '0/0', '1/2x', 'x1/2', '1/', '/2', '1-2', '10000/10000', '1/10000', '-1/2'])('%s is refused', (text) => {
    expect(parseShard(text)).toBeUndefined();
  });

  it('puts every key in exactly one shard of n', () => {
    const keys = Array.from({ length: 60 }, (_, i) => (i * 2654435761).toString(16).padStart(8, '0').slice(-8) + 'f'.repeat(56));
    for (const count of [1, 2, 3, 5]) {
      for (const key of keys) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(key, { index, count }));
        expect(owners).toHaveLength(1);
      }
    }
  });
});

describe('cache URLs', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://my.bucket-1/team/a', { bucket: 'my.bucket-1', prefix: 'team/a' }],
    ['  s3://bucket//team/a//  ', { bucket: 'bucket', prefix: 'team/a' }],
  ])('%s is %o', (url, parsed) => {
    expect(parseCacheUrl(url)).toEqual(parsed);
  });

  it.each(['xs3://bucket', 's3://bucket!', 's3://b', 's3://Bucket', 'https://bucket', 's3://-bucket', 's3:/bucket'])('%s is refused', (url) => {
    expect(parseCacheUrl(url)).toBeUndefined();
  });
});
