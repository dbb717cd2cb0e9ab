import { describe, expect, it } from 'vitest';
import type { CampaignPlan, CampaignResult } from '../../src/core/results.js';
import { buildMarkdown, planMarkdown } from '../../src/report/markdown.js';
import { formatPlan } from '../../src/report/summary.js';

const plan = (over: Partial<CampaignPlan>): CampaignPlan => ({
  name: 'launch',
  provider: 'runcomfy',
  model: 'seedream-4.5',
  assets: 6,
  generations: 4,
  cached: 1,
  toGenerate: 3,
  price: 0.04,
  priceSource: 'provider',
  estimatedCost: 0.12,
  ...over,
});

describe('Markdown for CI', () => {
  it('a plan: a row per campaign; an unknown price is unknown, and so is the total', () => {
    const md = planMarkdown([plan({}), plan({ name: 'other', model: 'seedream-4.0', price: null, priceSource: 'unknown', estimatedCost: null, budget: 1 })]);
    expect(md).toContain('| launch | runcomfy · seedream-4.5 | 6 | 4 | 1 | 3 | $0.120 | — |');
    expect(md).toContain('| other | runcomfy · seedream-4.0 | 6 | 4 | 1 | 3 | unknown | $1.00 |');
    expect(md).toMatch(/\*\*6 generation\(s\) to run, estimated unknown\*\*\.\n$/);
    expect(formatPlan([plan({ estimatedCost: null, priceSource: 'unknown' })])).toMatch(/unknown\nestimated cost of this build: unknown\n$/);
  });

  it('a build: counts, cost, failures with their codes, pipes escaped', () => {
    const c: CampaignResult = {
      name: 'launch',
      assets: 5,
      generated: 4,
      cached: 1,
      failed: 1,
      manifest: '/x/manifest.json',
      failures: [{ variant: 'hero', locale: 'de-DE', size: 'sq', error: { code: 'E_PROVIDER_MODERATION', message: 'refused | flagged', provider: 'runware' } }],
      possibleDuplicates: 0,
      cost: 0.16,
      generations: { billed: 2, cached: 1, failed: 1 },
      delivered: { new: 4, recomposed: 1, unchanged: 0, failed: 1, leftOut: 2 },
    };
    const md = buildMarkdown({ campaigns: [c], stoppedOnBudget: true });
    expect(md).toContain('| campaign | cells | new | re-composed | unchanged | failed | left out | generations billed · cached · failed | candidates made · cached | cost |');
    expect(md).toContain('| launch | 8 | 4 | 1 | 0 | 1 | 2 | 2 · 1 · 1 | — | $0.160 |');
    expect(md).toContain('- launch · hero · de-DE · sq: `E_PROVIDER_MODERATION` refused \\| flagged');
    expect(md).toContain('Stopped on budget');
    expect(md).toContain('**Spent $0.160.**');
  });

  it('a frozen build that refused: the cells and why, in words, and no table', () => {
    const md = buildMarkdown({ campaigns: [], refused: [{ code: 'E_UNAPPROVED', message: 'launch hero/de-DE/sq: changed since approval: headline text "A" → "B | C"' }] });
    expect(md).toContain('**build --frozen refused: 1 cell(s) not approved as they are now; nothing was generated or written.**');
    expect(md).toContain('- `E_UNAPPROVED` launch hero/de-DE/sq: changed since approval: headline text "A" → "B \\| C"');
    expect(md).not.toContain('| campaign |');
  });
});
