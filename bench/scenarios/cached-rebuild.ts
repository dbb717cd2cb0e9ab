import { join } from 'node:path';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { generationKey } from '../../src/cache/key.js';
import { openCacheStore } from '../../src/cache/store.js';
import { prepareCampaigns, type PreparedCampaign } from '../../src/commands/prepare.js';
import { createProviders } from '../../src/providers/registry.js';
import { runNode } from '../lib/child.js';
import type { Figure } from '../lib/figures.js';
import { cliEnv, SMALL_SIZES, writeCampaign } from '../lib/project.js';
import { best, median, repeat, round } from '../lib/stats.js';

export interface CachedRebuildOptions {
  readonly cli: string;
  readonly workDir: string;
  readonly cellCounts: readonly number[];
  /** Timed runs of the fully cached build per size. */
  readonly runs: number;
  /** When set, one extra run per size writes a --cpu-prof file here. */
  readonly profileDir?: string;
}

interface BuildJson {
  readonly campaigns: readonly { readonly assets: number; readonly generated: number; readonly cached: number; readonly failed: number }[];
}

export async function prepare(root: string, campaignDir: string): Promise<PreparedCampaign> {
  const [prepared] = await prepareCampaigns({
    projectRoot: root,
    cwd: root,
    paths: [campaignDir],
    filter: {},
    env: {},
    providerFor: createProviders({ env: {} }),
    requireKeys: false,
  });
  return prepared!;
}

/**
 * The cache as a finished earlier build would have left it: one tiny image (of the generation's
 * aspect) per generation key the build will compute. Cheap, unlike rendering 2048 px proofs.
 */
export async function prefillCache(prepared: PreparedCampaign, cacheDir: string): Promise<void> {
  const cache = openCacheStore(cacheDir);
  const limit = pLimit(8);
  await Promise.all(
    prepared.generations.map((g) =>
      limit(async () => {
        const { width, height } = g.request.size;
        const scale = 32 / Math.max(width, height);
        const png = await sharp({ create: { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), channels: 3, background: '#3a6ea5' } })
          .png()
          .toBuffer();
        await cache.write({ key: g.key, provider: prepared.provider.name, model: g.request.model }, png);
      }),
    ),
  );
}

/** The floor's in-process part: hashing every cell's generation key, as a build must. */
function hashMs(prepared: PreparedCampaign): number {
  const { campaign, provider } = prepared;
  const inputs = prepared.cells.map((cell) => ({
    provider: provider.name,
    model: campaign.model,
    prompt: cell.prompt,
    size: provider.generationSize(campaign.model, cell.size),
    seed: campaign.seed,
    references: campaign.references,
    options: campaign.providerOptions,
  }));
  const started = performance.now();
  for (const input of inputs) generationKey(input);
  return performance.now() - started;
}

export async function benchCachedRebuild(o: CachedRebuildOptions): Promise<Figure[]> {
  const nodeStart = await repeat(5, () => runNode(['-e', ''], { timeoutMs: 10_000 }));
  const startMs = best(nodeStart.map((r) => r.wallMs));
  const figures: Figure[] = [];

  for (const cells of o.cellCounts) {
    const scenario = `2 cached rebuild (${cells} cells)`;
    const locales = cells / (10 * SMALL_SIZES.length);
    const name = `cached-${cells}`;
    const root = join(o.workDir, name);
    const campaignDir = writeCampaign(root, { name, variants: 10, locales, sizes: SMALL_SIZES, format: 'jpeg' });
    const cacheDir = join(root, '.pressroom', 'cache');
    const prepared = await prepare(root, campaignDir);
    await prefillCache(prepared, cacheDir);

    const args = [o.cli, 'build', campaignDir, '--json', '--cache-dir', cacheDir, '--out', join(root, 'out')];
    const build = (extra: string[] = []) => runNode([...extra, ...args], { cwd: root, env: cliEnv(), timeoutMs: 300_000 });
    // First build: every image from the cache, every delivery derived, the contact sheets drawn.
    const first = await build();
    const firstJson = parse(first.stdout);
    if (first.code !== 0 || !firstJson) throw new Error(`set-up build failed (exit ${first.code}): ${first.stderr.slice(0, 500)}`);

    const timed = await repeat(o.runs, () => build());
    const jsons = timed.map((r) => parse(r.stdout));
    const generated = jsons.reduce((n, j) => n + (j?.campaigns.reduce((m, c) => m + c.generated, 0) ?? NaN), 0);
    const okRuns = timed.every((r) => r.code === 0) && jsons.every((j) => j?.campaigns[0]?.assets === cells);
    if (o.profileDir) await build(['--cpu-prof', '--cpu-prof-dir', o.profileDir, '--cpu-prof-name', `cached-${cells}.cpuprofile`]);

    const walls = timed.map((r) => r.wallMs);
    const floorMs = startMs + hashMs(prepared);
    const limitMs = cells <= 1000 ? 400 : 1000;
    figures.push(
      {
        scenario,
        name: 'whole-process wall, best',
        value: round(best(walls), 0),
        unit: 'ms',
        reference: `floor ${round(floorMs, 0)} ms (node start ${round(startMs, 0)} + hashing)`,
        target: `< ${limitMs} ms`,
        pass: okRuns && best(walls) < limitMs,
        note: `${prepared.generations.length} generations; median of ${o.runs} runs ${round(median(walls), 0)} ms; set-up build (derive + sheets) ${round(first.wallMs / 1000, 1)} s`,
      },
      { scenario, name: 'whole-process wall, median', value: round(median(walls), 0), unit: 'ms', target: `< ${limitMs} ms`, pass: okRuns && median(walls) < limitMs },
      { scenario, name: 'provider calls (generated)', value: generated, unit: '', reference: 'floor 0', target: '0', pass: generated === 0 },
    );
  }
  return figures;
}

function parse(stdout: string): BuildJson | undefined {
  try {
    return JSON.parse(stdout) as BuildJson;
  } catch {
    return undefined;
  }
}
