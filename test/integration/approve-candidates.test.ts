import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { cli, makeProject } from '../helpers/project.js';
import { reviewCampaign, useRunwareProject } from '../helpers/runware-project.js';

const KEY = 'sk-candidates-test-0001';
const CAMPAIGN = reviewCampaign(`sizes: [{ id: square, width: 1080, height: 1080 }]`);
/** What the emulator bills per image of seedream-4.5 (includeCost). */
const IMAGE_USD = 0.04;
const PICKED = 'hero/en-US/square';

const { ctx, run } = useRunwareProject(KEY, { launch: CAMPAIGN });
/** numberResults of every imageInference task the emulator received, in order. */
const submitted = () =>
  ctx.emulator.requests
    .filter((r) => r.route === 'submit')
    .flatMap((r) => (r.json as Record<string, unknown>[]).filter((t) => t['taskType'] === 'imageInference').map((t) => (t['numberResults'] as number | undefined) ?? 1));
const out = (...parts: string[]) => join(ctx.dir, 'out', 'launch', ...parts);
const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
const lock = () => JSON.parse(readFileSync(join(ctx.dir, 'campaigns', 'launch', 'approved.lock'), 'utf8')) as { cells: Record<string, { key: string; sha256: string; pick: number; of?: number; delivered?: { recipe: string; sha256: string } }> };
const cacheMeta = (key: string) => join(ctx.dir, '.pressroom', 'cache', 'objects', key.slice(0, 2), `${key}.json`);
const asset = (cell: string) => manifest().assets.find((a) => `${a.variant}/${a.locale}/${a.size}` === cell)!;

describe('candidates through Runware numberResults, approving candidate k, frozen delivery of it', () => {
  it('3 candidates: one extra task per cell asks for 2 images; each image is cached under its own key; a re-run bills nothing', async () => {
    // The budget check before a build counts candidate images too: 2 cells x 3 images at 0.04 is over 0.2.
    const refused = await run(['build', '--candidates', '3', '--max-cost', '0.2']);
    expect(refused.code).toBe(3);
    expect(submitted()).toEqual([]);
    const first = await run(['build', '--candidates', '3']);
    expect(first.code, first.stderr).toBe(0);
    // One task per cell for the delivered image, one per cell for candidates 1 and 2.
    expect(submitted().sort()).toEqual([1, 1, 2, 2]);
    const m = manifest();
    for (const a of m.assets) {
      expect(a.candidates?.map((c) => c.pick)).toEqual([1, 2]);
      const keys = [a.generation.key, ...a.candidates!.map((c) => c.key)];
      expect(new Set(keys).size).toBe(3);
      for (const c of a.candidates!) {
        expect(existsSync(cacheMeta(c.key))).toBe(true);
        expect(existsSync(out(c.file)) && existsSync(out(c.thumb))).toBe(true);
      }
      // The request's cost is on its own key, once; its second image claims no cost and no seed it was not sent with.
      const [one, two] = a.candidates!.map((c) => JSON.parse(readFileSync(cacheMeta(c.key), 'utf8')) as { cost?: number; seed?: number });
      expect(one!.cost).toBeCloseTo(2 * IMAGE_USD, 6);
      expect(two!.cost).toBeUndefined();
      expect(two!.seed).toBeUndefined();
    }
    // Candidates count in the totals, once per paid request: 2 cells x (1 + 2) images.
    expect(m.candidatesCost).toBeCloseTo(2 * 2 * IMAGE_USD, 6);
    expect(m.totalCost).toBeCloseTo(2 * 3 * IMAGE_USD, 6);
    expect(first.doc.totalCost).toBeCloseTo(2 * 3 * IMAGE_USD, 6);
    expect(first.doc.campaigns[0].generations.billed).toBe(4);

    const again = await run(['build', '--candidates', '3']);
    expect(again.code).toBe(0);
    expect(submitted()).toHaveLength(4);
    expect(again.doc.totalCost).toBe(0);
    // What the set cost stays in the manifest, whichever build paid for it.
    expect(manifest().totalCost).toBeCloseTo(2 * 3 * IMAGE_USD, 6);
  });

  it('approve --pick 2 records the candidate key, its count and its image hash; the gallery marks it', async () => {
    expect((await run(['approve', 'launch'])).code).toBe(0);
    const r = await run(['approve', 'launch', '--cell', PICKED, '--pick', '2']);
    expect(r.code, r.stdout).toBe(0);
    const candidate = asset(PICKED).candidates!.find((c) => c.pick === 2)!;
    const cached = JSON.parse(readFileSync(cacheMeta(candidate.key), 'utf8')) as { sha256: string };
    expect(lock().cells[PICKED]).toMatchObject({ key: candidate.key, of: 3, pick: 2, sha256: cached.sha256 });
    // The file candidate 2 delivers, made in memory as delivery makes it: its recipe names the candidate's image.
    expect(lock().cells[PICKED]!.delivered).toMatchObject({ file: asset(PICKED).file, format: 'png', width: 1080, height: 1080, layers: [] });
    expect(lock().cells[PICKED]!.delivered!.recipe).not.toBe(asset(PICKED).recipe);
    expect(lock().cells['hero/de-DE/square']!.pick).toBe(0);

    // Approving writes the gallery again: the approved shot of each cell is marked, and only it.
    const html = readFileSync(out('index.html'), 'utf8');
    const card = html.split('<figure').slice(1).find((c) => c.includes(`data-locale="en-US"`))!;
    expect(card).toContain(`class="approved" data-full="${candidate.file}"`);
    expect(card.match(/class="approved"/g)).toHaveLength(1);
    const other = html.split('<figure').slice(1).find((c) => c.includes(`data-locale="de-DE"`))!;
    expect(other).toContain(`class="approved" data-full="${asset('hero/de-DE/square').file}"`);
  });

  it('prune keeps the candidates the gallery shows and the approved one', async () => {
    const keys = manifest().assets.flatMap((a) => a.candidates!.map((c) => c.key));
    const r = await run(['prune']);
    expect(r.code).toBe(0);
    for (const key of keys) expect(existsSync(cacheMeta(key))).toBe(true);
  });

  it('a pick the last build did not show is refused with exit 2 naming --pick', async () => {
    const r = await run(['approve', 'launch', '--cell', PICKED, '--pick', '5']);
    expect(r.code).toBe(2);
    expect(r.doc.errors[0]).toMatchObject({ code: 'E_USAGE', field: '--pick' });
    expect(r.doc.errors[0].message).toContain('--candidates 6');
  });

  it('build --frozen delivers the approved candidate from the cache, pays nothing and makes no candidates', async () => {
    const before = submitted().length;
    const r = await run(['build', '--frozen']);
    expect(r.code, r.stdout).toBe(0);
    expect(submitted()).toHaveLength(before);
    expect(asset(PICKED).generation.key).toBe(lock().cells[PICKED]!.key);
    expect(asset('hero/de-DE/square').generation.key).toBe(lock().cells['hero/de-DE/square']!.key);
    // A frozen build delivers approved images only: no candidates, and their files are gone.
    expect(manifest().assets.every((a) => a.candidates === undefined)).toBe(true);
    expect(readdirSync(out('candidates'))).toEqual([]);
    // Approving what the frozen build delivered keeps the candidate approved as it was.
    const text = readFileSync(join(ctx.dir, 'campaigns', 'launch', 'approved.lock'), 'utf8');
    expect((await run(['approve', 'launch'])).code).toBe(0);
    expect(readFileSync(join(ctx.dir, 'campaigns', 'launch', 'approved.lock'), 'utf8')).toBe(text);
    // Once no manifest names it (a plain build), the lock alone keeps the approved candidate from prune.
    expect((await run(['build'])).code).toBe(0);
    expect((await run(['prune'])).code).toBe(0);
    expect(existsSync(cacheMeta(lock().cells[PICKED]!.key))).toBe(true);
  });

  it('fails (exit 1, naming the cell) once the approved candidate is gone from the cache, saying how to make it again', async () => {
    const key = lock().cells[PICKED]!.key;
    rmSync(cacheMeta(key));
    const before = submitted().length;
    const r = await run(['build', '--frozen']);
    expect(r.code).toBe(1);
    expect(r.doc.errors.map((e: { field: string }) => e.field)).toEqual([PICKED]);
    expect(r.doc.errors[0].message).toContain('no longer in the cache');
    expect(r.doc.errors[0].message).toContain('--candidates 3');
    expect(submitted()).toHaveLength(before);
  });

  it('fails when the approved candidate key changed (a copy edit), listing that cell only', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(ctx.dir, 'campaigns', 'launch', 'campaign.yaml'), CAMPAIGN.replace('HYDRATION, REFINED', 'STAY COOL'));
    const r = await run(['build', '--frozen']);
    expect(r.code).toBe(1);
    expect(r.doc.errors.map((e: { field: string }) => e.field)).toEqual([PICKED]);
    expect(r.doc.errors[0].message).toContain('changed since approval');
  });
});

describe('a campaign that already asks Runware for several images per request', () => {
  it('shows them as candidates with no request of their own, their cost counted once with the delivered image', async () => {
    const own = await makeProject({ launch: CAMPAIGN.replace('sizes:', 'candidates: 3\nproviderOptions: { numberResults: 3 }\nsizes:') });
    const before = submitted().length;
    try {
      // The estimate counts every image billed: 2 requests of 3 images each, at Runware's table price (as the emulator bills).
      const plan = JSON.parse((await cli(own.dir, ['plan', '--json'], ctx.env)).stdout) as { campaigns: { estimatedCost: number }[] };
      expect(plan.campaigns[0]!.estimatedCost).toBeCloseTo(6 * IMAGE_USD, 6);
      const r = await cli(own.dir, ['build', '--json'], ctx.env);
      expect(r.code, r.stdout).toBe(0);
      expect(submitted().slice(before)).toEqual([3, 3]);
      const m = JSON.parse(readFileSync(join(own.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;
      for (const a of m.assets) {
        expect(a.candidates?.map((c) => c.pick)).toEqual([1, 2]);
        expect(existsSync(join(own.dir, 'out', 'launch', a.candidates![1]!.file))).toBe(true);
      }
      expect(m.candidatesCost).toBeUndefined();
      expect(m.totalCost).toBeCloseTo(2 * 3 * IMAGE_USD, 6);
      expect((await cli(own.dir, ['build', '--json'], ctx.env)).code).toBe(0);
      expect(submitted().slice(before)).toHaveLength(2);
    } finally {
      await own.cleanup();
    }
  });
});
