import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { openCacheStore } from '../../src/cache/store.js';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import { createProviders } from '../../src/providers/registry.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import type { Figure } from '../lib/figures.js';
import { generationKey } from '../../src/cache/key.js';
import type { Generation } from '../../src/core/generation.js';
import type { Provider } from '../../src/providers/types.js';
import { API_KEY, BENCH_MODEL, SMALL_GENERATION } from '../lib/providers.js';
import { POLL_ROUTE, startRemoteEmulator, type EmulatedProvider } from '../lib/remote-emulator.js';
import { round } from '../lib/stats.js';

export interface AdaptivePollingOptions {
  readonly providers: readonly EmulatedProvider[];
  readonly tasks: number;
  readonly taskMs: number;
  readonly concurrency: number;
  readonly workDir: string;
}

/** Targets from issue 12: a build close to the ideal wall time without flooding status calls. */
const MAX_WALL_OVER_IDEAL = 1.15;
const MAX_POLLS_PER_TASK = 4;

/**
 * A build of `tasks` generations on an emulator whose tasks take `taskMs`, at `concurrency`, with
 * the providers' production poll schedule (no PRESSROOM_POLL_INTERVAL_MS). The ideal is
 * tasks × taskMs / concurrency: what a client that saw every finish at once would take.
 */
async function one(provider: EmulatedProvider, o: AdaptivePollingOptions): Promise<Figure[]> {
  const scenario = `6 adaptive polling (${o.tasks} tasks of ${o.taskMs / 1000} s at concurrency ${o.concurrency}, ${provider})`;
  const emulator = await startRemoteEmulator({ provider, apiKey: API_KEY, latencyMs: o.taskMs });
  const http = createHttpClient({ defaultTimeoutMs: 30_000 });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const journal = openJournal(join(o.workDir, `${provider}-journal.jsonl`));
  const env = { [`${emulator.envPrefix}_API_KEY`]: API_KEY, [`${emulator.envPrefix}_BASE_URL`]: emulator.baseUrl };
  const adapter = createProviders({ env })(provider);
  const run: RunContext = {
    provider: adapter,
    cache: openCacheStore(join(o.workDir, `${provider}-cache`)),
    journal,
    limiter: createAdaptiveLimiter({ max: o.concurrency, clock: systemClock }),
    http,
    clock: systemClock,
    sleep: realSleep,
    logger: silentLogger,
    signal: abort.signal,
    stop: new AbortController().signal,
    jobTimeoutMs: 600_000,
    onFatal: () => abort.abort(),
  };
  try {
    const t0 = performance.now();
    const outcomes = await Promise.all(generationsFor(adapter, o.tasks).map((g) => generateImage(g, run)));
    const wallMs = performance.now() - t0;
    const failed = outcomes.filter((x) => x.kind === 'failed').length;
    const polls = (await emulator.stats()).routes[POLL_ROUTE[provider]] ?? 0;
    const idealMs = (o.tasks * o.taskMs) / o.concurrency;
    const ratio = wallMs / idealMs;
    const perTask = polls / o.tasks;
    const note = failed > 0 ? `${failed} of ${o.tasks} jobs failed` : `wall ${round(wallMs / 1000, 1)} s, ideal ${round(idealMs / 1000, 1)} s, ${polls} polls`;
    return [
      { scenario, name: 'wall / ideal', value: round(ratio, 2), unit: 'x', target: `<= ${MAX_WALL_OVER_IDEAL}`, pass: failed === 0 && ratio <= MAX_WALL_OVER_IDEAL, note },
      { scenario, name: 'status polls per task', value: round(perTask, 2), unit: '', target: `<= ${MAX_POLLS_PER_TASK}`, pass: perTask <= MAX_POLLS_PER_TASK },
    ];
  } finally {
    abort.abort();
    journal.close();
    await http.close();
    await emulator.close();
  }
}

/** Distinct text-to-image generations on a model the provider offers (RunComfy has no 4.0). */
function generationsFor(provider: Provider, count: number): Generation[] {
  const model = provider.models.includes(BENCH_MODEL) ? BENCH_MODEL : provider.models[0]!;
  const size = provider.generationSize(model, SMALL_GENERATION);
  return Array.from({ length: count }, (_, i) => {
    const input = { provider: provider.name, model, prompt: `bench adaptive polling job ${i}: a matte-blue bottle on granite`, size, references: [], options: {} };
    const key = generationKey(input);
    const label = { campaign: 'bench', variant: `v${i}`, locale: 'en-US', size: 'square', headline: 'BENCH', copy: '', direction: 'ltr' as const };
    return { key, request: { ...input, key, label }, cells: [] };
  });
}

export async function benchAdaptivePolling(o: AdaptivePollingOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const provider of o.providers) figures.push(...(await one(provider, o)));
  return figures;
}
