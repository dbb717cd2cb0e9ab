import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generationKey } from '../../src/cache/key.js';
import { groupGenerations } from '../../src/plan/generations.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

const provider = createLocalProvider({ env: {} });
const plan = (campaign = campaignFixture()) => groupGenerations(campaign, provider, renderPrompts(campaign, buildMatrix(campaign)));

describe('groupGenerations (dedupe)', () => {
  it('shares one generation between square sizes of a size-agnostic template', () => {
    const gens = plan();
    // 2 variants x 2 locales x (one square generation + one story) = 8 for 12 cells.
    expect(gens).toHaveLength(8);
    const shared = gens.filter((g) => g.cells.length === 2);
    expect(shared).toHaveLength(4);
    for (const g of shared) expect(g.cells.map((c) => c.size.id).sort()).toEqual(['square', 'square-small']);
  });

  it('splits them when the template mentions the size', () => {
    const campaign = campaignFixture({ template: { file: '/t.hbs', source: '{{scene}} {{size.width}}x{{size.height}} {{headline}}' } });
    expect(plan(campaign)).toHaveLength(12);
  });

  it('is stable across runs and independent of environment and keys', () => {
    const other = createLocalProvider({ env: { RUNWARE_API_KEY: 'sk-secret', RUNWARE_BASE_URL: 'http://127.0.0.1:1' } });
    const campaign = campaignFixture();
    const keys = groupGenerations(campaign, other, renderPrompts(campaign, buildMatrix(campaign))).map((g) => g.key);
    // The first cell (hero, en-US, square) hashed by hand: what the key must cover, and nothing else.
    const { width, height } = provider.generationSize('seedream-4.5', { width: 1080, height: 1080 });
    const prompt = 'Poster of AQUA//ONE: a bottle in a splash. Text in English: \\"HYDRATION, REFINED\\"';
    const material = `{"height":${height},"model":"seedream-4.5","options":{},"prompt":"${prompt}","provider":"local","references":[],"renderer":3,"seed":null,"v":1,"width":${width}}`;
    expect(keys[0]).toBe(createHash('sha256').update(material).digest('hex'));
    expect(new Set(keys).size).toBe(8);
    expect(plan().map((g) => g.key)).toEqual(keys);
  });
});

describe('generationKey', () => {
  const base = {
    provider: 'runware' as const,
    model: 'seedream-4.5' as const,
    prompt: 'a poster',
    size: { width: 2048, height: 2048 },
    references: [],
    options: { optimizePromptMode: 'standard', nested: { b: 1, a: 2 } },
  };
  const key = generationKey(base);

  it.each([
    ['provider', { provider: 'runcomfy' as const }],
    ['model', { model: 'seedream-4.0' as const }],
    ['prompt', { prompt: 'a poster!' }],
    ['size', { size: { width: 2048, height: 2064 } }],
    ['seed', { seed: 7 }],
    ['options', { options: { optimizePromptMode: 'fast' } }],
    ['reference bytes', { references: [{ kind: 'url' as const, url: 'https://x/y.png' }] }],
  ])('changes with %s', (_name, change) => {
    expect(generationKey({ ...base, ...change })).not.toBe(key);
  });

  it('ignores key order inside options', () => {
    expect(generationKey({ ...base, options: { nested: { a: 2, b: 1 }, optimizePromptMode: 'standard' } })).toBe(key);
  });

  it('hashes reference bytes, not their path', () => {
    const ref = (path: string, sha256: string) => ({ kind: 'file' as const, path, sha256, mime: 'image/png' as const, bytes: new Uint8Array(), width: 1, height: 1 });
    expect(generationKey({ ...base, references: [ref('/a.png', 'aa')] })).toBe(generationKey({ ...base, references: [ref('/moved/b.png', 'aa')] }));
    expect(generationKey({ ...base, references: [ref('/a.png', 'aa')] })).not.toBe(generationKey({ ...base, references: [ref('/a.png', 'bb')] }));
  });
});
