import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { prepareCampaigns, type PrepareOptions } from '../../src/commands/prepare.js';
import { createProviders } from '../../src/providers/registry.js';
import { DEMO_CAMPAIGN, makeProject } from '../helpers/project.js';

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ demo: DEMO_CAMPAIGN, other: DEMO_CAMPAIGN.replace('template: poster', 'template: poster\nprovider: runware') });
  // The same campaign name from a second folder: out/ folders would collide.
  mkdirSync(join(project.dir, 'elsewhere', 'demo'), { recursive: true });
  writeFileSync(join(project.dir, 'elsewhere', 'demo', 'campaign.yaml'), DEMO_CAMPAIGN);
  mkdirSync(join(project.dir, 'elsewhere', 'shouting'), { recursive: true });
  writeFileSync(join(project.dir, 'elsewhere', 'shouting', 'campaign.yaml'), `name: DEMO\n${DEMO_CAMPAIGN}`);
});
afterAll(() => project.cleanup());

const options = (over: Partial<PrepareOptions> = {}): PrepareOptions => ({
  projectRoot: project.dir,
  cwd: project.dir,
  paths: [],
  filter: {},
  env: {},
  providerFor: createProviders({ env: {} }),
  requireKeys: false,
  ...over,
});

async function problems(over: Partial<PrepareOptions>) {
  const err = await prepareCampaigns(options(over)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems;
}

describe('prepareCampaigns', () => {
  it('runs manifest, plan and render for every campaign under campaigns/', async () => {
    const prepared = await prepareCampaigns(options());
    expect(prepared.map((p) => [p.campaign.name, p.provider.name, p.allCells.length, p.cells.length])).toEqual([
      ['demo', 'local', 9, 9],
      ['other', 'runware', 9, 9],
    ]);
    expect(prepared[0]!.cells[0]!.prompt).toMatch(/^Poster for AQUA\/\/ONE/);
    expect(prepared[0]!.generations.length).toBeGreaterThan(0);
  });

  it('applies overrides and filters: the filter narrows cells, never allCells', async () => {
    const [p] = await prepareCampaigns(options({ paths: ['campaigns/demo'], provider: 'runcomfy', model: 'seedream-5-lite', filter: { locales: ['de-DE'] } }));
    expect(p).toMatchObject({ campaign: { provider: 'runcomfy', model: 'seedream-5-lite' } });
    expect([p!.allCells.length, p!.cells.length]).toEqual([9, 3]);
  });

  it('asks for keys only when told to, naming the variable', async () => {
    expect(await prepareCampaigns(options({ paths: ['campaigns/other'] }))).toHaveLength(1);
    const found = await problems({ paths: ['campaigns/other'], requireKeys: true });
    expect(found.map((p) => p.code)).toEqual(['E_ENV']);
    expect(found[0]!.message).toMatch(/^RUNWARE_API_KEY is not set/);
  });

  it('reports a path that names nothing, and two campaigns with one name', async () => {
    const found = await problems({ paths: ['campaigns/demo', 'elsewhere/demo', 'nope'] });
    expect(found.map((p) => p.code).sort()).toEqual(['E_NOT_FOUND']);
    const clash = await problems({ paths: ['campaigns/demo', 'elsewhere/demo'] });
    expect(clash).toEqual([expect.objectContaining({ code: 'E_DUPLICATE_ID', path: 'name', file: join(project.dir, 'elsewhere/demo/campaign.yaml') })]);
  });

  it('two campaign names that differ only in case: one out/ folder on macOS and Windows', async () => {
    const clash = await problems({ paths: ['campaigns/demo', 'elsewhere/shouting'] });
    expect(clash).toEqual([expect.objectContaining({ code: 'E_DUPLICATE_ID', path: 'name', message: expect.stringContaining('"DEMO" is also used by') })]);
  });

  it('reports a model the provider does not offer at the flag that chose it', async () => {
    const found = await problems({ paths: ['campaigns/demo'], provider: 'runcomfy', model: 'seedream-4.0' });
    expect(found).toEqual([expect.objectContaining({ code: 'E_PROVIDER', path: '--model' })]);
  });

  it('says where it looked when there are no campaigns', async () => {
    const found = await problems({ projectRoot: join(project.dir, 'elsewhere') });
    expect(found).toEqual([{ code: 'E_NOT_FOUND', message: `no campaigns found under ${join(project.dir, 'elsewhere')}/campaigns (expected campaigns/<name>/campaign.yaml)` }]);
  });
});

describe('prepareCampaigns --shard', () => {
  const TEXT_CAMPAIGN = `template: poster
variants: [{ id: hero }]
locales:
  en-US: { headline: Light }
  de-DE: { headline: "Licht, das deinem Tag folgt, vom frühen Morgen bis in die späte Nacht" }
text:
  layers:
    - field: headline
      box: { x: 0.05, y: 0.1, width: 0.6, height: 0.3 }
      size: { min: 14, max: 0.6 }
sizes:
  - { id: leaderboard, width: 728, height: 90 }
  - { id: square, width: 1080, height: 1080 }
`;
  let textProject: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    textProject = await makeProject({ copy: TEXT_CAMPAIGN }, 'Backdrop for {{campaign}}, {{size.aspect}} {{size.orientation}}, no text.\n');
  });
  afterAll(() => textProject.cleanup());

  it('keeps only the share of the generations and refuses only the copy of its own cells', async () => {
    const at = { projectRoot: textProject.dir, cwd: textProject.dir };
    const whole = await problems(at);
    expect(whole.map((p) => [p.code, p.path])).toEqual([['E_TEXT', 'locales.de-DE.headline']]);
    const count = 4;
    const shares = await Promise.all(
      Array.from({ length: count }, (_, i) => prepareCampaigns(options({ ...at, shard: { index: i + 1, count } })).then((p) => p, (e: unknown) => e)),
    );
    const refused = shares.filter((s) => s instanceof InputError);
    const built = shares.filter((s): s is Awaited<ReturnType<typeof prepareCampaigns>> => Array.isArray(s));
    // The leaderboard's generation lies in exactly one share: that runner refuses, the others go on.
    expect(refused).toHaveLength(1);
    expect((refused[0] as InputError).problems.map((p) => p.path)).toEqual(['locales.de-DE.headline']);
    const sizesBuilt = built.flatMap((p) => p[0]!.generations.flatMap((g) => g.cells.map((c) => c.size.id)));
    expect(sizesBuilt.sort()).toEqual(['square', 'square']);
  });
});
