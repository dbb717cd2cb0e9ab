import { readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openClaims, type ClaimDeps } from '../../src/cache/claims.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const KEY = 'ab'.repeat(32);
const STALE_MS = 60_000;
/** A process `pid` on `host`; `dead` lists pids that no longer run on any host's view of this one. */
function proc(pid: number, options: { host?: string; dead?: readonly number[]; now?: () => number } = {}): ClaimDeps {
  return { pid, host: options.host ?? 'h1', now: options.now ?? Date.now, isAlive: (p) => !(options.dead ?? []).includes(p), staleMs: STALE_MS };
}
const claimFile = () => join(dir, 'claims', `${KEY}.claim`);

describe('claims', () => {
  it('gives a key to one process at a time and names the holder to the others', async () => {
    const a = openClaims(dir, proc(1));
    const b = openClaims(dir, proc(2));
    const first = await a.tryClaim(KEY);
    expect(first.kind).toBe('claimed');
    const second = await b.tryClaim(KEY);
    expect(second).toMatchObject({ kind: 'held', holder: { pid: 1, host: 'h1' } });
    if (first.kind === 'claimed') await first.claim.release();
    expect((await b.tryClaim(KEY)).kind).toBe('claimed');
  });

  it('lets exactly one of many simultaneous processes claim a free key', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((pid) => openClaims(dir, proc(pid)).tryClaim(KEY)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    // No temporary or marker files are left behind.
    expect(readdirSync(join(dir, 'claims'))).toEqual([`${KEY}.claim`]);
  });

  it('takes over the claim of a dead process on the same host, and says from whom', async () => {
    await openClaims(dir, proc(1)).tryClaim(KEY);
    const taker = await openClaims(dir, proc(2, { dead: [1] })).tryClaim(KEY);
    expect(taker.kind).toBe('claimed');
    expect(taker.kind === 'claimed' && taker.claim.tookOverFrom?.pid).toBe(1);
  });

  it('waits for a live claim on another host until its heartbeat is older than the stale age', async () => {
    let now = Date.now();
    await openClaims(dir, proc(1, { host: 'h-other' })).tryClaim(KEY);
    // pid 1 is "dead" here, but on another host a pid says nothing: only the age counts.
    const taker = openClaims(dir, proc(2, { dead: [1], now: () => now }));
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    // Just under the stale age: still a live holder.
    now += STALE_MS - 1_000;
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    now += 11_000;
    expect((await taker.tryClaim(KEY)).kind).toBe('claimed');
  });

  it('lets exactly one of two simultaneous takers replace a dead claim', async () => {
    await openClaims(dir, proc(1)).tryClaim(KEY);
    const takers = [2, 3, 4, 5].map((pid) => openClaims(dir, proc(pid, { dead: [1] })));
    const results = await Promise.all(takers.map((t) => t.tryClaim(KEY)));
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(readdirSync(join(dir, 'claims'))).toEqual([`${KEY}.claim`]);
  });

  it('does not release a claim that was taken over from it', async () => {
    const slow = await openClaims(dir, proc(1, { host: 'h-other' })).tryClaim(KEY);
    utimesSync(claimFile(), new Date(Date.now() - 2 * STALE_MS), new Date(Date.now() - 2 * STALE_MS));
    const taker = await openClaims(dir, proc(2)).tryClaim(KEY);
    expect(taker.kind).toBe('claimed');
    if (slow.kind === 'claimed') await slow.claim.release();
    expect((await openClaims(dir, proc(3)).tryClaim(KEY))).toMatchObject({ kind: 'held', holder: { pid: 2 } });
  });

  it('clears a take-over marker left by a taker that died mid-take-over once it is stale', async () => {
    await openClaims(dir, proc(1)).tryClaim(KEY);
    // The marker is named after the abandoned claim's token.
    const { token } = JSON.parse(readFileSync(claimFile(), 'utf8')) as { token: string };
    writeFileSync(`${claimFile()}.takeover-${token}`, '');
    let now = Date.now();
    const taker = openClaims(dir, proc(2, { dead: [1], now: () => now }));
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    now += STALE_MS + 10_000;
    // The first call clears the abandoned marker, the next one takes the claim over.
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    expect((await taker.tryClaim(KEY)).kind).toBe('claimed');
  });

  it('refreshes the claim file while it is held (heartbeat), and stops on release', async () => {
    const claims = openClaims(dir, { ...proc(1), staleMs: 60 });
    const r = await claims.tryClaim(KEY);
    const past = new Date(Date.now() - 10_000);
    utimesSync(claimFile(), past, past);
    const end = Date.now() + 5_000;
    while (statSync(claimFile()).mtimeMs <= past.getTime() && Date.now() < end) await new Promise((res) => setTimeout(res, 10));
    expect(statSync(claimFile()).mtimeMs).toBeGreaterThan(past.getTime());
    if (r.kind === 'claimed') await r.claim.release();
    expect(readdirSync(join(dir, 'claims'))).toEqual([]);
  });
});
