import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { makeImage } from '../helpers/images.js';
import { cli, makeProject } from '../helpers/project.js';

const SENTINEL = 'sk-SENTINEL-7f3a9c1e5b2d4f60';

const campaignFor = (provider: string) => `provider: ${provider}
model: seedream-4.5
template: poster
references: [assets/ref.png]
vars: { brand: "AQUA//ONE" }
variants: [{ id: hero, scene: "the bottle on wet stone" }]
locales:
  en-US: { headline: "HYDRATION, REFINED", copy: "Smart temperature tracking." }
  ja-JP: { headline: "ハイドレーション、洗練。", copy: "スマートな温度管理。" }
sizes:
  - { id: square, width: 1080, height: 1080 }
  - { id: story, width: 1080, height: 1920 }
`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(provider: AnyEmulator['provider'], apiKey = SENTINEL) {
  const emulator = await EMULATORS[provider]({ apiKey, latencyMs: 30 });
  const project = await makeProject({ launch: campaignFor(provider) });
  cleanups.push(() => emulator.close(), project.cleanup);
  mkdirSync(join(project.dir, 'campaigns', 'launch', 'assets'));
  writeFileSync(join(project.dir, 'campaigns', 'launch', 'assets', 'ref.png'), await makeImage(512, 768, 'png', 7));
  return { emulator, project };
}

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(needle)) hits.push(path);
  }
  return hits;
}

const submitsOf = (e: AnyEmulator) => e.requests.filter((r) => r.route === 'submit');

describe.each(['runninghub', 'runware', 'runcomfy'] as const)('build through %s (emulated)', (provider) => {
  it('generates image-to-image with a local reference, delivers exact sizes, and never pays twice', async () => {
    const { emulator, project } = await setup(provider);
    const env = emulatorEnv(emulator, SENTINEL);
    const first = await cli(project.dir, ['build', '--json'], env);
    expect(first.stderr).toBe(first.stderr.replace(/\n\s+at /, '')); // no stack
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).campaigns[0]).toMatchObject({ assets: 4, generated: 4, failed: 0 });

    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;
    for (const asset of manifest.assets) {
      const meta = await sharp(join(project.dir, 'out', 'launch', asset.file)).metadata();
      expect([meta.width, meta.height]).toEqual([asset.width, asset.height]);
      expect(asset.provider).toBe(provider);
      expect(asset.generation.taskId).toBeTruthy();
    }

    // What the provider saw: our key as a bearer token, the reference image, one submit per generation.
    const submits = submitsOf(emulator);
    expect(submits).toHaveLength(new Set(manifest.assets.map((a) => a.generation.key)).size);
    for (const s of submits) {
      expect(String(s.headers['authorization'])).toContain(`Bearer ${SENTINEL}`);
      const body = JSON.stringify(s.json);
      const uploaded = emulator.requests.some((r) => r.route === 'upload');
      expect(body.includes('data:image/png;base64,') || uploaded).toBe(true);
    }
    for (const prompt of new Set(manifest.assets.map((a) => a.prompt))) {
      const generations = new Set(manifest.assets.filter((a) => a.prompt === prompt).map((a) => a.generation.key));
      expect(emulator.submits(prompt)).toBe(generations.size);
    }

    const second = await cli(project.dir, ['build', '--json'], env);
    expect(JSON.parse(second.stdout).campaigns[0]).toMatchObject({ generated: 0, cached: 4 });
    expect(submitsOf(emulator)).toHaveLength(submits.length);

    // The key never reaches out/, the cache, the journal or any output.
    for (const text of [first.stdout, first.stderr, second.stdout, second.stderr]) expect(text).not.toContain(SENTINEL);
    expect(filesContaining(project.dir, SENTINEL)).toEqual([]);
  });

  it('stops early on a rejected key, exit 1, and the key appears nowhere (debug logs included)', async () => {
    const { emulator, project } = await setup(provider, 'the-right-key');
    const run = await cli(project.dir, ['build', '--json'], { ...emulatorEnv(emulator, SENTINEL), PRESSROOM_LOG: 'debug' });
    expect(run.code).toBe(1);
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;
    expect(manifest.failures.length).toBe(4);
    expect(manifest.failures.some((f) => f.error.code === 'E_PROVIDER_AUTH')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(SENTINEL);
    expect(filesContaining(project.dir, SENTINEL)).toEqual([]);
  });

  it('keeps the key out of out/ when the provider echoes it in a failed task\'s error text', async () => {
    const emulator = await EMULATORS[provider]({ apiKey: SENTINEL, failPrompts: /ハイドレーション/, failMessage: (key) => `content check failed for request signed ${key}` });
    const project = await makeProject({ launch: campaignFor(provider).replace('references: [assets/ref.png]\n', '') });
    cleanups.push(() => emulator.close(), project.cleanup);
    const run = await cli(project.dir, ['build'], emulatorEnv(emulator, SENTINEL));
    expect(run.code).toBe(1);
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;
    // The provider's words are kept, the key in them is not: in the manifest, the gallery, anywhere.
    expect(manifest.failures.length).toBeGreaterThan(0);
    for (const f of manifest.failures) expect(f.error.message).toContain('content check failed for request signed [redacted]');
    expect(readFileSync(join(project.dir, 'out', 'launch', 'index.html'), 'utf8')).toContain('[redacted]');
    expect(filesContaining(project.dir, SENTINEL)).toEqual([]);
    expect(run.stdout + run.stderr).not.toContain(SENTINEL);
  });

  it('fails before any job with exit 2 and names the variable when the key is missing', async () => {
    const { emulator, project } = await setup(provider);
    const run = await cli(project.dir, ['build'], { [`${emulator.envPrefix}_BASE_URL`]: emulator.baseUrl });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${emulator.envPrefix}_API_KEY`);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe.each(['runninghub', 'runware', 'runcomfy'] as const)('concurrency against %s with a capacity limit', (provider) => {
  it('adapts to the provider\'s limit: every job succeeds and refusals stop after the first wave', async () => {
    const emulator = await EMULATORS[provider]({ apiKey: SENTINEL, latencyMs: 80, maxActiveTasks: 3 });
    const locales = Array.from({ length: 12 }, (_, i) => `  en-${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}: { headline: "Headline ${i}" }`);
    const yaml = `provider: ${provider}\ntemplate: poster\nvars: { brand: B }\nvariants: [{ id: hero, scene: s }]\nlocales:\n${locales.join('\n')}\nsizes: [{ id: square, width: 1080, height: 1080 }]\n`;
    const project = await makeProject({ cap: yaml }, '{{brand}} {{scene}} "{{headline}}"');
    cleanups.push(() => emulator.close(), project.cleanup);
    const run = await cli(project.dir, ['build', '--concurrency', '8', '--json'], emulatorEnv(emulator, SENTINEL));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 12, failed: 0 });
    const refused = emulator.submits() - 12;
    // The first wave over-asks by at most 8 - 3; after the signal the scheduler stays within capacity.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(5);
  });
});

describe('what the manifest records of a provider answer', () => {
  it.each([
    ['runninghub', null, 'credits'],
    ['runware', 7, 'USD'],
    ['runcomfy', null, undefined],
  ] as const)('%s: seed %s (only where the provider took it), cost in %s', async (provider, seed, currency) => {
    const emulator = await EMULATORS[provider]({ apiKey: SENTINEL, latencyMs: 10 });
    const yaml = `provider: ${provider}\nseed: 7\ntemplate: poster\nvars: { brand: B }\nvariants: [{ id: hero, scene: s }]\nlocales:\n  en-US: { headline: "H" }\nsizes: [{ id: square, width: 1080, height: 1080 }]\n`;
    const project = await makeProject({ seeded: yaml }, '{{brand}} {{scene}} "{{headline}}"');
    cleanups.push(() => emulator.close(), project.cleanup);
    const run = await cli(project.dir, ['build', '--json'], emulatorEnv(emulator, SENTINEL));
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'seeded', 'manifest.json'), 'utf8')) as CampaignManifest;
    const [asset] = manifest.assets;
    expect(asset?.generation.seed).toBe(seed);
    expect(asset?.currency).toBe(currency);
    const sent = JSON.stringify(emulator.requests.find((r) => r.route === 'submit')?.json);
    expect(sent.includes('"seed"')).toBe(seed !== null);
  });
});

describe.each(['runninghub', 'runware', 'runcomfy'] as const)('plan-time checks from the %s model table', (provider) => {
  it('refuses a prompt over the model\'s limit with exit 2, naming the template, before any request', async () => {
    const emulator = await EMULATORS[provider]({ apiKey: SENTINEL });
    const yaml = `provider: ${provider}\nmodel: seedream-4.5\ntemplate: poster\nvars: { scene: "${'a bottle on stone, '.repeat(120)}" }\nvariants: [{ id: hero }]\nlocales:\n  en-US: { headline: "H" }\nsizes: [{ id: square, width: 1080, height: 1080 }]\n`;
    const project = await makeProject({ long: yaml }, '{{scene}} "{{headline}}"');
    cleanups.push(() => emulator.close(), project.cleanup);
    for (const command of ['plan', 'build']) {
      const run = await cli(project.dir, [command], emulatorEnv(emulator, SENTINEL));
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('poster.hbs');
      expect(run.stderr).toContain('2000');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(emulator.requests).toHaveLength(0);
  });
});
