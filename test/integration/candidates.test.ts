import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { perceptualDifference } from '../../src/image/perceptual.js';
import { candidateSeed } from '../../src/plan/candidates.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ demo: `seed: 42\n${DEMO_CAMPAIGN}` });
});
afterAll(() => project.cleanup());

const out = (...parts: string[]) => join(project.dir, 'out', 'demo', ...parts);
const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
const build = async (...args: string[]) => {
  const r = await cli(project.dir, ['build', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).campaigns[0] as { generated: number; cached: number };
};

describe('candidates', () => {
  it('candidate seeds: k = 0 is the campaign seed, others derived from seed and k, all distinct', () => {
    expect(candidateSeed(42, 0)).toBe(42);
    expect(candidateSeed(undefined, 0)).toBeUndefined();
    expect(candidateSeed(42, 1)).toBe(candidateSeed(42, 1));
    const seeds = [1, 2, 3, 4].map((k) => candidateSeed(42, k));
    expect(new Set([42, ...seeds]).size).toBe(5);
    expect(candidateSeed(7, 1)).not.toBe(candidateSeed(42, 1));
  });

  it('--candidates 2 delivers candidate 0 as before and shows 2 images per cell; the k = 0 cache stays valid', async () => {
    await build();
    const plain = manifest();
    const keys = plain.assets.map((a) => a.generation.key);
    await build('--candidates', '2');
    // Delivery is unchanged: candidate 0 is the build without candidates.
    expect(manifest().assets.map((a) => a.generation.key)).toEqual(keys);
    const files = readdirSync(out('candidates'));
    // 6 generations x 1 extra candidate, each a full image and a thumbnail.
    expect(files.filter((f) => !f.endsWith('-thumb.webp'))).toHaveLength(6);
    expect(files.filter((f) => f.endsWith('-thumb.webp'))).toHaveLength(6);
    const html = readFileSync(out('index.html'), 'utf8');
    for (const card of html.split('<figure').slice(1)) expect(card.match(/data-full=/g)).toHaveLength(2);
    expect(html).toContain('candidate 1');
  });

  it('a rebuild with candidates pays for nothing and leaves index.html untouched', async () => {
    const before = statSync(out('index.html')).mtimeMs;
    const text = readFileSync(out('index.html'), 'utf8');
    const again = await build('--candidates', '2');
    expect(again.generated).toBe(0);
    expect(readFileSync(out('index.html'), 'utf8')).toBe(text);
    expect(statSync(out('index.html')).mtimeMs).toBe(before);
  });

  it('approving candidate 1 of one cell: build --frozen cuts that cell from candidate 1, its sibling size from candidate 0', async () => {
    const cell = 'hero/en-US/square';
    const before = manifest();
    const square = before.assets.find((a) => a.locale === 'en-US' && a.size === 'square')!;
    const thumb = before.assets.find((a) => a.locale === 'en-US' && a.size === 'thumb')!;
    // One generation serves both sizes of a locale: the approval splits it.
    expect(thumb.generation.key).toBe(square.generation.key);
    const candidate = square.candidates!.find((c) => c.pick === 1)!;
    expect((await cli(project.dir, ['approve', 'demo'])).code).toBe(0);
    expect((await cli(project.dir, ['approve', 'demo', '--cell', cell, '--pick', '1'])).code).toBe(0);
    const cachedImage = (key: string) => readFileSync(join(project.dir, '.pressroom', 'cache', 'objects', key.slice(0, 2), `${key}.img`));

    const frozen = await cli(project.dir, ['build', '--frozen', '--json']);
    expect(frozen.code, frozen.stdout).toBe(0);
    const after = manifest();
    const delivered = after.assets.find((a) => a.locale === 'en-US' && a.size === 'square')!;
    expect(delivered.generation.key).toBe(candidate.key);
    expect(after.assets.find((a) => a.locale === 'en-US' && a.size === 'thumb')!.generation.key).toBe(square.generation.key);
    // The delivered square looks like candidate 1 and not like candidate 0 (each proof is drawn from its key).
    const file = readFileSync(out(delivered.file));
    const toPicked = (await perceptualDifference(file, cachedImage(candidate.key))).score;
    const toFirst = (await perceptualDifference(file, cachedImage(square.generation.key))).score;
    expect(toPicked).toBeLessThan(toFirst);
    expect(delivered.sha256).not.toBe(square.sha256);
  });

  it('a candidates folder that links outside out/<campaign> is neither written through nor emptied', async () => {
    const outside = join(project.dir, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'precious.webp'), 'not ours');
    rmSync(out('candidates'), { recursive: true, force: true });
    symlinkSync(outside, out('candidates'));
    const r = await cli(project.dir, ['build', '--json', '--candidates', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('lies outside');
    expect(readdirSync(outside)).toEqual(['precious.webp']);
    expect(manifest().assets.every((a) => a.candidates === undefined)).toBe(true);
  });

  it('refuses --candidates out of range with exit 2 naming the flag', async () => {
    const r = await cli(project.dir, ['build', '--json', '--candidates', '99']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors[0]).toMatchObject({ code: 'E_USAGE', field: '--candidates' });
  });
});
