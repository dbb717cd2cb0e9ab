import type { Claim, ClaimHolder, Claims } from '../cache/claims.js';
import type { CacheEntry, CacheStore } from '../cache/store.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import { holderText } from '../core/job-facts.js';

/**
 * Who pays for a generation when several builds share a cache: the one holding the key's claim.
 * The others wait for it to end the job (with a capped backoff), then read its result from the
 * cache; if it ended without one, the next one takes the claim and tries itself. A claim the
 * store could not take or read is waited for the same way, until the store answers.
 */

export type Acquired =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  | { readonly kind: 'cached'; readonly entry: CacheEntry }
  | { readonly kind: 'interrupted' }
  /** `unavailable`: the claim store kept failing (why), so the claim could be anyone's. */
  | { readonly kind: 'timeout'; readonly holder?: ClaimHolder; readonly unavailable?: string };

export interface ClaimWaitContext {
  readonly claims: Claims;
  readonly cache: CacheStore;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly stop: AbortSignal;
}

export const CLAIM_POLL = { firstMs: 100, maxMs: 2_000 } as const;

export const describeHolder = (holder: ClaimHolder | undefined): string => holderText(holder);

/** Takes the claim on `key`, or returns what another build made of it. `deadline` is in clock ms. */
export async function acquireClaim(key: string, run: ClaimWaitContext, deadline: number): Promise<Acquired> {
  let waited = false;
  for (let attempt = 0; ; attempt++) {
    if (run.stop.aborted || run.signal.aborted) return { kind: 'interrupted' };
    const result = await run.claims.tryClaim(key);
    if (result.kind === 'claimed') {
      const { claim } = result;
      if (claim.tookOverFrom) run.logger.info(`took over ${key.slice(0, 12)} from ${describeHolder(claim.tookOverFrom)}, which is gone; resuming its task`);
      // The holder ended its job (waited for, or finished between this build's own cache check and
      // this claim): its image is in the cache, unless that job failed.
      const entry = await run.cache.read(key);
      if (!entry) return { kind: 'claimed', claim };
      await claim.release();
      return { kind: 'cached', entry };
    }
    // The claim store already said why it cannot be asked; once per build is enough.
    if (!waited && !result.unavailable) run.logger.info(`${key.slice(0, 12)}: ${describeHolder(result.holder)} is generating it; waiting for its result`);
    waited = true;
    const delay = Math.min(CLAIM_POLL.maxMs, CLAIM_POLL.firstMs * 2 ** Math.min(attempt, 10));
    if (run.clock.now() + delay > deadline) return { kind: 'timeout', holder: result.holder, ...(result.unavailable ? { unavailable: result.unavailable } : {}) };
    try {
      await run.sleep(delay, AbortSignal.any([run.signal, run.stop]));
    } catch {
      return { kind: 'interrupted' };
    }
  }
}
