import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedDelivery, PlannedGeneration } from '../../src/core/results.js';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';

/** plan --json says which requests a build would send and which files it would write, like a dry run. */

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

interface PlanDoc {
  campaigns: { toGenerate: number; estimatedCost: number | null; requests: PlannedGeneration[]; outdated?: number; outdatedAssets?: PlannedDelivery[] }[];
}
const plan = async (...args: string[]) => {
  const run = await cli(project.dir, ['plan', '--json', ...args]);
  return { code: run.code, doc: JSON.parse(run.stdout) as PlanDoc };
};
const cellIds = (cells: readonly { variant: string; locale: string; size: string }[]) => cells.map((c) => `${c.variant}/${c.locale}/${c.size}`).sort();
const ALL_CELLS = ['en-US', 'de-DE', 'ar-SA'].flatMap((l) => ['square', 'thumb', 'story'].map((s) => `hero/${l}/${s}`)).sort();

describe('plan --json lists the requests and the deliveries', () => {
  it('before a build: every request with its key, cells and cost; every file missing', async () => {
    const { code, doc } = await plan('--provider', 'runware');
    expect(code).toBe(0);
    const [demo] = doc.campaigns;
    // square and thumb share a generation (same aspect, same prompt): 6 requests serve 9 cells.
    expect(demo!.requests).toHaveLength(demo!.toGenerate);
    expect(demo!.toGenerate).toBe(6);
    expect(cellIds(demo!.requests.flatMap((r) => r.cells))).toEqual(ALL_CELLS);
    expect(new Set(demo!.requests.map((r) => r.key)).size).toBe(6);
    for (const r of demo!.requests) expect(r).toMatchObject({ key: expect.stringMatching(/^[0-9a-f]{64}$/), images: 1, estimatedCost: 0.04 });
    expect(demo!.requests.reduce((s, r) => s + r.estimatedCost!, 0)).toBeCloseTo(demo!.estimatedCost!, 6);
    expect(demo!.outdatedAssets).toHaveLength(9);
    expect(demo!.outdatedAssets!.every((o) => o.reason === 'missing' && o.file === `${o.locale}/${o.variant}-${o.size}.jpg`)).toBe(true);
  });

  it('after a build: nothing; after a copy edit: that locale\'s requests and its stale files', async () => {
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const current = (await plan()).doc.campaigns[0]!;
    expect(current.requests).toEqual([]);
    expect(current.outdatedAssets).toEqual([]);

    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN.replace('Intelligente Temperaturanzeige.', 'Neue Kopie.'));
    const edited = (await plan()).doc.campaigns[0]!;
    expect(cellIds(edited.requests.flatMap((r) => r.cells))).toEqual(['hero/de-DE/square', 'hero/de-DE/story', 'hero/de-DE/thumb']);
    // local: free, and said so per request.
    expect(edited.requests.map((r) => r.estimatedCost)).toEqual([0, 0]);
    expect(edited.outdatedAssets!.map((o) => `${o.file} ${o.reason}`).sort()).toEqual(['de-DE/hero-square.jpg stale', 'de-DE/hero-story.jpg stale', 'de-DE/hero-thumb.jpg stale']);
  });

  it('lists candidate requests apart from the delivered images', async () => {
    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), `candidates: 3\n${DEMO_CAMPAIGN}`);
    const { doc } = await plan('--provider', 'runninghub');
    const requests = doc.campaigns[0]!.requests;
    // Another provider, other keys: all 6 generations due, and 2 seeded candidate requests for each
    // (RunningHub makes one image per request), each serving the same cells.
    expect(requests.filter((r) => !r.candidate)).toHaveLength(6);
    expect(requests.filter((r) => r.candidate)).toHaveLength(12);
    expect(requests.reduce((s, r) => s + r.estimatedCost!, 0)).toBeCloseTo(doc.campaigns[0]!.estimatedCost!, 6);
  });
});

describe('plan --check names what is out of date', () => {
  it('the first few files, then how many more', async () => {
    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN.replace(/HYDRATION, (REFINED|VERFEINERT)/g, 'NEU'));
    const run = await cli(project.dir, ['plan', '--check']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/E_OUTDATED: demo: 0 asset\(s\) missing and 6 stale in out\/demo: en-US\/hero-square\.jpg \(stale\), en-US\/hero-thumb\.jpg \(stale\), en-US\/hero-story\.jpg \(stale\) and 3 more; a build would generate 4 image\(s\)/);
  });

  it('the cells a build would generate when out/ is current but the cache is not', async () => {
    writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN);
    const run = await cli(project.dir, ['plan', '--check', '--cache-dir', 'empty-cache']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/0 asset\(s\) missing and 0 stale in out\/demo; a build would generate 6 image\(s\) for hero\/en-US\/square, hero\/en-US\/thumb, hero\/en-US\/story and 6 more/);
  });
});
