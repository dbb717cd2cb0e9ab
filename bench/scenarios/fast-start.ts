import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, type ProcessResult } from '../lib/child.js';
import type { Figure } from '../lib/figures.js';
import { cliEnv, SMALL_SIZES, writeCampaign } from '../lib/project.js';
import { API_KEY } from '../lib/providers.js';
import { startRemoteEmulator } from '../lib/remote-emulator.js';
import { median, round } from '../lib/stats.js';
import { prefillCache, prepare } from './cached-rebuild.js';

/**
 * Issue 25, "fast start": what a run costs when nothing changed, each command paired with
 * `node -e 0` in the same loop (A B A B ...: the ratio is taken pair by pair, so the machine's
 * drift moves both), through the installed executable (dist/bin.js), peak RSS by the child's own
 * report. Then a whole `pressroom build` on the emulator, start-up and tail included, against its ideal.
 */

export interface FastStartOptions {
  readonly cli: string;
  readonly workDir: string;
  readonly runs: number;
  readonly cellCounts: readonly number[];
  /** The whole build: tasks of taskMs at concurrency (issue 25: 48 of 4 s at 8). */
  readonly build?: { readonly tasks: number; readonly taskMs: number; readonly concurrency: number };
}

interface Paired {
  readonly wallMs: number;
  readonly ratio: number;
  readonly rssMb: number;
  readonly nodeMs: number;
  readonly ok: boolean;
}

async function paired(runs: number, run: () => Promise<ProcessResult>): Promise<Paired> {
  const node = () => runNode(['-e', '0'], { timeoutMs: 10_000, env: cliEnv() });
  // One of each first, not counted: file caches and the JIT's first compile.
  await run();
  await node();
  const a: ProcessResult[] = [];
  const b: ProcessResult[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await run());
    b.push(await node());
  }
  return {
    wallMs: median(a.map((r) => r.wallMs)),
    nodeMs: median(b.map((r) => r.wallMs)),
    ratio: median(a.map((r, i) => r.wallMs / b[i]!.wallMs)),
    rssMb: median(a.map((r) => r.maxRssMb ?? NaN)),
    ok: a.every((r) => r.code === 0),
  };
}

/** `ratioTarget` undefined: a figure for reference, with no target (it passes when every run exits 0). */
function figures(scenario: string, p: Paired, ratioTarget?: number, msTarget?: number, rssTarget?: number): Figure[] {
  const pass = p.ok && (ratioTarget === undefined || p.ratio <= ratioTarget) && (msTarget === undefined || p.wallMs <= msTarget);
  return [
    {
      scenario,
      name: 'wall / node -e 0, paired median',
      value: round(p.ratio, 2),
      unit: 'x',
      reference: `node -e 0: ${round(p.nodeMs, 0)} ms`,
      ...(ratioTarget !== undefined ? { target: `<= ${ratioTarget}x${msTarget !== undefined ? ` and <= ${msTarget} ms` : ''}` } : {}),
      pass,
    },
    { scenario, name: 'wall, median', value: round(p.wallMs, 0), unit: 'ms', ...(msTarget !== undefined ? { target: `<= ${msTarget} ms`, pass: p.ok && p.wallMs <= msTarget } : {}) },
    { scenario, name: 'peak RSS, median', value: round(p.rssMb, 0), unit: 'MB', ...(rssTarget !== undefined ? { target: `<= ${rssTarget} MB`, pass: p.rssMb <= rssTarget } : {}) },
  ];
}

export async function benchFastStart(o: FastStartOptions): Promise<Figure[]> {
  const out: Figure[] = [];
  const env = cliEnv();
  mkdirSync(o.workDir, { recursive: true });
  const cli = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) => () => runNode([o.cli, ...args], { cwd, env: { ...env, ...extra }, timeoutMs: 300_000, rss: 'hook' });

  out.push(...figures('10 fast start: pressroom --help', await paired(o.runs, cli(['--help'], o.workDir)), 2.5));

  // Written now, planned last: a plan re-run on files that have not just been saved (a file changed
  // within a second of a run is not trusted to keep its outcome by, cache/replay.ts).
  const small = join(o.workDir, 'plan4');
  const smallDir = writeCampaign(small, { name: 'plan4', variants: 1, locales: 2, sizes: SMALL_SIZES.slice(0, 2), format: 'jpeg' });

  for (const cells of o.cellCounts) {
    const name = `noop-${cells}`;
    const root = join(o.workDir, name);
    const campaignDir = writeCampaign(root, { name, variants: 10, locales: cells / (10 * SMALL_SIZES.length), sizes: SMALL_SIZES, format: 'jpeg' });
    const cacheDir = join(root, '.pressroom', 'cache');
    await prefillCache(await prepare(root, campaignDir), cacheDir);
    const build = cli(['build', campaignDir, '--json', '--cache-dir', cacheDir, '--out', join(root, 'out')], root);
    // The first build delivers; the next two settle the finish's record (each reads the last one's manifest).
    for (let i = 0; i < 3; i++) {
      const r = await build();
      if (r.code !== 0) throw new Error(`set-up build failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`);
    }
    const ratio = cells <= 1000 ? 4.5 : 7;
    // Three set-up builds: the last confirms the no-op's kept outcome, which the measured runs print again.
    out.push(...figures(`10 fast start: no-op build, ${cells} cells`, await paired(o.runs, build), ratio, cells <= 1000 ? 300 : 500));
    // The same no-op run in full (the first after any change runs so), for reference: no target.
    const full = cli(['build', campaignDir, '--json', '--cache-dir', cacheDir, '--out', join(root, 'out')], root, { PRESSROOM_REPLAY: 'off' });
    out.push(...figures(`10 fast start: no-op build, ${cells} cells, run in full (PRESSROOM_REPLAY=off)`, await paired(Math.min(o.runs, 5), full)));
  }

  // Two set-up plans: the second confirms the kept outcome.
  const plan = cli(['plan', smallDir], small);
  for (let i = 0; i < 2; i++) await plan();
  out.push(...figures('10 fast start: plan, 4 cells', await paired(o.runs, plan), 3));

  if (o.build) out.push(...(await wholeBuild(o, o.build)));
  return out;
}

/** A whole `pressroom build` on the runware emulator: wall from spawn to exit against tasks x taskMs / concurrency. */
async function wholeBuild(o: FastStartOptions, b: NonNullable<FastStartOptions['build']>): Promise<Figure[]> {
  const scenario = `10 fast start: whole build, ${b.tasks} tasks of ${b.taskMs / 1000} s at concurrency ${b.concurrency} (runware emulator)`;
  const root = join(o.workDir, 'whole');
  const dir = writeCampaign(root, { name: 'whole', variants: b.tasks, locales: 1, sizes: [SMALL_SIZES[0]], format: 'jpeg' });
  const file = join(dir, 'campaign.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('provider: local', 'provider: runware'));
  const emulator = await startRemoteEmulator({ provider: 'runware', apiKey: API_KEY, latencyMs: b.taskMs });
  try {
    const env = cliEnv({ [`${emulator.envPrefix}_API_KEY`]: API_KEY, [`${emulator.envPrefix}_BASE_URL`]: emulator.baseUrl });
    const r = await runNode([o.cli, 'build', dir, '--json', '--concurrency', String(b.concurrency)], { cwd: root, env, timeoutMs: 600_000 });
    const generated = (() => {
      try {
        return (JSON.parse(r.stdout) as { campaigns: { generated: number }[] }).campaigns[0]?.generated ?? NaN;
      } catch {
        return NaN;
      }
    })();
    const ideal = (b.tasks * b.taskMs) / b.concurrency;
    const ratio = r.wallMs / ideal;
    return [
      {
        scenario,
        name: 'wall / ideal (start-up and tail included)',
        value: round(ratio, 3),
        unit: 'x',
        reference: `ideal ${round(ideal / 1000, 1)} s (tasks x task time / concurrency)`,
        target: '<= 1.15',
        pass: r.code === 0 && generated === b.tasks && ratio <= 1.15,
        note: `wall ${round(r.wallMs / 1000, 2)} s; exit ${r.code}; ${generated} generated${r.code === 0 ? '' : `; ${r.stderr.slice(0, 300)}`}`,
      },
    ];
  } finally {
    await emulator.close();
  }
}
