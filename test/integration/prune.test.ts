import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCacheObjects } from '../../src/cache/prune.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

let project: { dir: string; cleanup: () => Promise<void> };
const cacheDir = () => join(project.dir, '.pressroom', 'cache');
const keys = async () => new Set((await listCacheObjects(cacheDir())).map((o) => o.key));
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

describe('pressroom prune', () => {
  it('removes only entries no campaign references, never one in use by a build; --dry-run removes nothing', async () => {
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const first = await keys();
    // New German copy: its 2 generations are regenerated, the old 2 are referenced by nothing.
    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN.replace('Intelligente Temperaturanzeige.', 'Neue Kopie.'));
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const both = await keys();
    expect(both.size).toBe(8);
    expect([...first].every((k) => both.has(k))).toBe(true);
    // Built with only en-US this time: a filter must not make the other locales' entries orphans.
    expect((await cli(project.dir, ['build', '--locale', 'en-US'])).code).toBe(0);

    const dry = await cli(project.dir, ['prune', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, removed: { entries: 2 }, kept: { entries: 6 } });
    expect((await keys()).size).toBe(8);

    const plan = JSON.parse((await cli(project.dir, ['plan', '--json'])).stdout);
    expect(plan.campaigns[0]).toMatchObject({ generations: 6, cached: 6 });
    const current = new Set<string>();
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')) as { assets: { generation: { key: string } }[] };
    for (const a of manifest.assets) current.add(a.generation.key);
    const unreferenced = [...both].filter((k) => !current.has(k));
    expect(unreferenced).toHaveLength(2);
    // One of them is claimed by a running build: kept.
    mkdirSync(join(cacheDir(), 'claims'), { recursive: true });
    writeFileSync(join(cacheDir(), 'claims', `${unreferenced[0]}.claim`), '{}');

    const run = await cli(project.dir, ['prune']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^removed 1 cache entry \(\d+\.\d MB\); kept 7 /);
    const after = await keys();
    expect(after.has(unreferenced[0]!)).toBe(true);
    expect(after.has(unreferenced[1]!)).toBe(false);
    for (const k of current) expect(after.has(k)).toBe(true);
    // Everything the campaign needs is still a cache hit.
    expect(JSON.parse((await cli(project.dir, ['plan', '--json'])).stdout).campaigns[0]).toMatchObject({ cached: 6, toGenerate: 0 });
    expect(existsSync(join(project.dir, 'out', 'demo', 'manifest.json'))).toBe(true);
  });

  it('--max-size removes nothing when the cache is already under it; a bad size is exit 2', async () => {
    const run = await cli(project.dir, ['prune', '--max-size', '2GB', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ removed: { entries: 0 } });
    expect((await cli(project.dir, ['prune', '--max-size', 'huge'])).code).toBe(2);
  });

  it('--max-size it cannot meet says what is left and why, and still exits 0', async () => {
    const before = await keys();
    const json = await cli(project.dir, ['prune', '--max-size', '1KB', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    // 6 entries the campaign's cells need, 1 claimed by a running build (the first test's claim).
    expect(doc).toMatchObject({ removed: { entries: 0 }, kept: { entries: 7, because: { referenced: { entries: 6 }, 'in-use': { entries: 1 }, approved: { entries: 0 } } }, maxSize: { bytes: 1024, over: true } });
    expect(await keys()).toEqual(before);

    const text = await cli(project.dir, ['prune', '--max-size', '1KB']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}6 \(\d+\.\d MB\) needed by a cell of a campaign under campaigns\/$/m);
    expect(text.stdout).toMatch(/^ {2}1 \(\d+\.\d MB\) held by a running build/m);
    expect(text.stdout).toMatch(/the cache is still \d+\.\d MB, over --max-size 1 KB/);
  });

  it('names approved images as kept for approved.lock', async () => {
    // Every cell approved, then the German copy changed: the old German images are only approved now.
    expect((await cli(project.dir, ['approve', 'demo'])).code).toBe(0);
    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN.replace('Intelligente Temperaturanzeige.', 'Noch eine Kopie.'));
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const doc = JSON.parse((await cli(project.dir, ['prune', '--dry-run', '--json'])).stdout);
    expect(doc.kept.because.approved.entries).toBe(2);
  });
});
