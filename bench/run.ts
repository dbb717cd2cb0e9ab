import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Figure, formatTable, machineInfo } from './lib/figures.js';
import { benchCachedRebuild } from './scenarios/cached-rebuild.js';
import { benchDevLatency } from './scenarios/dev-latency.js';
import { benchFastStart } from './scenarios/fast-start.js';
import { benchMemory } from './scenarios/memory.js';
import { benchOrchestration } from './scenarios/orchestration.js';
import { benchAdaptivePolling } from './scenarios/adaptive-polling.js';
import { benchPolling } from './scenarios/polling.js';
import { benchPost } from './scenarios/post.js';
import { benchScale } from './scenarios/scale.js';
import { benchTypeset } from './scenarios/typeset.js';

/**
 * `npm run bench`: every scenario of issue 5 against the provider emulators on 127.0.0.1 and the
 * compiled CLI (dist/bin.js, the installed executable), a table on stdout and bench/results/latest.json.
 *   --only 1,3    run only these scenarios
 *   --quick       smaller inputs (a smoke run; figures are not comparable to the targets)
 *   --profile     CLI children of scenarios 2 and 4 write --cpu-prof files to bench/results/profiles
 *   --keep        keep the temporary work folder
 */

// Compiled to bench/.out/bench/run.js: three levels below the project root.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const only = new Set((values.only ?? '1,2,3,4,5,6,8,9,10').split(',').map((s) => s.trim()));
const quick = values.quick;
const profileDir = values.profile ? join(RESULTS, 'profiles') : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const work = await mkdtemp(join(tmpdir(), 'pressroom-bench-'));
const cli = join(ROOT, 'dist', 'bin.js');
const figures: Figure[] = [];
const timings: Record<string, number> = {};

type Scenario = readonly [id: string, name: string, run: () => Promise<Figure[]>];
const scenarios: Scenario[] = [
  [
    '1',
    'orchestration',
    async () => [
      ...(await benchOrchestration({
        provider: 'runware',
        jobs: quick ? 80 : 400,
        latencyMs: 300,
        cap: 16,
        concurrency: 32,
        sequentialSample: quick ? 5 : 20,
        repeats: quick ? 1 : 3,
        pollIntervalMs: 20,
        workDir: join(work, 'orchestration-runware'),
        budgetMs: 90_000,
      })),
      ...(await benchOrchestration({
        provider: 'runninghub',
        jobs: quick ? 80 : 400,
        latencyMs: 300,
        cap: 16,
        concurrency: 32,
        sequentialSample: 0,
        repeats: quick ? 1 : 3,
        pollIntervalMs: 20,
        workDir: join(work, 'orchestration-runninghub'),
        budgetMs: 90_000,
      })),
    ],
  ],
  ['2', 'cached rebuild', () => benchCachedRebuild({ cli, workDir: join(work, 'cached'), cellCounts: quick ? [1000] : [1000, 5000], runs: quick ? 3 : 5, profileDir })],
  ['3', 'post-processing', () => benchPost({ workDir: join(work, 'post'), images: quick ? 20 : 100, naiveSample: quick ? 10 : 30, montagePages: quick ? 1 : 2 })],
  ['4', 'memory', () => benchMemory({ cli, workDir: join(work, 'memory'), variants: quick ? 5 : 20, locales: 10, profileDir })],
  [
    '5',
    'polling',
    () => benchPolling({ provider: 'runware', tasks: quick ? 200 : 1000, pollIntervalMs: 1000, windowMs: quick ? 3000 : 6000, workDir: join(work, 'polling') }),
  ],
  [
    '6',
    'adaptive polling',
    () =>
      benchAdaptivePolling({
        providers: ['runninghub', 'runware', 'runcomfy'],
        tasks: quick ? 24 : 48,
        taskMs: 4_000,
        concurrency: 8,
        workDir: join(work, 'adaptive-polling'),
      }),
  ],
  // Issue 15, not in the default set (minutes of set-up): run it with --only 7.
  ['7', 'scale', () => benchScale({ cli, workDir: join(work, 'scale'), campaigns: quick ? 5 : 50, runs: quick ? 1 : 2 })],
  ['8', 'typesetting', () => benchTypeset({ rounds: quick ? 10 : 40 })],
  ['9', 'dev loop', () => benchDevLatency({ bin: cli, root: ROOT, workDir: join(work, 'dev'), locales: 30, rounds: quick ? 5 : 15 })],
  // Issue 25: each run paired with `node -e 0`; the 50,000-cell no-op is scenario 7's (--only 7).
  [
    '10',
    'fast start',
    () =>
      benchFastStart({
        cli,
        workDir: join(work, 'fast-start'),
        runs: quick ? 3 : 10,
        cellCounts: quick ? [1000] : [1000, 5000],
        build: { tasks: quick ? 16 : 48, taskMs: 4_000, concurrency: 8 },
      }),
  ],
];

const started = performance.now();
try {
  for (const [id, name, run] of scenarios) {
    if (!only.has(id)) continue;
    process.stderr.write(`bench: scenario ${id} (${name})...\n`);
    const t = performance.now();
    try {
      figures.push(...(await run()));
    } catch (err) {
      figures.push({ scenario: `${id} ${name}`, name: 'scenario failed', value: null, unit: '', pass: false, note: String((err as Error)?.stack ?? err) });
    }
    timings[`${id} ${name}`] = Math.round(performance.now() - t);
    process.stderr.write(`bench: scenario ${id} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`bench: work folder kept at ${work}\n`);
}

const totalMs = Math.round(performance.now() - started);
process.stdout.write(`${formatTable(figures)}\n\nbench finished in ${(totalMs / 1000).toFixed(1)} s\n`);
mkdirSync(RESULTS, { recursive: true });
const result = { generatedAt: new Date().toISOString(), quick, machine: machineInfo(), totalMs, scenarioMs: timings, figures };
writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`bench: wrote bench/results/latest.json\n`);
if (figures.some((f) => f.name === 'scenario failed')) process.exitCode = 1;
