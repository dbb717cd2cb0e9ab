import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

const out = (...parts: string[]) => join(project.dir, 'out', 'demo', ...parts);
const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;

function snapshotOut(): Map<string, { sha: string; mtime: number }> {
  const files = new Map<string, { sha: string; mtime: number }>();
  for (const entry of readdirSync(join(project.dir, 'out'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, { sha: sha256Hex(readFileSync(path)), mtime: statSync(path).mtimeMs });
  }
  return files;
}

describe('pressroom build (local provider, whole pipeline)', () => {
  it('delivers every cell at its exact size, with a manifest and a contact sheet', async () => {
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    // 3 locales x (one square generation shared by square+thumb, one story) = 6 generations, 9 assets.
    expect(summary.campaigns[0]).toMatchObject({ name: 'demo', assets: 9, generated: 9, cached: 0, failed: 0, manifest: 'out/demo/manifest.json' });

    const m = manifest();
    expect(m.campaign).toBe('demo');
    expect(m.failures).toEqual([]);
    expect(m.assets).toHaveLength(9);
    expect(new Set(m.assets.map((a) => a.generation.key)).size).toBe(6);
    for (const asset of m.assets) {
      const bytes = readFileSync(out(asset.file));
      expect(asset.file).toBe(`${asset.locale}/${asset.variant}-${asset.size}.jpg`);
      expect(sha256Hex(bytes)).toBe(asset.sha256);
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([asset.width, asset.height, 'jpeg']);
      expect(asset.prompt).toContain(asset.locale === 'de-DE' ? 'German' : asset.locale === 'ar-SA' ? 'Arabic' : 'English');
      expect(asset).toMatchObject({ provider: 'local', model: 'seedream-4.5' });
    }
    const story = m.assets.find((a) => a.size === 'story')!;
    expect([story.width, story.height]).toEqual([540, 960]);
    expect(story.generation.height).toBeGreaterThan(story.generation.width);

    const sheet = await sharp(out('contact-sheet.png')).metadata();
    expect(sheet.format).toBe('png');
    expect(m.contactSheet.pages.map((p) => p.file)).toEqual(['contact-sheet.png']);
  });

  it('rebuilds fully cached: nothing generated, out/ byte for byte the same, files untouched', async () => {
    const before = snapshotOut();
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 0, cached: 9, failed: 0 });
    expect(snapshotOut()).toEqual(before);
  });

  it('regenerates only the cells of a locale whose copy changed', async () => {
    const file = join(project.dir, 'campaigns', 'demo', 'campaign.yaml');
    writeFileSync(file, DEMO_CAMPAIGN.replace('Intelligente Temperaturanzeige.', 'Temperatur immer im Blick.'));
    const before = manifest();
    const run = await cli(project.dir, ['build', '--json']);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 3, cached: 6 });
    const after = manifest();
    for (const a of after.assets) {
      const old = before.assets.find((b) => b.file === a.file)!;
      if (a.locale === 'de-DE') expect(a.sha256).not.toBe(old.sha256);
      else expect(a).toEqual(old);
    }
  });

  it('rebuilds a deleted delivery file from the cache without generating', async () => {
    const victim = manifest().assets[0]!;
    const { rmSync } = await import('node:fs');
    rmSync(out(victim.file));
    const run = await cli(project.dir, ['build', '--json']);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 0, cached: 9 });
    expect(sha256Hex(readFileSync(out(victim.file)))).toBe(victim.sha256);
  });

  it('narrows with --locale and keeps the other locales in the manifest', async () => {
    const run = await cli(project.dir, ['build', '--locale', 'en-US', '--force', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: 3 });
    expect(manifest().assets).toHaveLength(9);
  });

  it('removes the temporary files a killed run left in out/<campaign> and the cache, and no other file', async () => {
    const { existsSync, mkdirSync } = await import('node:fs');
    const strayOut = out('en-US', '.hero-square.jpg.pressroom-tmp-999999999-0123456789ab');
    const cacheObjects = join(project.dir, '.pressroom', 'cache', 'objects', 'zz');
    mkdirSync(cacheObjects, { recursive: true });
    const strayCache = join(cacheObjects, '.deadbeef.img.pressroom-tmp-999999999-0123456789ab');
    // A temp file of a build running alongside (a live pid: this test's own) stays.
    const young = join(cacheObjects, `.cafe.img.pressroom-tmp-${process.pid}-ba9876543210`);
    // The user's files, under --out but outside this campaign's folder, or not Pressroom's names.
    const userNotes = join(project.dir, 'out', 'notes.tmp-1');
    const userInside = out('en-US', 'draft.png.tmp-0123456789ab');
    const otherTool = join(project.dir, 'out', 'elsewhere', '.x.png.pressroom-tmp-999999999-0123456789ab');
    mkdirSync(join(project.dir, 'out', 'elsewhere'), { recursive: true });
    for (const f of [strayOut, strayCache, young, userNotes, userInside, otherTool]) writeFileSync(f, 'half a file');
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(0);
    expect([strayOut, strayCache].map(existsSync)).toEqual([false, false]);
    expect([young, userNotes, userInside, otherTool].map(existsSync)).toEqual([true, true, true, true]);
    expect(readFileSync(userNotes, 'utf8')).toBe('half a file');
  });

  it('plans without calling the provider', async () => {
    const run = await cli(project.dir, ['plan', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toEqual({ name: 'demo', assets: 9, generations: 6, cached: 6, toGenerate: 0, estimatedCost: 0, requests: [], outdated: 0, outdatedAssets: [] });
  });
});
