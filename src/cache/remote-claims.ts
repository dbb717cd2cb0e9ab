import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/deps.js';
import type { Claim, ClaimAttempt, ClaimHolder, Claims } from './claims.js';
import type { ObjectStore } from './objects.js';

/**
 * Claims across machines on the remote store: `claims/<key>.json` created with a conditional write
 * (If-None-Match: *), so of two runners exactly one creates it. The holder rewrites it as a
 * heartbeat (If-Match on its own ETag) and writes its provider task id into it the moment it has
 * one, so a runner that takes over a stale claim (If-Match on the stale ETag: one taker wins)
 * resumes that task instead of paying again. Stores that ignore the condition are found by
 * `probeConditionalWrites` and not used for claims.
 */

interface RemoteHolder extends ClaimHolder {
  /** Wall-clock milliseconds of the last heartbeat. */
  readonly beatAt: number;
}

export interface RemoteClaimDeps {
  readonly pid: number;
  readonly host: string;
  readonly now: () => number;
  readonly staleMs: number;
  readonly logger: Logger;
}

export type ProbeResult = 'honoured' | 'ignored' | 'unavailable';

/** Writes a probe object twice under create-only: a store that honours the header refuses the second. */
export async function probeConditionalWrites(store: ObjectStore): Promise<ProbeResult> {
  const name = `probe/${randomBytes(8).toString('hex')}`;
  try {
    const first = await store.put(name, 'probe', { ifNoneMatch: '*' });
    const second = await store.put(name, 'probe', { ifNoneMatch: '*' });
    await store.delete(name).catch(() => undefined);
    return first.written && !second.written ? 'honoured' : 'ignored';
  } catch {
    return 'unavailable';
  }
}

const claimName = (key: string) => `claims/${key}.json`;
const encode = (h: RemoteHolder) => JSON.stringify(h);

function decode(body: Uint8Array): RemoteHolder | undefined {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8')) as RemoteHolder;
  } catch {
    return undefined;
  }
}

export function openRemoteClaims(store: ObjectStore, deps: RemoteClaimDeps): Claims {
  let warned = false;
  /** A store that fails is no reason to stop: claims fall back to the local ones (and shards). */
  const unclaimed = (err: unknown): ClaimAttempt => {
    if (!warned) deps.logger.warn(`remote claims unavailable (${(err as Error).message}); relying on local claims and shard partitioning`);
    warned = true;
    const holder: ClaimHolder = { pid: deps.pid, host: deps.host, startedAt: deps.now(), token: 'local-only' };
    return { kind: 'claimed', claim: { holder, release: async () => undefined } };
  };

  function held(key: string, mine: RemoteHolder, firstEtag: string | undefined, tookOverFrom?: ClaimHolder): Claim {
    let current = mine;
    let etag = firstEtag;
    let released = false;
    // Serialised rewrites: a heartbeat and a task id never race each other's ETag.
    let chain: Promise<unknown> = Promise.resolve();
    const rewrite = (next: RemoteHolder) =>
      (chain = chain.then(async () => {
        if (released) return;
        const out = await store.put(claimName(key), encode(next), etag ? { ifMatch: etag } : undefined).catch(() => ({ written: false, etag: undefined }));
        if (out.written) {
          current = next;
          etag = out.etag;
        }
      }));
    const beat = setInterval(() => void rewrite({ ...current, beatAt: deps.now() }), Math.max(10, Math.floor(deps.staleMs / 3)));
    beat.unref();
    return {
      holder: mine,
      tookOverFrom,
      async noteTask(provider, taskId) {
        await rewrite({ ...current, provider, taskId, beatAt: deps.now() });
      },
      async release() {
        if (released) return;
        clearInterval(beat);
        await chain;
        released = true;
        const found = await store.get(claimName(key)).catch(() => undefined);
        // Only our own: a claim taken over from us (judged silent) is not ours to drop.
        if (found && decode(found.body)?.token === mine.token) await store.delete(claimName(key)).catch(() => undefined);
      },
    };
  }

  return {
    async tryClaim(key) {
      const mine: RemoteHolder = { pid: deps.pid, host: deps.host, startedAt: deps.now(), beatAt: deps.now(), token: randomBytes(8).toString('hex') };
      try {
        const created = await store.put(claimName(key), encode(mine), { ifNoneMatch: '*' });
        if (created.written) return { kind: 'claimed', claim: held(key, mine, created.etag) };
        const found = await store.get(claimName(key));
        if (!found) return { kind: 'held' }; // released just now: the caller asks again
        const holder = decode(found.body);
        if (holder && deps.now() - holder.beatAt <= deps.staleMs) return { kind: 'held', holder };
        if (!found.etag) return { kind: 'held', holder };
        const taken = await store.put(claimName(key), encode(mine), { ifMatch: found.etag });
        if (!taken.written) return { kind: 'held', holder };
        return { kind: 'claimed', claim: held(key, mine, taken.etag, holder) };
      } catch (err) {
        return unclaimed(err);
      }
    },
  };
}

/** Local claims first (this machine's builds), then the remote ones (other machines'). */
export function combineClaims(local: Claims, remote: Claims): Claims {
  return {
    async tryClaim(key) {
      const near = await local.tryClaim(key);
      if (near.kind === 'held') return near;
      const far = await remote.tryClaim(key);
      if (far.kind === 'held') {
        await near.claim.release();
        return far;
      }
      const claim: Claim = {
        holder: far.claim.holder,
        tookOverFrom: far.claim.tookOverFrom ?? near.claim.tookOverFrom,
        noteTask: far.claim.noteTask,
        async release() {
          await Promise.all([far.claim.release(), near.claim.release()]);
        },
      };
      return { kind: 'claimed', claim };
    },
  };
}
