import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { openCacheStore } from '../../src/cache/store.js';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { generateImage, type RunContext } from '../../src/run/execute.js';
import { openJournal } from '../../src/run/journal.js';
import { createAdaptiveLimiter } from '../../src/run/limiter.js';
import type { Figure } from '../lib/figures.js';
import { API_KEY, makeGenerations, providerFor } from '../lib/providers.js';
import { POLL_ROUTE, startRemoteEmulator, type RemoteEmulator } from '../lib/remote-emulator.js';
import { round } from '../lib/stats.js';

export interface PollingOptions {
  /** Runware only: the bare-undici reference speaks its getResponse task. */
  readonly provider: 'runware';
  readonly tasks: number;
  readonly pollIntervalMs: number;
  /** How long the steady state is measured. */
  readonly windowMs: number;
  readonly workDir: string;
}

interface Window {
  readonly cpuMicros: number;
  readonly polls: number;
  readonly ms: number;
  readonly maxSockets: number | null;
}

/** Waits until `ready()` or `limitMs`, checking every 200 ms. */
async function until(ready: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    if (await ready()) return true;
    await realSleep(200);
  }
  return false;
}

/** CPU this process spends and polls the emulator counts over `ms`, sampling its open sockets. */
async function measure(emulator: RemoteEmulator, ms: number, polls: () => Promise<number>): Promise<Window> {
  const polls0 = await polls();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let maxSockets: number | null = null;
  while (performance.now() - t0 < ms) {
    await realSleep(250);
    const { sockets } = await emulator.stats();
    if (sockets !== null) maxSockets = Math.max(maxSockets ?? 0, sockets);
  }
  const cpu = process.cpuUsage(cpu0);
  return { cpuMicros: cpu.user + cpu.system, polls: (await polls()) - polls0, ms: performance.now() - t0, maxSockets };
}

/** Records the taskUUIDs ours submits, so the reference polls the very same tasks. */
function recordingUuids(inner: HttpClient, uuids: string[]): HttpClient {
  return {
    request(req) {
      if (typeof req.body === 'string' && req.body.includes('"imageInference"')) {
        const uuid = /"taskUUID":"([0-9a-f-]{36})"/.exec(req.body)?.[1];
        if (uuid) uuids.push(uuid);
      }
      return inner.request(req);
    },
  };
}

/**
 * The floor: one loop per task doing nothing but a bare undici POST of getResponse and a
 * JSON.parse, at the same cadence, through a pool of the same size as ours.
 */
async function bareLoops(emulator: RemoteEmulator, uuids: readonly string[], o: PollingOptions): Promise<Window> {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  let sent = 0;
  let running = true;
  const loops = uuids.map(async (uuid) => {
    await realSleep(Math.random() * o.pollIntervalMs);
    while (running) {
      const res = await request(emulator.baseUrl, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ taskType: 'getResponse', taskUUID: uuid }]),
      });
      JSON.parse(await res.body.text());
      sent++;
      await realSleep(o.pollIntervalMs);
    }
  });
  await realSleep(o.pollIntervalMs * 2);
  const window = await measure(emulator, o.windowMs, async () => sent);
  running = false;
  await Promise.allSettled(loops);
  await agent.close();
  return window;
}

export async function benchPolling(o: PollingOptions): Promise<Figure[]> {
  const scenario = `5 polling (${o.tasks} tasks in flight, ${o.provider})`;
  // Tasks outlive the measurement: every job is polling the whole time.
  const emulator = await startRemoteEmulator({ provider: o.provider, apiKey: API_KEY, latencyMs: 10 * 60_000 });
  const pollRoute = POLL_ROUTE[o.provider];
  const emulatorPolls = async () => (await emulator.stats()).routes[pollRoute] ?? 0;
  const http = createHttpClient({ defaultTimeoutMs: 30_000 });
  let httpOpen = true;
  const closeHttp = async () => {
    if (httpOpen) await http.close();
    httpOpen = false;
  };
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const journal = openJournal(join(o.workDir, 'journal.jsonl'));
  const uuids: string[] = [];
  const provider = providerFor(emulator, o.pollIntervalMs);
  const run: RunContext = {
    provider,
    cache: openCacheStore(join(o.workDir, 'cache')),
    journal,
    limiter: createAdaptiveLimiter({ max: o.tasks, clock: systemClock }),
    http: recordingUuids(http, uuids),
    clock: systemClock,
    sleep: realSleep,
    logger: silentLogger,
    signal: abort.signal,
    stop: new AbortController().signal,
    jobTimeoutMs: 1_200_000,
    onFatal: () => abort.abort(),
  };
  try {
    const jobs = makeGenerations(provider, o.tasks, 'polling').map((g) => generateImage(g, run));
    const allIn = await until(async () => ((await emulator.stats()).routes['submit'] ?? 0) >= o.tasks, 60_000);
    if (!allIn) throw new Error(`only ${(await emulator.stats()).routes['submit'] ?? 0} of ${o.tasks} tasks were submitted within 60 s`);
    const submittedRss = process.memoryUsage().rss;
    // Let the first polls spread out before measuring the steady state.
    await realSleep(o.pollIntervalMs * 2);
    const ours = await measure(emulator, o.windowMs, emulatorPolls);
    abort.abort();
    await Promise.allSettled(jobs);
    // Ours' keep-alive connections would otherwise be counted against the reference.
    await closeHttp();
    const bare = await bareLoops(emulator, uuids, o);

    const perPoll = (w: Window) => (w.polls > 0 ? w.cpuMicros / w.polls : NaN);
    const rate = (w: Window) => w.polls / (w.ms / 1000);
    const expected = (o.tasks * 1000) / o.pollIntervalMs;
    return [
      {
        scenario,
        name: 'client CPU per status poll',
        value: round(perPoll(ours), 0),
        unit: 'us',
        reference: `bare undici loop: ${round(perPoll(bare), 0)} us`,
        note: `${ours.polls} polls in ${round(ours.ms / 1000, 1)} s; client CPU ${round((ours.cpuMicros / 1000 / ours.ms) * 100, 0)}% of one core (bare loop ${round((bare.cpuMicros / 1000 / bare.ms) * 100, 0)}%); bench process RSS with all tasks in flight ${round(submittedRss / 2 ** 20, 0)} MB`,
      },
      {
        scenario,
        name: 'status polls per second',
        value: round(rate(ours), 0),
        unit: '/s',
        reference: `cadence allows ${round(expected, 0)}/s; bare loop ${round(rate(bare), 0)}/s`,
      },
      {
        scenario,
        name: 'open TCP connections at the emulator (max)',
        value: ours.maxSockets,
        unit: '',
        reference: `bare undici, same pool: ${bare.maxSockets ?? 'n/a'}`,
        note: 'the undici Agent in src/http/client.ts allows 64 connections per origin',
      },
    ];
  } finally {
    abort.abort();
    journal.close();
    await closeHttp();
    await emulator.close();
  }
}
