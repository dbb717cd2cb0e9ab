import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/child.js';
import { EMULATORS, emulatorEnv } from '../helpers/emulators/index.js';
import { makeImage } from '../helpers/images.js';
import { cli, makeProject } from '../helpers/project.js';
import { S3_ENV, startS3 } from '../helpers/s3.js';
import { recordFile, replayKey } from '../../src/cache/replay.js';

/**
 * Kept outcomes (cache/replay.ts): a build, plan or validate that changed nothing is printed again
 * from its record once a second full run confirmed it, and any change to what it read or left
 * (project files, named files elsewhere, out/, the cache, the environment) runs it again. A replay
 * writes nothing, so "ran again" is told by the record: a full run rewrites or removes it.
 */
const CAMPAIGN = `template: poster
vars: { brand: "AQUA" }
variants:
  - id: hero
    scene: "a bottle"
locales: locales
references: [../../node_modules/brandkit/ref.png]
sizes:
  - { id: square, width: 320, height: 320 }
  - { id: wide, width: 480, height: 270 }
output: { format: png }
`;
const SECRET = 'rw-secret-6f1d0c2a9e';
// Files just written count as settled: the run is dated a minute after them.
const settled = { filesNow: () => Date.now() + 60_000 };

let project: { dir: string; cleanup: () => Promise<void> };
const path = (...parts: string[]) => join(project.dir, ...parts);

beforeEach(async () => {
  project = await makeProject({ kept: CAMPAIGN }, 'Poster for {{brand}}: {{scene}}. {{headline}}\n');
  mkdirSync(path('campaigns', 'kept', 'locales'));
  writeFileSync(path('campaigns', 'kept', 'locales', 'en-US.yaml'), 'headline: "HYDRATION"\n');
  writeFileSync(path('campaigns', 'kept', 'locales', 'de-DE.yaml'), 'headline: "HYDRATION!"\n');
  mkdirSync(path('node_modules', 'brandkit'), { recursive: true });
  writeFileSync(path('node_modules', 'brandkit', 'ref.png'), await makeImage(64, 64, 'png', 1));
});
afterEach(() => project.cleanup());

const BUILD = ['build', '--json'];
const KEY_ENV = { RUNWARE_API_KEY: SECRET };

/** The record of an invocation as cli() makes it: its inode (a full run writes it anew or removes it) and whether it is confirmed. */
function record(argv: string[] = BUILD, env: NodeJS.ProcessEnv = KEY_ENV): { ino: number; confirmed: boolean; text: string } | undefined {
  const key = replayKey({ node: process.version, argv, cwd: project.dir, env: { PATH: process.env['PATH'], CI: 'true', ...env }, stdout: {}, stderr: { isTTY: false } });
  const file = recordFile(project.dir, key);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return { ino: statSync(file).ino, confirmed: (JSON.parse(text.slice(0, text.indexOf('\n'))) as { confirmed: boolean }).confirmed, text };
}

const build = () => cli(project.dir, BUILD, KEY_ENV, settled);

/** Builds until a no-op's record is confirmed; returns the no-op's printout. */
async function settle() {
  expect((await build()).code).toBe(0);
  const candidate = await build();
  expect(candidate.code).toBe(0);
  expect(record()?.confirmed).toBe(false);
  const confirming = await build();
  expect(confirming).toEqual(candidate);
  expect(record()?.confirmed).toBe(true);
  return confirming;
}

describe('a kept no-op outcome', () => {
  it('is printed again, byte for byte, without running: in-process and by the executable', async () => {
    const noop = await settle();
    const kept = record()!;
    const again = await build();
    expect(again).toEqual(noop);
    expect(record()!.ino).toBe(kept.ino);

    const bin = spawnSync(process.execPath, [BIN, 'build', '--json'], { cwd: project.dir, env: { PATH: process.env['PATH'], CI: 'true', RUNWARE_API_KEY: SECRET }, encoding: 'utf8' });
    expect(bin.status).toBe(0);
    expect({ stdout: bin.stdout, stderr: bin.stderr }).toEqual({ stdout: noop.stdout, stderr: noop.stderr });
    expect(record()!.ino).toBe(kept.ino);
    // The key's value is never kept: only that one is set.
    expect(kept.text).not.toContain(SECRET);
  });

  it('is not kept after a run that made something (the next prints other counts), nor for --verify', async () => {
    const first = await build();
    expect(JSON.parse(first.stdout).campaigns[0].generated).toBe(4);
    expect(record()).toBeUndefined();
    // The no-op after it is a candidate, confirmed by none but an equal run.
    await build();
    expect(record()?.confirmed).toBe(false);
    for (let i = 0; i < 3; i++) expect((await cli(project.dir, ['build', '--force'], {}, settled)).code).toBe(0);
    expect(record(['build', '--force'], {})).toBeUndefined();
    // --verify is asked to read every delivered byte: its stat-kept outcome would answer without reading one.
    for (let i = 0; i < 3; i++) expect((await cli(project.dir, ['build', '--verify'], {}, settled)).code).toBe(0);
    expect(record(['build', '--verify'], {})).toBeUndefined();
  });

  it('is never kept with PRESSROOM_REPLAY=off, in the environment or in .env', async () => {
    const off = { ...KEY_ENV, PRESSROOM_REPLAY: 'off' };
    for (let i = 0; i < 3; i++) expect((await cli(project.dir, BUILD, off, settled)).code).toBe(0);
    expect(record(BUILD, off)).toBeUndefined();
    writeFileSync(path('.env'), 'PRESSROOM_REPLAY=off\n');
    for (let i = 0; i < 3; i++) expect((await build()).code).toBe(0);
    expect(record()).toBeUndefined();
  });

  it('is never kept for a build with failed jobs: each run asks the provider again', async () => {
    const emulator = await EMULATORS.runware({ apiKey: SECRET, latencyMs: 10, failPrompts: /HYDRATION!/ });
    try {
      writeFileSync(path('campaigns', 'kept', 'campaign.yaml'), `provider: runware\nmodel: seedream-4.5\n${CAMPAIGN}`);
      const submits: number[] = [];
      for (let i = 0; i < 4; i++) {
        expect((await cli(project.dir, BUILD, emulatorEnv(emulator, SECRET), settled)).code).toBe(1);
        submits.push(emulator.submits());
      }
      expect(record(BUILD, emulatorEnv(emulator, SECRET))).toBeUndefined();
      // The failed cells went out again on every run; the others were paid once.
      const each = submits.slice(1).map((n, i) => n - submits[i]!);
      expect(each[0]).toBeGreaterThan(0);
      expect(each).toEqual([each[0], each[0], each[0]]);
      expect(submits[0]).toBeGreaterThan(each[0]!);
    } finally {
      await emulator.close();
    }
  });

  it('is never kept with a remote cache: what the store holds is not a file here', async () => {
    const s3 = await startS3({ conditional: true });
    try {
      const env = { ...S3_ENV, PRESSROOM_CACHE_ENDPOINT: s3.endpoint, PRESSROOM_CACHE_URL: 's3://cache/ci' };
      const requests = () => Object.values(s3.counts).reduce((a, b) => a + b, 0);
      const seen: number[] = [];
      for (let i = 0; i < 4; i++) {
        expect((await cli(project.dir, BUILD, env, settled)).code).toBe(0);
        seen.push(requests());
      }
      expect(record(BUILD, env)).toBeUndefined();
      // The last run asked the store again.
      expect(seen[3]).toBeGreaterThan(seen[2]!);
    } finally {
      await s3.close();
    }
  });

  it('is not kept when an input changed within a second of the run (its stat may not tell the next change)', async () => {
    await build();
    const changed = statSync(path('campaigns', 'kept', 'campaign.yaml')).ctimeMs;
    expect((await cli(project.dir, ['build'], {}, { filesNow: () => changed + 500 })).code).toBe(0);
    expect(record(['build'], {})).toBeUndefined();
    expect((await cli(project.dir, ['build'], {}, { filesNow: () => changed + 5_000 })).code).toBe(0);
    expect(record(['build'], {})?.confirmed).toBe(false);
  });

  const changes: [string, () => void | Promise<void>, ((out: { code: number; stdout: string }) => void)?][] = [
    ['campaign.yaml', () => writeFileSync(path('campaigns', 'kept', 'campaign.yaml'), CAMPAIGN.replace('a bottle', 'a glass')), (o) => expect(JSON.parse(o.stdout).campaigns[0].generated).toBe(4)],
    ['a locale file', () => writeFileSync(path('campaigns', 'kept', 'locales', 'de-DE.yaml'), 'headline: "HYDRATION?"\n'), (o) => expect(JSON.parse(o.stdout).campaigns[0].generated).toBe(2)],
    ['a new locale file', () => writeFileSync(path('campaigns', 'kept', 'locales', 'fr-FR.yaml'), 'headline: "HYDRATATION"\n'), (o) => expect(JSON.parse(o.stdout).campaigns[0].assets).toBe(6)],
    ['the template', () => appendFileSync(path('templates', 'poster.hbs'), 'Studio light.\n'), (o) => expect(JSON.parse(o.stdout).campaigns[0].generated).toBe(4)],
    ['a file a campaign names outside the project folders (node_modules)', async () => writeFileSync(path('node_modules', 'brandkit', 'ref.png'), await makeImage(64, 64, 'png', 2)), (o) => expect(JSON.parse(o.stdout).campaigns[0].generated).toBe(4)],
    ['.env', () => writeFileSync(path('.env'), 'PRESSROOM_OUT_DIR=elsewhere\n')],
    ['approved.lock', () => writeFileSync(path('campaigns', 'kept', 'approved.lock'), 'not: [a lock\n'), (o) => expect(o.code).toBe(2)],
    // Written again with the bytes it had: counted unchanged, as the delivered content is.
    ['a delivered file', () => rmSync(path('out', 'kept', 'en-US', 'hero-square.png')), () => expect(existsSync(path('out', 'kept', 'en-US', 'hero-square.png'))).toBe(true)],
    ['the manifest', () => appendFileSync(path('out', 'kept', 'manifest.json'), ' ')],
    // Delivered files in place need no cache entry; plan counts them (below).
    ['a cache entry, removed', () => rmSync(cacheMeta(), { force: true })],
    ['a cache entry, rewritten in place', () => writeFileSync(cacheMeta(), '{}')],
    ['a journal left by a killed build', () => writeFileSync(path('.pressroom', 'cache', 'journal', 'other.jsonl'), '')],
  ];

  it.each(changes)('runs again after a change to %s', async (_what, change, check) => {
    await settle();
    const kept = record()!;
    await change();
    const after = await build();
    check?.(after);
    const now = record();
    expect(now === undefined || now.ino !== kept.ino).toBe(true);
  });

  it('runs again for another invocation or environment', async () => {
    await settle();
    const kept = record()!;
    await cli(project.dir, BUILD, { ...KEY_ENV, PRESSROOM_LOG: 'debug' }, settled);
    await cli(project.dir, [...BUILD, '--locale', 'de-DE'], KEY_ENV, settled);
    // Each kept its own candidate; the first invocation's record is as it was.
    expect(record(BUILD, { ...KEY_ENV, PRESSROOM_LOG: 'debug' })?.confirmed).toBe(false);
    expect(record([...BUILD, '--locale', 'de-DE'])?.confirmed).toBe(false);
    expect(record()!.ino).toBe(kept.ino);
  });

  it('keeps plan and plan --check outcomes, a stale out/ (exit 1) included', async () => {
    await build();
    writeFileSync(path('campaigns', 'kept', 'locales', 'de-DE.yaml'), 'headline: "HYDRATION?"\n');
    const runs: Awaited<ReturnType<typeof cli>>[] = [];
    for (let i = 0; i < 3; i++) runs.push(await cli(project.dir, ['plan', '--check'], {}, settled));
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(runs[2]).toEqual(runs[1]);
    expect(record(['plan', '--check'], {})?.confirmed).toBe(true);
  });

  it.each([
    ['removed', () => rmSync(cacheMeta())],
    ['rewritten in place', () => writeFileSync(cacheMeta(), '{}')],
  ])('of plan counts a cache entry %s as one to generate', async (_how, change) => {
    await build();
    const plans: Awaited<ReturnType<typeof cli>>[] = [];
    for (let i = 0; i < 3; i++) plans.push(await cli(project.dir, ['plan', '--json'], {}, settled));
    expect(record(['plan', '--json'], {})?.confirmed).toBe(true);
    change();
    const after = await cli(project.dir, ['plan', '--json'], {}, settled);
    const toGenerate = (o: { stdout: string }) => (JSON.parse(o.stdout) as { campaigns: { toGenerate: number }[] }).campaigns[0]!.toGenerate;
    expect([toGenerate(plans[2]!), toGenerate(after)]).toEqual([0, 1]);
  });
});

function cacheMeta(): string {
  const objects = path('.pressroom', 'cache', 'objects');
  const folder = readdirSync(objects).sort()[0]!;
  const meta = readdirSync(join(objects, folder)).find((n) => n.endsWith('.json'))!;
  return join(objects, folder, meta);
}
