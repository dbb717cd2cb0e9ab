import type { GeneratedOutcome, ImageOutcome, JobFailure } from '../core/results.js';
import { CacheRejectedError, type CacheStore } from '../cache/store.js';
import { AbortedError, ProviderError, isBuildFatal } from '../core/errors.js';
import { failureOf, jobFailure } from '../core/outcome.js';
import type { Generation, GenerationResult, ProgressEvent } from '../core/generation.js';
import type { Claim, ClaimHolder, Claims } from '../cache/claims.js';
import type { Clock, Logger, Sleep } from '../core/deps.js';
import { backoffDelay } from '../http/retry.js';
import type { HttpClient } from '../http/client.js';
import type { Provider } from '../providers/types.js';
import { acquireClaim } from './claim-wait.js';
import { journalUnderClaim } from './claim-journal.js';
import type { Journal } from './journal.js';
import type { AdaptiveLimiter } from './limiter.js';
import type { SpendLimit } from './spend.js';

export interface RunContext {
  readonly provider: Provider;
  readonly cache: CacheStore;
  /** Cross-process claims: without them, two builds sharing the cache may both pay. */
  readonly claims?: Claims;
  readonly journal: Journal;
  readonly limiter: AdaptiveLimiter;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  /** Hard abort: cancel what is in flight. */
  readonly signal: AbortSignal;
  /** Soft stop (first Ctrl-C, or a fatal provider error): start nothing new. */
  readonly stop: AbortSignal;
  readonly jobTimeoutMs: number;
  /** Times a refused submit is put back in the queue before the job fails. */
  readonly maxRequeues?: number;
  readonly onFatal: (err: ProviderError) => void;
  readonly onProgress?: (key: string, event: ProgressEvent) => void;
  /** The budget this job draws on: checked before each submit, charged with what the provider bills. */
  readonly spend?: SpendLimit;
}

const overBudget = (provider: string, spend: SpendLimit): JobFailure => {
  const stop = spend.stoppedBy();
  return jobFailure('E_BUDGET', { kind: 'stopped', ...(stop ? { spent: stop.spent, limit: stop.limit } : {}) }, provider);
};

const interrupted = (provider: string): JobFailure => jobFailure('E_INTERRUPTED', { kind: 'not-started' }, provider);

/**
 * Generates one image through the provider, stores it in the cache, and never throws. Another
 * build holding the key's claim is waited for and its result used: one generation, one bill.
 */
export async function generateImage(gen: Generation, run: RunContext): Promise<ImageOutcome> {
  const providerName = run.provider.name;
  // A local render costs nothing twice, and waiting would hold one of its CPU slots.
  if (!run.claims || run.provider.cpuBound) return generateClaimed(gen, run);
  const acquired = await acquireClaim(gen.key, { ...run, claims: run.claims }, run.clock.now() + run.jobTimeoutMs);
  switch (acquired.kind) {
    case 'cached':
      return { kind: 'cached', meta: acquired.entry.meta, bytes: acquired.entry.bytes };
    case 'interrupted':
      return { kind: 'failed', failure: interrupted(providerName) };
    case 'timeout':
      return { kind: 'failed', failure: claimTimeout(providerName, acquired.holder, acquired.unavailable) };
    case 'claimed':
      return withClaim(acquired.claim, gen.key, run.journal, () => generateClaimed(gen, { ...run, journal: journalUnderClaim(run.journal, gen.key, providerName, acquired.claim) }));
  }
}

/** Runs `fn` under the claim; a task the job left open keeps its remote claim for a taker to resume. */
async function withClaim<T>(claim: Claim, key: string, journal: Journal, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await claim.release({ keepTask: journal.prior(key)?.taskId !== undefined });
  }
}

const claimTimeout = (provider: string, holder: ClaimHolder | undefined, unavailable?: string): JobFailure =>
  jobFailure('E_PROVIDER_TIMEOUT', unavailable ? { kind: 'store', provider, said: unavailable } : { kind: 'holder', provider, ...(holder ? { holder } : {}) }, provider, { category: 'timeout' });

async function generateClaimed(gen: Generation, run: RunContext): Promise<GeneratedOutcome> {
  const providerName = run.provider.name;
  // Read after the claim: a build that died holding it may have left a task to resume.
  const prior = run.journal.prior(gen.key);
  const possibleDuplicate = Boolean(prior?.unanswered && !prior.clientTaskId && !run.provider.idempotentSubmit);
  if (possibleDuplicate) {
    // RunningHub and RunComfy take no client-chosen id and list no tasks: nothing to look the lost one up by.
    run.logger.warn(
      `${providerName}: a submit of ${gen.key.slice(0, 12)} by an earlier build got no answer, and ${providerName} offers no lookup of a task without its id; submitting it again (the provider may charge both)`,
    );
  }
  const maxRequeues = run.maxRequeues ?? 20;

  for (let requeue = 0; ; requeue++) {
    if (run.stop.aborted || run.signal.aborted) return { kind: 'failed', failure: interrupted(providerName) };
    if (run.spend?.reached()) return { kind: 'failed', failure: overBudget(providerName, run.spend) };
    const attempt = await run.limiter.run(() => attemptOnce(gen, run));
    if (attempt.kind === 'downloaded') {
      const stored = await store(gen, attempt.result, run);
      return stored.kind === 'generated' ? { ...stored, possibleDuplicate } : stored;
    }
    if (attempt.kind === 'failed') return attempt;
    // The provider refused the submit for capacity: wait outside the slot, then queue again.
    if (requeue >= maxRequeues) return { kind: 'failed', failure: failureOf(attempt.error, providerName) };
    try {
      await run.sleep(attempt.error.retryAfterMs ?? backoffDelay(requeue), run.signal);
    } catch {
      return { kind: 'failed', failure: interrupted(providerName) };
    }
  }
}

type Attempt =
  | { kind: 'failed'; failure: JobFailure }
  | { kind: 'downloaded'; result: GenerationResult }
  | { kind: 'refused'; error: ProviderError };

async function attemptOnce(gen: Generation, run: RunContext): Promise<Attempt> {
  const provider = run.provider;
  if (run.stop.aborted || run.signal.aborted) return { kind: 'failed', failure: interrupted(provider.name) };
  // Checked again in the slot: jobs queued behind the limiter must not submit past the limit.
  if (run.spend?.reached()) return { kind: 'failed', failure: overBudget(provider.name, run.spend) };
  const jobJournal = run.journal.forJob(gen.key, provider.name);
  let accepted = false;
  // A submit sent whose task id has not come back: the provider may hold a task we cannot name.
  let unanswered = false;
  const journal = {
    prior: jobJournal.prior,
    async submitting(clientTaskId?: string) {
      unanswered = true;
      await jobJournal.submitting(clientTaskId);
    },
    async submitted(taskId: string) {
      if (!accepted) run.limiter.accepted();
      accepted = true;
      unanswered = false;
      await jobJournal.submitted(taskId);
    },
  };
  // A submit the provider refused for capacity is retried by the adapter after a wait; that wait
  // must not hold a slot the provider's capacity could use for a queued job.
  let refused = false;
  const sleep: Sleep = (ms, signal) => {
    if (!refused || accepted) return run.sleep(ms, signal);
    refused = false;
    return run.limiter.whileWaiting(() => run.sleep(ms, signal));
  };
  try {
    const result = await provider.generate(gen.request, {
      signal: run.signal,
      http: run.http,
      clock: run.clock,
      sleep,
      logger: run.logger,
      journal,
      deadline: run.clock.now() + run.jobTimeoutMs,
      onRateLimited: () => {
        run.limiter.rateLimited();
        if (!accepted) refused = true;
      },
      onProgress: run.onProgress ? (event) => run.onProgress?.(gen.key, event) : undefined,
    });
    // Charged inside the slot: the next queued job checks the limit only after this one counts.
    run.spend?.add(result.cost, result.currency);
    return { kind: 'downloaded', result };
  } catch (err) {
    if (err instanceof ProviderError && err.category === 'rate_limit' && !accepted) {
      run.limiter.rateLimited();
      return { kind: 'refused', error: err };
    }
    // A job that stops while its task is open (aborted, a deadline, status reads that kept
    // failing) leaves the task in the journal: a re-run resumes it. A submit whose answer was lost
    // stays marked unanswered: a re-run looks it up where the provider can, or warns that the
    // provider may have charged twice. Only a task's own end, or a submit the provider refused,
    // closes the entry.
    const open = err instanceof ProviderError && err.taskOpen === true;
    const resumable = err instanceof AbortedError || run.signal.aborted || open || (unanswered && mayHaveCreatedTask(err));
    if (!resumable) run.journal.finish(gen.key, provider.name, 'failed');
    if (err instanceof ProviderError && isBuildFatal(err)) run.onFatal(err);
    return { kind: 'failed', failure: failureOf(err, provider.name) };
  } finally {
    if (accepted) run.limiter.released();
  }
}

/** Whether a submit that failed this way may still have made a task: only a refusal says it did not. */
function mayHaveCreatedTask(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return true;
  if (err.mayHaveReachedServer === false) return false;
  return err.category === 'transient' || err.category === 'timeout' || err.category === 'unknown';
}

/**
 * Caches what was paid for, outside the provider slot (the remote task is over), then closes
 * the journal entry: a crash in between leaves the task id there, and the re-run downloads again.
 */
async function store(gen: Generation, result: GenerationResult, run: RunContext): Promise<GeneratedOutcome> {
  const provider = run.provider.name;
  try {
    // The request's further images first: its own key, written last, says all of them are in.
    // They carry no cost or seed of their own: the request's cost is on its key, counted once.
    const extras = gen.extraImageKeys ?? [];
    for (const [i, key] of extras.entries()) {
      const bytes = result.images?.[i + 1];
      if (bytes) await run.cache.write({ key, provider, model: gen.request.model, taskId: result.taskId }, bytes);
    }
    const meta = await run.cache.write(
      { key: gen.key, provider, model: gen.request.model, taskId: result.taskId, cost: result.cost, seed: result.seed, ...(result.currency ? { currency: result.currency } : {}) },
      result.bytes,
    );
    run.journal.finish(gen.key, provider, 'done');
    return { kind: 'generated', meta, bytes: result.bytes, possibleDuplicate: false };
  } catch (err) {
    if (err instanceof CacheRejectedError) {
      run.journal.finish(gen.key, provider, 'failed');
      return { kind: 'failed', failure: jobFailure('E_CACHE_NOT_IMAGE', { provider, ...err.reason }, provider, { taskId: result.taskId }) };
    }
    return { kind: 'failed', failure: failureOf(err, provider) };
  }
}
