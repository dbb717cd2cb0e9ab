import { join } from 'node:path';
import { openCacheStore } from '../src/cache/store.js';
import { realSleep, silentLogger, systemClock } from '../src/deps.js';
import { createHttpClient } from '../src/http/client.js';
import { generateImage, type RunContext } from '../src/run/execute.js';
import { openJournal } from '../src/run/journal.js';
import { createAdaptiveLimiter } from '../src/run/limiter.js';
import { makeGenerations, providerFor } from './lib/providers.js';
import { startRemoteEmulator } from './lib/remote-emulator.js';

const provider = (process.argv[2] ?? 'runware') as 'runware';
const emulator = await startRemoteEmulator({ provider, apiKey: 'bench-key-not-a-secret', latencyMs: 300, maxActiveTasks: 16 });
const p = providerFor(emulator, 20);
const http = createHttpClient();
const limiter = createAdaptiveLimiter({ max: 32, clock: systemClock });
const dir = '/tmp/diag/' + Date.now();
const journal = openJournal(join(dir, 'j.jsonl'));
const events: Record<string, { t: number; e: string }[]> = {};
const t0 = performance.now();
const run: RunContext = {
  provider: p, cache: process.env.NOCACHE ? ({ dir, peek: async () => undefined, read: async () => undefined, write: async (e: any, b: Uint8Array) => ({ ...e, width: 960, height: 960, format: 'png', sha256: '', bytes: b.length }) } as any) : openCacheStore(join(dir, 'cache')), journal, limiter, http, clock: systemClock, sleep: realSleep, logger: silentLogger,
  signal: new AbortController().signal, stop: new AbortController().signal, jobTimeoutMs: 60000, onFatal: () => {},
  onProgress: (key, ev) => (events[key] ??= []).push({ t: performance.now() - t0, e: ev.kind }),
};
const gens = makeGenerations(p, 400, 'diag' + Date.now());
const out = await Promise.all(gens.map(async (g) => { const r = await generateImage(g, run); (events[g.key] ??= []).push({ t: performance.now() - t0, e: 'end' }); return r; }));
console.log('wall', performance.now() - t0, 'failed', out.filter((o) => o.kind === 'failed').length, (out.find((o) => o.kind === 'failed') as any)?.failure);
const phases = { submitToDownload: [] as number[], downloadToEnd: [] as number[] };
for (const evs of Object.values(events)) {
  const sub = evs.filter((e) => e.e === 'submitted').pop();
  const dl = evs.find((e) => e.e === 'downloading');
  const end = evs.find((e) => e.e === 'end');
  if (sub && dl) phases.submitToDownload.push(dl.t - sub.t);
  if (dl && end) phases.downloadToEnd.push(end.t - dl.t);
}
const avg = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
console.log('submit->download avg', avg(phases.submitToDownload), 'download->end avg', avg(phases.downloadToEnd), 'n', phases.submitToDownload.length);
const st = await emulator.stats();
console.log(st.routes);
await http.close(); await emulator.close();
