import { join } from 'node:path';
import { runNode } from '../lib/child.js';
import type { Figure } from '../lib/figures.js';
import { cliEnv, writeCampaign } from '../lib/project.js';
import { round } from '../lib/stats.js';

export interface MemoryOptions {
  readonly cli: string;
  readonly workDir: string;
  readonly variants: number;
  readonly locales: number;
  readonly profileDir?: string;
}

/** Ten delivery sizes in three aspect ratios: big enough to cost real encodes, small enough to finish in a minute. */
const SIZES = [
  { id: 'sq600', width: 600, height: 600 },
  { id: 'sq400', width: 400, height: 400 },
  { id: 'sq300', width: 300, height: 300 },
  { id: 'sq200', width: 200, height: 200 },
  { id: 'wide640', width: 640, height: 360 },
  { id: 'wide480', width: 480, height: 270 },
  { id: 'wide320', width: 320, height: 180 },
  { id: 'tall640', width: 360, height: 640 },
  { id: 'tall480', width: 270, height: 480 },
  { id: 'tall320', width: 180, height: 320 },
];

interface BuildJson {
  readonly campaigns: readonly { readonly assets: number; readonly generated: number; readonly failed: number }[];
}

async function build(o: MemoryOptions, name: string, variants: number, locales: number, profile: boolean, entry = o.cli) {
  const root = join(o.workDir, name);
  // Prompts name the variant only: 3 generations (one per aspect) per variant, shared by every locale.
  const campaignDir = writeCampaign(root, { name, variants, locales, sizes: SIZES, format: 'jpeg', localeFreePrompt: true });
  const prof = profile && o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileDir, '--cpu-prof-name', `${name}.cpuprofile`] : [];
  const result = await runNode([...prof, entry, 'build', campaignDir, '--json', '--cache-dir', join(root, 'cache'), '--out', join(root, 'out')], {
    cwd: root,
    env: cliEnv(),
    timeoutMs: 300_000,
    rss: 'hook',
  });
  let json: BuildJson | undefined;
  try {
    json = JSON.parse(result.stdout) as BuildJson;
  } catch {
    json = undefined;
  }
  const c = json?.campaigns[0];
  if (result.code !== 0 || !c) throw new Error(`${name} build failed (exit ${result.code}): ${result.stderr.slice(0, 500)}`);
  return { ...result, cells: c.assets, generated: c.generated };
}

const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${round(v, 0)} MB`);

export async function benchMemory(o: MemoryOptions): Promise<Figure[]> {
  const baseline = await runNode(['-e', "await import('sharp')", '--input-type=module'], { timeoutMs: 30_000, rss: 'hook' });
  const fewLocales = Math.max(1, Math.floor(o.locales / 10));
  const small = await build(o, 'memory-small', o.variants, fewLocales, false);
  // Diagnostic: how much of the peak is glibc's per-thread malloc arenas (libvips runs many threads).
  const full = await build(o, 'memory', o.variants, o.locales, true);
  // dist/cli.js directly: the same build without the bin's MALLOC_ARENA_MAX=2 child.
  const uncapped = await build(o, 'memory-uncapped', o.variants, o.locales, false, join(o.cli, '..', 'cli.js'));
  const generations = o.variants * new Set(SIZES.map((s) => (s.width / s.height).toFixed(3))).size;
  const scenario = `4 memory (${full.cells}-cell build, local)`;
  return [
    {
      scenario,
      name: 'peak RSS of the CLI process',
      value: full.maxRssMb === undefined ? null : round(full.maxRssMb, 0),
      unit: 'MB',
      reference: `${small.cells} cells: ${mb(small.maxRssMb)}; node + sharp idle: ${mb(baseline.maxRssMb)}`,
      target: '< 400 MB',
      pass: full.maxRssMb === undefined ? undefined : full.maxRssMb < 400,
      note: `${generations} generations rendered by the local provider, ${full.cells} deliveries + contact sheets in ${round(full.wallMs / 1000, 1)} s`,
    },
    {
      scenario,
      name: 'diagnostic: the same build through dist/cli.js, glibc default arenas',
      value: uncapped.maxRssMb === undefined ? null : round(uncapped.maxRssMb, 0),
      unit: 'MB',
      reference: `through the bin (MALLOC_ARENA_MAX=2): ${mb(full.maxRssMb)}`,
      note: 'glibc gives each busy thread its own malloc arena; libvips and the libuv pool run many, and freed pixel buffers stay resident in them; the bin caps them at 2 for builds',
    },
  ];
}
