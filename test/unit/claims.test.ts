import { readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openClaims, type ClaimDeps } from '../../src/cache/claims.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const KEY = 'ab'.repeat(32);
const STALE_MS = 60_000;
const HOUR = 3_600_000;
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
    // A whole second, which the file system stores exactly; the holder beats too rarely to move it.
    let now = Math.floor(Date.now() / 1000) * 1000;
    await openClaims(dir, { ...proc(1, { host: 'h-other' }), staleMs: HOUR }).tryClaim(KEY);
    // The last heartbeat at `now` exactly: the ages below are the taker's clock alone, not the machine's pace.
    utimesSync(claimFile(), new Date(now), new Date(now));
    // pid 1 is "dead" here, but on another host a pid says nothing: only the age counts.
    const taker = openClaims(dir, proc(2, { dead: [1], now: () => now }));
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    // At the stale age exactly: still a live holder.
    now += STALE_MS;
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    now += 1;
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
    await openClaims(dir, { ...proc(1), staleMs: HOUR }).tryClaim(KEY);
    // The marker is named after the abandoned claim's token.
    const { token } = JSON.parse(readFileSync(claimFile(), 'utf8')) as { token: string };
    writeFileSync(`${claimFile()}.takeover-${token}`, '');
    let now = Math.floor(Date.now() / 1000) * 1000;
    for (const file of [claimFile(), `${claimFile()}.takeover-${token}`]) utimesSync(file, new Date(now), new Date(now));
    const taker = openClaims(dir, proc(2, { dead: [1], now: () => now }));
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    now += STALE_MS + 10_000;
    // The first call clears the abandoned marker, the next one takes the claim over.
    expect((await taker.tryClaim(KEY)).kind).toBe('held');
    expect((await taker.tryClaim(KEY)).kind).toBe('claimed');
  });

  it('refreshes the claim file while it is held (heartbeat), and stops on release', async () => {
    // The heartbeat's timer is moved by the test: a beat is due after a third of the stale age.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const claims = openClaims(dir, { ...proc(1), staleMs: 60_000 });
      const r = await claims.tryClaim(KEY);
      const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 600_000);
      utimesSync(claimFile(), past, past);
      vi.advanceTimersByTime(19_999);
      await new Promise((res) => setTimeout(res, 50));
      expect(statSync(claimFile()).mtimeMs).toBe(past.getTime());
      vi.advanceTimersByTime(1);
      // The beat's utimes runs on its own: wait for it, however long a loaded machine takes.
      while (statSync(claimFile()).mtimeMs === past.getTime()) await new Promise((res) => setTimeout(res, 10));
      expect(statSync(claimFile()).mtimeMs).toBeGreaterThan(past.getTime());
      if (r.kind === 'claimed') await r.claim.release();
      expect(vi.getTimerCount()).toBe(0);
      expect(readdirSync(join(dir, 'claims'))).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
