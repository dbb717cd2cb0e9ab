import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { billingSetup, GENERATIONS, manifestOf } from '../helpers/billing.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

/** What CI runs: plan/build --check, budgets, the Markdown step summary, build --json. */

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());
const campaignFile = () => join(project.dir, 'campaigns', 'demo', 'campaign.yaml');

describe('--check', () => {
  it('fails (exit 1) before a build, passes once out/ is current, fails again after a change; generates nothing', async () => {
    const before = await cli(project.dir, ['plan', '--check', '--json']);
    expect(before.code).toBe(1);
    const doc = JSON.parse(before.stdout);
    expect(doc.errors).toEqual([expect.objectContaining({ code: 'E_OUTDATED', message: expect.stringMatching(/demo: 9 asset\(s\) missing and 0 stale .* generate 6 image/) })]);
    expect(doc.campaigns[0]).toMatchObject({ toGenerate: 6, outdated: 9 });

    const build = await cli(project.dir, ['build', '--json']);
    expect(build.code, build.stderr).toBe(0);
    const after = await cli(project.dir, ['plan', '--check']);
    expect(after.code, after.stderr).toBe(0);
    const viaBuild = await cli(project.dir, ['build', '--check']);
    expect(viaBuild.code).toBe(0);

    // New copy for one locale: its 3 cells are stale (and 2 generations due); build --check says so, builds nothing.
    writeFileSync(campaignFile(), DEMO_CAMPAIGN.replace('Intelligente Temperaturanzeige.', 'Neue Kopie.'));
    const manifestBefore = readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8');
    const changed = await cli(project.dir, ['build', '--check', '--json']);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).campaigns[0]).toMatchObject({ toGenerate: 2, outdated: 3 });
    expect(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')).toBe(manifestBefore);
    writeFileSync(campaignFile(), DEMO_CAMPAIGN);
  });

  it('writes the Markdown table to stdout and appends it to --summary', async () => {
    const summary = join(project.dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const run = await cli(project.dir, ['plan', '--check', '--report', 'markdown', '--summary', summary]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Pressroom plan\n\n\| campaign \| provider · model \| cells \|/);
    expect(run.stdout).toMatch(/\| demo \| local · seedream-4\.5 \| 9 \| 6 \| 6 \| 0 \| \$0\.00 \| — \| 0 \|/);
    expect(run.stdout).toMatch(/out\/ is current\./);
    expect(readFileSync(summary, 'utf8')).toBe(`earlier step\n${run.stdout}`);
  });

  it('build --json: generations billed, cached, failed and totalCost; the manifest has totalCost (0 for local)', async () => {
    const run = await cli(project.dir, ['build', '--json', '--force', '--locale', 'en-US']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.totalCost).toBe(0);
    expect(doc.campaigns[0]).toMatchObject({ generations: { billed: 2, cached: 0, failed: 0 }, totalCost: 0 });
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')) as CampaignManifest;
    expect(manifest.totalCost).toBe(0);
  });
});

describe('budgets', () => {
  it('plan refuses an estimate over budget: or --max-cost with exit 3 and the estimate; under it, exit 0', async () => {
    const runware = DEMO_CAMPAIGN.replace('template: poster', 'provider: runware\ntemplate: poster\nbudget: 0.1');
    const { dir, cleanup } = await makeProject({ demo: runware });
    try {
      const over = await cli(dir, ['plan', '--json']);
      expect(over.code).toBe(3);
      expect(JSON.parse(over.stdout).errors).toEqual([
        expect.objectContaining({ code: 'E_BUDGET', file: 'campaigns/demo/campaign.yaml', field: 'budget', line: 3, message: expect.stringMatching(/6 generation\(s\) .* estimated \$0\.240, is over its budget of \$0\.100/) }),
      ]);
      writeFileSync(join(dir, 'campaigns', 'demo', 'campaign.yaml'), runware.replace('budget: 0.1', 'budget: 1'));
      expect((await cli(dir, ['plan'])).code).toBe(0);
      const flag = await cli(dir, ['plan', '--max-cost', '0.2']);
      expect(flag.code).toBe(3);
      expect(flag.stderr).toMatch(/E_BUDGET: this build: 6 generation\(s\), estimated \$0\.240, is over --max-cost \$0\.200/);
      expect((await cli(dir, ['plan', '--max-cost', 'lots'])).code).toBe(2);
    } finally {
      await cleanup();
    }
  });

  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('a build stops submitting once actual spend reaches --max-cost; running jobs finish; the manifest says so (emulator)', async () => {
    const setup = await billingSetup('runware');
    cleanups.push(setup.cleanup);
    // The campaign's price table under-estimates (0.001 a image): the plan fits, the bills (0.04 each) do not.
    const file = join(setup.project.dir, 'campaigns', 'launch', 'campaign.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}prices: { seedream-4.5: 0.001 }\n`);
    const run = await cli(setup.project.dir, ['build', '--concurrency', '1', '--max-cost', '0.05', '--json'], setup.env);
    expect(run.code, run.stderr).toBe(3);
    // The first image (0.04) is under the limit, the second reaches it: nothing after is submitted.
    expect(setup.emulator.billed()).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ status: 'over-budget', stoppedOnBudget: true, totalCost: 0.08 });
    const manifest = manifestOf(setup.project.dir);
    expect(manifest.stopped).toEqual({ reason: 'budget', limit: 0.05, spent: 0.08 });
    expect(manifest.totalCost).toBe(0.08);
    expect(manifest.assets).toHaveLength(2);
    expect(manifest.failures).toHaveLength(GENERATIONS - 2);
    for (const f of manifest.failures) expect(f.error.code).toBe('E_BUDGET');
  });
});
