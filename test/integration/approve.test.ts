import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { cli } from '../helpers/project.js';
import { reviewCampaign, useRunwareProject } from '../helpers/runware-project.js';

const KEY = 'sk-approve-test-0001';
const CAMPAIGN = reviewCampaign(`sizes:\n  - { id: square, width: 1080, height: 1080 }\n  - { id: story, width: 1080, height: 1920 }`);
const CELLS = ['hero/de-DE/square', 'hero/de-DE/story', 'hero/en-US/square', 'hero/en-US/story'];

const { ctx, run } = useRunwareProject(KEY, { launch: CAMPAIGN });
const submits = () => ctx.emulator.requests.filter((r) => r.route === 'submit').length;
const lockFile = () => join(ctx.dir, 'campaigns', 'launch', 'approved.lock');
const lock = () => JSON.parse(readFileSync(lockFile(), 'utf8')) as { campaign: string; cells: Record<string, { key: string; sha256: string; pick: number }> };
const manifest = () => JSON.parse(readFileSync(join(ctx.dir, 'out', 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;

describe('approve, build --frozen and diff (Runware emulator)', () => {
  it('approve before any build is an input error naming the manifest', async () => {
    const r = await run(['approve', 'launch']);
    expect(r.code).toBe(2);
    expect(r.doc.errors[0]).toMatchObject({ code: 'E_NOT_BUILT', file: 'out/launch/manifest.json' });
  });

  it('build --frozen with nothing approved fails listing every cell, before paying for anything', async () => {
    const r = await run(['build', '--frozen']);
    expect(r.code).toBe(1);
    expect(r.doc.errors.map((e: { field: string }) => e.field)).toEqual(CELLS);
    expect(r.doc.errors.every((e: { code: string; message: string }) => e.code === 'E_UNAPPROVED' && e.message.includes('not approved'))).toBe(true);
    expect(submits()).toBe(0);
  });

  it('approves one cell, then the rest; the lock is sorted and records key and delivered hash', async () => {
    expect((await run(['build'])).code).toBe(0);
    const one = await run(['approve', 'launch', '--cell', 'hero/en-US/story']);
    expect(one.code).toBe(0);
    expect(Object.keys(lock().cells)).toEqual(['hero/en-US/story']);
    const stillFrozen = await run(['build', '--frozen']);
    expect(stillFrozen.code).toBe(1);
    expect(stillFrozen.doc.errors.map((e: { field: string }) => e.field)).toEqual(CELLS.filter((c) => c !== 'hero/en-US/story'));

    expect((await run(['approve', 'launch'])).code).toBe(0);
    const text = readFileSync(lockFile(), 'utf8');
    expect(Object.keys(lock().cells)).toEqual(CELLS);
    expect(text.endsWith('}\n') && text.split('\n').length).toBeGreaterThan(CELLS.length * 4);
    for (const a of manifest().assets) {
      expect(lock().cells[`${a.variant}/${a.locale}/${a.size}`]).toEqual({
        key: a.generation.key,
        pick: 0,
        sha256: a.sha256,
        // The delivered file and its recipe: what a frozen build must deliver again.
        delivered: { recipe: a.recipe, sha256: a.sha256, file: a.file, format: 'png', quality: 90, width: a.width, height: a.height, layers: [] },
      });
    }
    // Approving again changes nothing: a diff-friendly file is stable.
    await run(['approve', 'launch']);
    expect(readFileSync(lockFile(), 'utf8')).toBe(text);
  });

  it('build --frozen delivers exactly the approved images', async () => {
    const before = submits();
    const r = await run(['build', '--frozen']);
    expect(r.code).toBe(0);
    expect(submits()).toBe(before);
    for (const a of manifest().assets) expect(a.sha256).toBe(lock().cells[`${a.variant}/${a.locale}/${a.size}`]!.sha256);
  });

  it('refuses a bad --cell or --pick with exit 2 naming the flag', async () => {
    const cell = await run(['approve', 'launch', '--cell', 'hero/fr-FR/square']);
    expect(cell.code).toBe(2);
    expect(cell.doc.errors[0]).toMatchObject({ code: 'E_USAGE', field: '--cell' });
    const pick = await run(['approve', 'launch', '--pick', 'x']);
    expect(pick.code).toBe(2);
    expect(pick.doc.errors[0]).toMatchObject({ code: 'E_USAGE', field: '--pick' });
  });

  it('a changed headline fails --frozen for exactly its cells, and diff shows approved beside new with a score', async () => {
    const yaml = join(ctx.dir, 'campaigns', 'launch', 'campaign.yaml');
    writeFileSync(yaml, CAMPAIGN.replace('HYDRATION, REFINED', 'STAY COOL, ALL DAY'));
    const before = submits();
    const frozen = await run(['build', '--frozen']);
    expect(frozen.code).toBe(1);
    expect(frozen.doc.errors.map((e: { field: string }) => e.field)).toEqual(['hero/en-US/square', 'hero/en-US/story']);
    expect(frozen.doc.errors[0].message).toContain('changed since approval');
    // Without --json, in words: each refused cell by name, and that nothing ran.
    const words = await cli(ctx.dir, ['build', '--frozen'], ctx.env);
    expect(words.code).toBe(1);
    for (const cell of ['hero/en-US/square', 'hero/en-US/story']) expect(words.stdout).toMatch(new RegExp(`${cell}: changed since approval`));
    expect(words.stdout).toContain('nothing was generated or written');
    expect(submits()).toBe(before);

    const notBuilt = await run(['diff', 'launch']);
    expect(notBuilt.code).toBe(0);
    expect(notBuilt.doc.campaigns[0].changed.map((c: { note?: string }) => c.note)).toEqual(['new image not built yet: run pressroom build first', 'new image not built yet: run pressroom build first']);

    expect((await run(['build'])).code).toBe(0);
    const diff = await run(['diff', 'launch']);
    expect(diff.code).toBe(0);
    const changed = diff.doc.campaigns[0].changed as { cell: string; score: number }[];
    expect(changed.map((c) => c.cell)).toEqual(['hero/en-US/square', 'hero/en-US/story']);
    // The emulator's images are flat colours, so the score's meaning is tested in perceptual.test.ts.
    for (const c of changed) expect(c.score >= 0 && c.score <= 1).toBe(true);
    const png = await sharp(join(ctx.dir, diff.doc.campaigns[0].png)).metadata();
    expect(png.format).toBe('png');
    expect(png.height).toBeGreaterThan(2 * 320);
    const html = readFileSync(join(ctx.dir, diff.doc.campaigns[0].html), 'utf8');
    expect(html).toContain('hero/en-US/square');
    expect(html).toContain('diff/hero--en-US--square-approved.webp');
    expect(html).toContain('diff/hero--en-US--square-new.webp');
    // diff writes the gallery again, which now links its page.
    const gallery = () => readFileSync(join(ctx.dir, 'out', 'launch', 'index.html'), 'utf8');
    expect(gallery()).toContain('<a class="diff-link" href="diff.html">');

    // Approving the new images unfreezes the build again, and the build removes the diff it made stale.
    expect((await run(['approve', 'launch'])).code).toBe(0);
    expect((await run(['build', '--frozen'])).code).toBe(0);
    const outDir = join(ctx.dir, 'out', 'launch');
    expect(existsSync(join(outDir, 'diff.html')) || existsSync(join(outDir, 'diff.png'))).toBe(false);
    expect(readdirSync(join(outDir, 'diff'))).toEqual([]);
    expect(gallery()).not.toContain('diff-link');
  });

  it('diff with nothing changed removes an earlier diff; a file outside out/<campaign> is never touched', async () => {
    const outDir = join(ctx.dir, 'out', 'launch');
    const outside = join(ctx.dir, 'keep.png');
    writeFileSync(outside, 'not ours');
    writeFileSync(join(outDir, 'diff', 'hero--en-US--square-new.webp'), 'stale');
    writeFileSync(join(outDir, 'diff.html'), 'stale');
    symlinkSync(outside, join(outDir, 'diff', 'link.png'));
    const r = await run(['diff', 'launch']);
    expect(r.code).toBe(0);
    expect(r.doc.campaigns[0].changed).toEqual([]);
    expect(existsSync(join(outDir, 'diff.html'))).toBe(false);
    expect(readdirSync(join(outDir, 'diff'))).toEqual(['link.png']);
    expect(readFileSync(outside, 'utf8')).toBe('not ours');
  });

  it('an approved.lock that is not JSON is an input error naming the file', async () => {
    writeFileSync(lockFile(), '{ not json');
    const r = await run(['build', '--frozen']);
    expect(r.code).toBe(2);
    expect(r.doc.errors[0]).toMatchObject({ code: 'E_APPROVALS', file: 'campaigns/launch/approved.lock' });
  });
});
