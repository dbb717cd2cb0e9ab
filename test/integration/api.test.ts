import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, plan, validate } from '../../src/index.js';
import { makeProject } from '../helpers/project.js';

/** The public API in-process: data back, never an exit, never a child process. */
let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

describe('the package entry', () => {
  it('plans a campaign of this repository with no options (cwd is the project root)', async () => {
    // dist/ is what `import "pressroom"` loads; npm test compiles it first.
    const api = (await import('../../dist/index.js')) as typeof import('../../src/index.js');
    const result = await api.plan(['campaigns/social-kit']);
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(result.campaigns).toHaveLength(1);
    expect(result.campaigns[0]!.assets).toBeGreaterThan(0);
  });
});

describe('validate, plan, build', () => {
  it('validate returns the campaigns, or the problems as data', async () => {
    expect(await validate([], { cwd: project.dir })).toMatchObject({ status: 'ok', valid: true, campaigns: [{ name: 'demo', assets: 9 }] });
    const bad = await validate(['campaigns/missing'], { cwd: project.dir });
    expect(bad).toMatchObject({ status: 'invalid', exitCode: 2, valid: false });
    expect(bad.errors[0]).toMatchObject({ code: 'E_NOT_FOUND', title: 'Campaign not found' });
  });

  it('plan honours the settings: filters, force and the cache folder', async () => {
    const result = await plan(['campaigns/demo'], { cwd: project.dir, filter: { locales: ['de-DE'] }, cacheDir: 'elsewhere' });
    expect(result.campaigns[0]).toMatchObject({ name: 'demo', assets: 3, cached: 0 });
  });

  it('build delivers into outRoot and reports counts, then plan sees the cache', async () => {
    const writes: string[] = [];
    const result = await build([], { cwd: project.dir, filter: { sizes: ['thumb'] }, stderr: { write: (t: string) => writes.push(t) } });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, interrupted: false, errors: [] });
    expect(result.campaigns[0]).toMatchObject({ name: 'demo', assets: 3, generated: 3, failed: 0 });
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')) as { assets: unknown[] };
    expect(manifest.assets).toHaveLength(3);
    expect(writes.join('')).toMatch(/building 1 campaign/);
    const after = await plan([], { cwd: project.dir, filter: { sizes: ['thumb'] } });
    expect(after.campaigns[0]).toMatchObject({ cached: 3, toGenerate: 0 });
  });

  it('build with a missing key returns E_ENV as data and writes nothing', async () => {
    const result = await build([], { cwd: project.dir, provider: 'runware', outRoot: 'out-keys', env: {} });
    expect(result).toMatchObject({ status: 'invalid', exitCode: 2, campaigns: [] });
    expect(result.errors.map((e) => e.code)).toEqual(['E_ENV']);
    expect(existsSync(join(project.dir, 'out-keys'))).toBe(false);
  });

  it('a build stopped before it starts reports interrupted', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await build([], { cwd: project.dir, outRoot: 'out-stopped', force: true, stop: stop.signal });
    expect(result).toMatchObject({ status: 'interrupted', exitCode: 130, interrupted: true });
    expect(result.errors.every((e) => e.code === 'E_INTERRUPTED')).toBe(true);
  });
});
