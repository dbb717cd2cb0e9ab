import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { openCacheStore } from '../../src/cache/store.js';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import type { Generation } from '../../src/core/generation.js';
import type { Provider, ProviderContext } from '../../src/providers/types.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import type { Figure } from '../lib/figures.js';
import { makeGenerations, NO_JOURNAL, providerFor } from '../lib/providers.js';
import { startRemoteEmulator, type EmulatedProvider, type RemoteEmulator } from '../lib/remote-emulator.js';
import { round } from '../lib/stats.js';
import { submitLedger } from '../lib/submit-ledger.js';

export interface OrchestrationOptions {
  readonly provider: EmulatedProvider;
  readonly jobs: number;
  readonly latencyMs: number;
  /** The emulated provider's concurrency cap. */
  readonly cap: number;
  /** What ours (and the fixed reference) start with: above the cap, so ours must adapt. */
  readonly concurrency: number;
  /** Jobs the sequential reference really runs (its total is extrapolated); 0 skips it. */
  readonly sequentialSample: number;
  /** Runs of ours; the median is the figure (the run stage shares two cores with the emulator). */
  readonly repeats: number;
  readonly pollIntervalMs: number;
  readonly workDir: string;
  /** Hard bound on each run. */
  readonly budgetMs: number;
}

/**
 * The CLI's default job timeout. Not the bench budget: RunningHub requests take
 * min(limit, deadline - now) as their timeout, which is fractional with a real clock once the
 * deadline is near, and AbortSignal.timeout rejects fractions (see the bench README).
 */
const JOB_TIMEOUT_MS = 1_200_000;

interface RunFigures {
  readonly wallMs: number;
  readonly failed: number;
  readonly submits: number;
  readonly refused: number;
  readonly refusedAfterFirstSignal: number;
  readonly settledConcurrency?: number;
}

async function withEmulator<T>(o: OrchestrationOptions, fn: (emulator: RemoteEmulator) => Promise<T>): Promise<T> {
  const emulator = await startRemoteEmulator({ provider: o.provider, apiKey: 'bench-key-not-a-secret', latencyMs: o.latencyMs, maxActiveTasks: o.cap });
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

/** Aborts `controller` after `ms`, so a stuck run ends the bench instead of hanging it. */
function watchdog(controller: AbortController, ms: number): () => void {
  // Every request and sleep of every job listens to this one signal; Node warns past 10 listeners.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new Error(`bench run exceeded ${ms} ms`)), ms);
  return () => clearTimeout(timer);
}

/** Ours: the real run stage (adaptive limiter + generateImage + cache + journal). */
async function runOurs(o: OrchestrationOptions, dir: string): Promise<RunFigures> {
  return withEmulator(o, async (emulator) => {
    const provider = providerFor(emulator, o.pollIntervalMs);
    const http = createHttpClient({ defaultTimeoutMs: 30_000 });
    const ledger = submitLedger(http, o.provider);
    const limiter = createAdaptiveLimiter({ max: o.concurrency, clock: systemClock });
    const journal = openJournal(join(dir, 'journal.jsonl'));
    const abort = new AbortController();
    const stop = new AbortController();
    const run: RunContext = {
      provider,
      cache: openCacheStore(join(dir, 'cache')),
      journal,
      limiter,
      http: ledger.http,
      clock: systemClock,
      sleep: realSleep,
      logger: silentLogger,
      signal: abort.signal,
      stop: stop.signal,
      jobTimeoutMs: JOB_TIMEOUT_MS,
      onFatal: () => stop.abort(),
    };
    const gens = makeGenerations(provider, o.jobs, `ours-${o.provider}`);
    const cancel = watchdog(abort, o.budgetMs);
    const started = performance.now();
    try {
      const outcomes = await Promise.all(gens.map((g) => generateImage(g, run)));
      const wallMs = performance.now() - started;
      const s = ledger.summary();
      return {
        wallMs,
        failed: outcomes.filter((x) => x.kind === 'failed').length,
        submits: s.submits,
        refused: s.refused,
        refusedAfterFirstSignal: s.refusedAfterFirstSignal,
        settledConcurrency: limiter.concurrency,
      };
    } finally {
      cancel();
      await journal.compact();
      await http.close();
    }
  });
}

function referenceContext(http: ProviderContext['http'], signal: AbortSignal): ProviderContext {
  return {
    signal,
    http,
    clock: systemClock,
    sleep: realSleep,
    logger: silentLogger,
    journal: NO_JOURNAL,
    // Ignores the limit signal: only the adapter's own retry (with Retry-After) happens.
    onRateLimited: () => {},
    deadline: systemClock.now() + JOB_TIMEOUT_MS,
  };
}

/** Generate and store `gens` with a fixed p-limit, no adaptation: what a plain script would do. */
async function runFixed(o: OrchestrationOptions, dir: string, gens: (p: Provider) => Generation[], concurrency: number): Promise<RunFigures> {
  return withEmulator(o, async (emulator) => {
    const provider = providerFor(emulator, o.pollIntervalMs);
    const http = createHttpClient({ defaultTimeoutMs: 30_000 });
    const ledger = submitLedger(http, o.provider);
    const cache = openCacheStore(join(dir, 'cache'));
    const abort = new AbortController();
    const limit = pLimit(concurrency);
    const cancel = watchdog(abort, o.budgetMs);
    const started = performance.now();
    try {
      const results = await Promise.all(
        gens(provider).map((g) =>
          limit(async () => {
            try {
              const r = await provider.generate(g.request, referenceContext(ledger.http, abort.signal));
              await cache.write({ key: g.key, provider: provider.name, model: g.request.model, taskId: r.taskId }, r.bytes);
              return true;
            } catch {
              return false;
            }
          }),
        ),
      );
      const wallMs = performance.now() - started;
      const s = ledger.summary();
      return { wallMs, failed: results.filter((ok) => !ok).length, submits: s.submits, refused: s.refused, refusedAfterFirstSignal: s.refusedAfterFirstSignal };
    } finally {
      cancel();
      await http.close();
    }
  });
}

export async function benchOrchestration(o: OrchestrationOptions): Promise<Figure[]> {
  const scenario = `1 orchestration (${o.provider})`;
  const idealMs = (o.jobs * o.latencyMs) / o.cap;
  const runs: RunFigures[] = [];
  for (let i = 0; i < o.repeats; i++) runs.push(await runOurs(o, join(o.workDir, `ours-${i}`)));
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const ours = byWall[Math.floor((byWall.length - 1) / 2)]!;
  const fixed = await runFixed(o, join(o.workDir, 'fixed'), (p) => makeGenerations(p, o.jobs, `fixed-${o.provider}`), o.concurrency);
  const sample = o.sequentialSample > 0 ? await runFixed(o, join(o.workDir, 'sequential'), (p) => makeGenerations(p, o.sequentialSample, `seq-${o.provider}`), 1) : undefined;
  const sequentialMs = sample ? (sample.wallMs / o.sequentialSample) * o.jobs : undefined;

  const ratio = (ms: number) => round(ms / idealMs, 3);
  const setup = `${o.jobs} jobs, L=${o.latencyMs} ms, cap ${o.cap}, start ${o.concurrency}`;
  const worstAfter = Math.max(...runs.map((r) => r.refusedAfterFirstSignal));
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  const figures: Figure[] = [
    {
      scenario,
      name: `ours: wall / ideal (median of ${runs.length})`,
      value: ratio(ours.wallMs),
      unit: 'x',
      reference: [sequentialMs === undefined ? '' : `sequential ${ratio(sequentialMs)}x (extrapolated)`, `fixed-${o.concurrency} ${ratio(fixed.wallMs)}x`].filter(Boolean).join(', '),
      target: '<= 1.10x',
      pass: ours.wallMs / idealMs <= 1.1 && failed === 0,
      note:
        `${setup}; ideal N*L/C = ${round(idealMs / 1000)} s; runs ${byWall.map((r) => `${round(r.wallMs / 1000)} s`).join(', ')}; ` +
        `${failed} failed; concurrency settled at ${runs.map((r) => r.settledConcurrency).join('/')}`,
    },
    {
      scenario,
      name: 'ours: refused submits after first limit signal',
      value: worstAfter,
      unit: '',
      reference: `fixed-${o.concurrency}: ${fixed.refusedAfterFirstSignal}`,
      target: '0',
      pass: worstAfter === 0,
      note: 'worst run; "after" = sent after the first refusal was received',
    },
    {
      scenario,
      name: 'ours: refused submits, total',
      value: ours.refused,
      unit: '',
      reference: `fixed-${o.concurrency}: ${fixed.refused} of ${fixed.submits} submits`,
      note: `ours sent ${ours.submits} submits; the first burst of ${o.concurrency} leaves before any answer, so up to ${o.concurrency - o.cap} refusals precede the first signal`,
    },
    {
      scenario,
      name: `reference fixed-${o.concurrency}: wall / ideal`,
      value: ratio(fixed.wallMs),
      unit: 'x',
      note: `p-limit(${o.concurrency}) around the same adapter, limit signals ignored (only the adapter's own Retry-After retries); ${fixed.failed} of ${o.jobs} jobs failed (failed jobs end early, flattering its wall time)`,
    },
  ];
  if (sample && sequentialMs !== undefined) {
    figures.push({
      scenario,
      name: 'reference sequential: wall / ideal',
      value: ratio(sequentialMs),
      unit: 'x',
      note: `ran ${o.sequentialSample} jobs one at a time (${round(sample.wallMs / 1000)} s) and extrapolated to ${o.jobs}: ${round(sequentialMs / 1000)} s`,
    });
  }
  return figures;
}
