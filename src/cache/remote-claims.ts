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
 * `probeConditionalWrites` and not used for claims. A claim the store fails to take (5xx, a reset,
 * a timeout) is never counted as won: see `unclaimed`.
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
  /**
   * This runner builds one share of a `--shard` partition: no other runner builds its keys, so a
   * claim the store cannot take falls back to the local claims. Without it, it is waited for.
   */
  readonly sharded?: boolean;
  /** Whether a process with this pid runs on this host: a claim left by a dead build here is not waited out. */
  readonly isAlive?: (pid: number) => boolean;
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
  /**
   * Claim attempts that failed without an answer, per key (with the holder a takeover was
   * replacing): the next try reuses the token, so it knows its own claim if the write went through.
   */
  const unanswered = new Map<string, { readonly mine: RemoteHolder; readonly from?: ClaimHolder }>();
  /**
   * A claim whose write or read failed is not won: another runner may hold it. A sharded runner
   * falls back to its local claims (the partition keeps runners apart); any other waits for the
   * store, paying for nothing meanwhile.
   */
  const unclaimed = (err: unknown): ClaimAttempt => {
    const reason = (err as Error)?.message ?? String(err);
    if (!warned) {
      deps.logger.warn(
        deps.sharded
          ? `remote claims unavailable (${reason}); relying on local claims and the --shard partition`
          : `remote claims unavailable (${reason}); waiting for the store before submitting anything another runner may be paying for (with --shard, runners build apart without claims)`,
      );
    }
    warned = true;
    if (!deps.sharded) return { kind: 'held', unavailable: reason };
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
      async release(options) {
        if (released) return;
        clearInterval(beat);
        await chain;
        released = true;
        if (options?.keepTask && current.taskId) return;
        const found = await store.get(claimName(key)).catch(() => undefined);
        // Only our own: a claim taken over from us (judged silent) is not ours to drop.
        if (found && decode(found.body)?.token === mine.token) await store.delete(claimName(key)).catch(() => undefined);
      },
    };
  }

  return {
    async tryClaim(key) {
      const before = unanswered.get(key);
      unanswered.delete(key);
      const mine: RemoteHolder = { ...(before?.mine ?? { pid: deps.pid, host: deps.host, startedAt: deps.now(), token: randomBytes(8).toString('hex') }), beatAt: deps.now() };
      const step = { from: before?.from };
      try {
        return await attempt(key, mine, step);
      } catch (err) {
        unanswered.set(key, { mine, from: step.from });
        return unclaimed(err);
      }
    },
  };

  /** `step.from`: the holder a takeover replaces, recorded before its write leaves. */
  async function attempt(key: string, mine: RemoteHolder, step: { from?: ClaimHolder }): Promise<ClaimAttempt> {
    const created = await store.put(claimName(key), encode(mine), { ifNoneMatch: '*' });
    if (created.written) return { kind: 'claimed', claim: held(key, mine, created.etag) };
    const found = await store.get(claimName(key));
    if (!found) return { kind: 'held' }; // released just now: the caller asks again
    const holder = decode(found.body);
    // Our own earlier write, whose answer was lost: it went through.
    if (holder?.token === mine.token) return { kind: 'claimed', claim: held(key, mine, found.etag, step.from) };
    const deadHere = holder !== undefined && holder.host === deps.host && holder.pid !== deps.pid && deps.isAlive?.(holder.pid) === false;
    if (holder && !deadHere && deps.now() - holder.beatAt <= deps.staleMs) return { kind: 'held', holder };
    if (!found.etag) return { kind: 'held', holder };
    step.from = holder;
    const taken = await store.put(claimName(key), encode(mine), { ifMatch: found.etag });
    if (!taken.written) return { kind: 'held', holder };
    return { kind: 'claimed', claim: held(key, mine, taken.etag, holder) };
  }
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
        async release(options) {
          await Promise.all([far.claim.release(options), near.claim.release()]);
        },
      };
      return { kind: 'claimed', claim };
    },
  };
}
