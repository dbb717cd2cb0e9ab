import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { openCacheStore } from '../../src/cache/store.js';
import { prepareCampaigns } from '../../src/commands/prepare.js';
import { openS3Store } from '../../src/cache/s3.js';
import { createProviders } from '../../src/providers/registry.js';
import { S3_ENV, startS3 } from '../../test/helpers/s3.js';
import { runNode, type ProcessResult } from '../lib/child.js';
import type { Figure } from '../lib/figures.js';
import { cliEnv, SMALL_SIZES, writeCampaign } from '../lib/project.js';
import { best, round } from '../lib/stats.js';

/**
 * Issue 15: a campaign set of `campaigns` x 1,000 cells (10 variants x 10 locales x 10 sizes):
 * plan time, and the fully cached no-op build (every image cached, every delivery in place) with
 * its peak RSS, locally and with the remote cache (s3rver on loopback) configured.
 */

export interface ScaleOptions {
  readonly cli: string;
  readonly workDir: string;
  readonly campaigns: number;
  readonly runs: number;
}

interface BuildJson {
  readonly campaigns: readonly { readonly assets: number; readonly generated: number; readonly cached: number; readonly failed: number }[];
}

const parse = (r: ProcessResult) => {
  try {
    return JSON.parse(r.stdout) as BuildJson;
  } catch {
    return undefined;
  }
};
const cachedOf = (r: ProcessResult | undefined) => {
  try {
    return (JSON.parse(r?.stdout ?? '') as { campaigns: { cached: number }[] }).campaigns.reduce((n, c) => n + c.cached, 0);
  } catch {
    return NaN;
  }
};
const cellsOf = (j: BuildJson | undefined) => j?.campaigns.reduce((n, c) => n + c.assets, 0) ?? 0;
const generatedOf = (j: BuildJson | undefined) => j?.campaigns.reduce((n, c) => n + c.generated, 0) ?? NaN;

export async function benchScale(o: ScaleOptions): Promise<Figure[]> {
  const root = join(o.workDir, 'set');
  for (let i = 1; i <= o.campaigns; i++) writeCampaign(root, { name: `c${String(i).padStart(3, '0')}`, variants: 10, locales: 10, sizes: SMALL_SIZES, format: 'jpeg' });
  const cacheDir = join(root, '.pressroom', 'cache');
  const prepared = await prepareCampaigns({ projectRoot: root, cwd: root, paths: [], filter: {}, env: {}, providerFor: createProviders({ env: {} }), requireKeys: false });
  const cells = prepared.reduce((n, p) => n + p.cells.length, 0);
  const generations = prepared.reduce((n, p) => n + p.generations.length, 0);

  // The cache an earlier build left: one tiny image per generation key.
  const cache = openCacheStore(cacheDir);
  const limit = pLimit(8);
  const tiny = new Map<string, Buffer>();
  const pngFor = async (w: number, h: number) => {
    const id = `${w}x${h}`;
    if (!tiny.has(id)) {
      const s = 32 / Math.max(w, h);
      tiny.set(id, await sharp({ create: { width: Math.round(w * s), height: Math.round(h * s), channels: 3, background: '#3a6ea5' } }).png().toBuffer());
    }
    return tiny.get(id)!;
  };
  await Promise.all(
    prepared.flatMap((p) => p.generations.map((g) => limit(async () => cache.write({ key: g.key, provider: p.provider.name, model: g.request.model }, await pngFor(g.request.size.width, g.request.size.height))))),
  );

  const args = (command: string) => [o.cli, command, '--json', '--cache-dir', cacheDir, '--out', join(root, 'out')];
  const run = (command: string, env: NodeJS.ProcessEnv = {}) => runNode(args(command), { cwd: root, env: cliEnv(env), timeoutMs: 1_800_000, rss: 'hook' });

  const plan = await run('plan');
  const setUp = await run('build');
  if (setUp.code !== 0) throw new Error(`set-up build failed (exit ${setUp.code}): ${setUp.stderr.slice(0, 500)}`);
  const local: ProcessResult[] = [];
  for (let i = 0; i < o.runs; i++) local.push(await run('build'));
  // The two above ran in full (the set-up build printed other counts; the second confirmed the
  // first's kept outcome): the next no-ops print it again (cache/replay.ts).
  const kept: ProcessResult[] = [];
  for (let i = 0; i < o.runs; i++) kept.push(await run('build'));

  const s3 = await startS3({ conditional: false });
  let remote: ProcessResult[] = [];
  let requests = 0;
  let remotePlan: ProcessResult | undefined;
  let planRequests = 0;
  try {
    const env = { ...S3_ENV, PRESSROOM_CACHE_URL: 's3://cache/bench', PRESSROOM_CACHE_ENDPOINT: s3.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    remote = [];
    for (let i = 0; i < o.runs; i++) remote.push(await run('build', env));
    requests = Object.values(s3.counts).reduce((n, c) => n + c, 0) / o.runs;
    // plan on a fresh runner (empty local cache) against a remote holding every entry: the
    // cached count comes from one listing, not a request per key.
    remotePlan = await planOnFreshRunner(env).catch((err: unknown) => {
      process.stderr.write(`bench: remote plan not measured: ${String(err)}\n`);
      return undefined;
    });
  } finally {
    await s3.close();
  }

  async function planOnFreshRunner(env: NodeJS.ProcessEnv): Promise<ProcessResult> {
    const store = await openS3Store({ location: { bucket: 'cache', prefix: 'bench' }, endpoint: s3.endpoint, env: S3_ENV });
    const keys = [...new Set(prepared.flatMap((p) => p.generations.map((g) => g.key)))];
    await Promise.all(
      keys.map((key) =>
        limit(async () => {
          const entry = await cache.read(key);
          if (!entry) return;
          await store.put(`objects/${key}.img`, entry.bytes);
          await store.put(`objects/${key}.json`, `${JSON.stringify(entry.meta, null, 2)}\n`);
        }),
      ),
    );
    for (const k of Object.keys(s3.counts)) delete s3.counts[k];
    const r = await runNode([o.cli, 'plan', '--json', '--cache-dir', join(o.workDir, 'fresh-runner-cache'), '--out', join(root, 'out')], { cwd: root, env: cliEnv(env), timeoutMs: 1_800_000, rss: 'hook' });
    planRequests = Object.values(s3.counts).reduce((n, c) => n + c, 0);
    return r;
  }

  const scenario = `7 scale (${cells} cells, ${o.campaigns} campaigns)`;
  const okLocal = local.every((r) => r.code === 0 && generatedOf(parse(r)) === 0 && cellsOf(parse(r)) === cells);
  const okKept = kept.every((r) => r.code === 0 && r.stdout === local[local.length - 1]!.stdout);
  const okRemote = remote.every((r) => r.code === 0 && generatedOf(parse(r)) === 0);
  const wall = (rs: ProcessResult[]) => best(rs.map((r) => r.wallMs));
  const rss = (rs: ProcessResult[]) => Math.max(...rs.map((r) => r.maxRssMb ?? NaN));
  return [
    { scenario, name: 'plan (whole process)', value: round(plan.wallMs / 1000, 2), unit: 's', pass: plan.code === 0, note: `${generations} generations; peak RSS ${round(plan.maxRssMb ?? NaN, 0)} MB` },
    {
      scenario,
      name: 'plan, remote cache only (fresh runner)',
      value: round((remotePlan?.wallMs ?? NaN) / 1000, 2),
      unit: 's',
      pass: remotePlan?.code === 0 && cachedOf(remotePlan) === generations,
      note: `${round(planRequests, 0)} store requests; ${cachedOf(remotePlan)} of ${generations} generations counted cached; peak RSS ${round(remotePlan?.maxRssMb ?? NaN, 0)} MB`,
    },
    { scenario, name: 'set-up build (derive every delivery from the cache)', value: round(setUp.wallMs / 1000, 1), unit: 's', pass: true, note: `peak RSS ${round(setUp.maxRssMb ?? NaN, 0)} MB` },
    { scenario, name: 'no-op build, local cache, run in full', value: round(wall(local) / 1000, 2), unit: 's', target: '< 10 s', pass: okLocal && wall(local) < 10_000, note: `best of ${o.runs}` },
    { scenario, name: 'no-op build, local cache, run in full, peak RSS', value: round(rss(local), 0), unit: 'MB', target: '< 500 MB', pass: okLocal && rss(local) < 500 },
    { scenario, name: 'no-op build, kept outcome', value: round(wall(kept) / 1000, 2), unit: 's', target: '<= 3 s', pass: okKept && wall(kept) <= 3_000, note: `best of ${o.runs}; printed again from its record (issue 25)` },
    { scenario, name: 'no-op build, kept outcome, peak RSS', value: round(rss(kept), 0), unit: 'MB', target: '<= 300 MB', pass: okKept && rss(kept) <= 300 },
    { scenario, name: 'no-op build, remote cache configured', value: round(wall(remote) / 1000, 2), unit: 's', target: '< 10 s', pass: okRemote && wall(remote) < 10_000, note: `${round(requests, 0)} store requests per build (probe, pending uploads); hits need none` },
    { scenario, name: 'no-op build, remote cache, peak RSS', value: round(rss(remote), 0), unit: 'MB', target: '< 500 MB', pass: okRemote && rss(remote) < 500 },
  ];
}
