import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../src/cache/store.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { makeImage } from '../helpers/images.js';
import { cli, makeProject } from '../helpers/project.js';
import { reviewCampaign } from '../helpers/runware-project.js';

/**
 * `build --frozen`'s integrity checks, each test on its own project (so each stands alone): an
 * approved candidate must still be in the cache with the approved bytes (the cache check, before
 * anything runs), and a file whose bytes are not the approved ones is not written (the bytes check,
 * at delivery). A refusal pays for nothing and leaves the delivered files as they were.
 */

const KEY = 'sk-frozen-guards-0001';
const CAMPAIGN = reviewCampaign('sizes: [{ id: square, width: 1080, height: 1080 }]');
const PICKED = 'hero/en-US/square';
const OTHER = 'hero/de-DE/square';

let emulator: AnyEmulator;
let project: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  emulator = await EMULATORS.runware({ apiKey: KEY, latencyMs: 10 });
  project = await makeProject({ launch: CAMPAIGN });
  // Two candidates per cell; candidate 1 approved for one cell, the cell's own image for the other.
  expect((await run('build', '--candidates', '2')).code).toBe(0);
  expect((await run('approve', 'launch')).code).toBe(0);
  expect((await run('approve', 'launch', '--cell', PICKED, '--pick', '1')).code).toBe(0);
  expect((await run('build', '--frozen')).code).toBe(0);
}, 120_000);
afterEach(async () => {
  await emulator.close();
  await project.cleanup();
});

async function run(...args: string[]) {
  const r = await cli(project.dir, [...args, '--json'], emulatorEnv(emulator, KEY));
  return { ...r, doc: JSON.parse(r.stdout) as { errors?: { code: string; field?: string }[]; notes?: unknown[] } };
}
const submits = () => emulator.requests.filter((r) => r.route === 'submit').length;
const out = (file: string) => join(project.dir, 'out', 'launch', file);
const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
const lockFile = () => join(project.dir, 'campaigns', 'launch', 'approved.lock');
const lock = () => JSON.parse(readFileSync(lockFile(), 'utf8')) as { version: number; cells: Record<string, { key: string; sha256: string; pick: number; delivered?: { sha256: string; file: string } }> };
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const cacheDir = () => join(project.dir, '.pressroom', 'cache');
/** What out/launch holds: every file's bytes and mtime. */
const snapshot = () => Object.fromEntries(manifest().assets.map((a) => [a.file, `${sha(out(a.file))}@${statSync(out(a.file)).mtimeMs}`]));

describe('build --frozen: the approved candidate must be in the cache, as approved', () => {
  it('intact, it is delivered byte for byte as approved, paying nothing', async () => {
    const before = submits();
    const r = await run('build', '--frozen');
    expect(r.code).toBe(0);
    expect(submits()).toBe(before);
    for (const cell of [PICKED, OTHER]) {
      const approved = lock().cells[cell]!.delivered!;
      expect(sha(out(approved.file))).toBe(approved.sha256);
    }
    // Every cell's delivered file is recorded: nothing to say about approvals that cover less.
    expect(r.stderr).not.toContain('re-approve to cover the delivered file');
  });

  it('gone from the cache, the frozen build is refused at that cell before anything runs', async () => {
    const files = snapshot();
    const before = submits();
    rmSync(join(cacheDir(), 'objects', lock().cells[PICKED]!.key.slice(0, 2), `${lock().cells[PICKED]!.key}.json`));
    const r = await run('build', '--frozen');
    expect(r.code).toBe(1);
    expect(r.doc.errors?.map((e) => [e.code, e.field])).toEqual([['E_UNAPPROVED', PICKED]]);
    expect(submits()).toBe(before);
    expect(snapshot()).toEqual(files);
  });

  it('in the cache with other bytes than the approved image, it is refused the same way', async () => {
    const files = snapshot();
    const before = submits();
    const { key } = lock().cells[PICKED]!;
    const cache = openCacheStore(cacheDir());
    const meta = (await cache.peek(key))!;
    // A valid entry under the approved key whose image is not the approved one.
    rmSync(join(cacheDir(), 'objects', key.slice(0, 2), `${key}.json`));
    await cache.write({ key, provider: meta.provider, model: meta.model, taskId: meta.taskId }, await makeImage(meta.width, meta.height));
    expect((await cache.peek(key))!.sha256).not.toBe(lock().cells[PICKED]!.sha256);
    const r = await run('build', '--frozen');
    expect(r.code).toBe(1);
    expect(r.doc.errors?.map((e) => [e.code, e.field])).toEqual([['E_UNAPPROVED', PICKED]]);
    expect(submits()).toBe(before);
    expect(snapshot()).toEqual(files);
  });
});

describe('build --frozen: the bytes check at delivery', () => {
  it('a file that would not be the approved bytes is not written; its approved file stays, the other cell is delivered', async () => {
    const approvedFile = out(lock().cells[OTHER]!.delivered!.file);
    const approvedBytes = sha(approvedFile);
    // The lock vouches for other bytes than the recipe makes today (a font replaced, a new Pressroom).
    const text = readFileSync(lockFile(), 'utf8');
    writeFileSync(lockFile(), text.replace(lock().cells[OTHER]!.delivered!.sha256, 'f'.repeat(64)));
    rmSync(out(lock().cells[PICKED]!.delivered!.file));
    const r = await run('build', '--frozen');
    expect(r.code).toBe(1);
    expect(sha(approvedFile)).toBe(approvedBytes);
    expect(r.doc.errors?.map((e) => [e.code, e.field])).toEqual([['E_UNAPPROVED', OTHER]]);
    // The other cell was delivered again from its approved image.
    expect(sha(out(lock().cells[PICKED]!.delivered!.file))).toBe(lock().cells[PICKED]!.delivered!.sha256);
  });
});

describe('build --frozen with a version 1 lock', () => {
  it('delivers on the generation approvals alone and says so once', async () => {
    const v2 = lock();
    const v1 = { ...v2, version: 1, cells: Object.fromEntries(Object.entries(v2.cells).map(([id, { delivered: _d, ...cell }]) => [id, cell])) };
    writeFileSync(lockFile(), JSON.stringify(v1, null, 2));
    const before = submits();
    const r = await run('build', '--frozen');
    expect(r.code, r.stdout).toBe(0);
    expect(submits()).toBe(before);
    expect(r.stderr.split('\n').filter((l) => l.includes('pressroom approve launch'))).toHaveLength(1);
  });
});
