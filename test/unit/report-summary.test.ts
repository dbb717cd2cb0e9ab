import { describe, expect, it } from 'vitest';
import type { AssetEntry, CampaignPlan, CampaignResult, DeliveredGeneration, FailureEntry } from '../../src/core/results.js';
import { campaignResult, formatBuildSummary, formatPlan, withIds } from '../../src/report/summary.js';

const asset = (variant: string, size: string, key: string, cost?: number): AssetEntry => ({
  variant,
  locale: 'en-US',
  size,
  file: `en-US/${variant}-${size}.png`,
  width: 10,
  height: 10,
  format: 'png',
  bytes: 1,
  sha256: 'x',
  prompt: 'p',
  provider: 'runware',
  model: 'seedream-4.5',
  generation: { key, width: 10, height: 10, seed: null },
  ...(cost !== undefined ? { cost } : {}),
  recipe: 'r',
});
const failure = (variant: string, providerCode?: string, taskId?: string): FailureEntry => ({
  variant,
  locale: 'de-DE',
  size: 'sq',
  error: { code: 'E_PROVIDER_MODERATION', message: 'refused by moderation', provider: 'runware', providerCode, taskId },
});
const delivered = (kind: DeliveredGeneration['kind'], entries: AssetEntry[], extra: Partial<DeliveredGeneration> = {}): DeliveredGeneration => ({
  kind,
  entries,
  failures: [],
  possibleDuplicate: false,
  ...extra,
});

describe('campaignResult', () => {
  it('counts assets, not generations; in-place counts as cached; a shared generation costs once', () => {
    const shared = [asset('a', 'sq', 'g1', 0.03), asset('a', 'sq-small', 'g1', 0.03)];
    const results = [
      delivered('generated', shared),
      delivered('generated', [asset('b', 'sq', 'g2', 0.0125)], { possibleDuplicate: true }),
      delivered('cached', [asset('c', 'sq', 'g3', 0.5)]),
      delivered('in-place', [asset('d', 'sq', 'g4')]),
      delivered('failed', [], { failures: [failure('e')] }),
    ];
    const assets = results.flatMap((r) => r.entries);
    const r = campaignResult('demo', results, { assets, failures: [failure('e')] }, '/out/demo/manifest.json', { built: 6, allCells: 9 });
    expect(r).toEqual({
      name: 'demo',
      assets: 5,
      generated: 3,
      cached: 2,
      failed: 1,
      manifest: '/out/demo/manifest.json',
      failures: [failure('e')],
      possibleDuplicates: 1,
      cost: 0.0425,
      // Two generations paid for, two from the cache or out/, one failed.
      generations: { billed: 2, cached: 2, failed: 1 },
      // Per cell: three from new images, one written again from the cache, one in place, one failed; three a filter left out.
      delivered: { new: 3, recomposed: 1, unchanged: 1, failed: 1, leftOut: 3 },
    });
  });

  it('a file written again with the bytes it had is unchanged, whatever made it; a frozen refusal is a failure outside the manifest', () => {
    const same = asset('a', 'sq', 'g1');
    const edited = { ...asset('b', 'sq', 'g1'), sha256: 'new' };
    const refused = { ...failure('c'), error: { ...failure('c').error, code: 'E_UNAPPROVED' as const } };
    const results = [delivered('cached', [same, edited], { failures: [refused] })];
    const r = campaignResult('demo', results, { assets: [same, edited], failures: [] }, '/m', { previous: { assets: [same, asset('b', 'sq', 'g1')] }, built: 3, allCells: 3, refused: [refused] });
    expect(r.delivered).toEqual({ new: 0, recomposed: 1, unchanged: 1, failed: 1, leftOut: 0 });
    expect(r.failed).toBe(1);
    expect(r.failures).toEqual([refused]);
  });
});

describe('withIds', () => {
  it('adds the provider code and task id unless the message already says them', () => {
    expect(withIds({ message: 'refused', providerCode: 'NSFW', taskId: 't1' })).toBe('refused (code NSFW, task t1)');
    expect(withIds({ message: 'refused NSFW', providerCode: 'NSFW', taskId: 't1' })).toBe('refused NSFW (task t1)');
    expect(withIds({ message: 'plain' })).toBe('plain');
  });
});

const result = (over: Partial<CampaignResult>): CampaignResult => ({
  name: 'demo',
  assets: 3,
  generated: 2,
  cached: 1,
  failed: 0,
  manifest: '/p/out/demo/manifest.json',
  failures: [],
  possibleDuplicates: 0,
  cost: 0,
  ...over,
});

describe('formatBuildSummary', () => {
  const rel = (f: string) => f.replace('/p/', '');

  it('one line per campaign with counts, cost and the manifest path', () => {
    const counted = result({ cost: 0.06, generations: { billed: 1, cached: 1, failed: 0 }, delivered: { new: 2, recomposed: 0, unchanged: 1, failed: 0, leftOut: 9 }, candidates: { made: 4, cached: 0, failed: 0 } });
    expect(formatBuildSummary({ campaigns: [counted] }, rel)).toBe(
      'demo: 12 cells (2 new, 0 re-composed, 1 unchanged, 0 failed, 9 left out by a filter) · generations: 1 billed, 1 cached, 0 failed · candidates: 4 made, 0 cached · $0.060 spent → out/demo/manifest.json\n',
    );
  });

  it('lists failures with ids, warns of possible double charges, and says how to retry', () => {
    const text = formatBuildSummary(
      { campaigns: [result({ failed: 1, failures: [failure('hero', 'NSFW', 't-7')], possibleDuplicates: 2 })], fatal: { code: 'E_PROVIDER_AUTH', message: 'key refused', provider: 'runware' } },
      rel,
    );
    expect(text.split('\n')).toEqual([
      'demo: 4 cells (2 new, 1 re-composed, 0 unchanged, 1 failed) → out/demo/manifest.json',
      '  ✗ hero · de-DE · sq: refused by moderation (code NSFW, task t-7)',
      '  ! 2 generation(s) were resubmitted after a submit whose answer was lost: the provider may have charged twice; check its dashboard',
      'stopped early: key refused',
      '1 asset(s) failed; finished ones are written and cached — re-run to retry only the failures',
      '',
    ]);
  });

  it('a frozen build that refused says which cells and why, in words, and what to do', () => {
    const text = formatBuildSummary({ campaigns: [], refused: [{ message: 'demo hero/de-DE/square: changed since approval: headline text "A" → "B"' }] }, rel);
    expect(text.split('\n')).toEqual([
      'build --frozen refused: 1 cell(s) not approved as they are now; nothing was generated or written',
      '  ✗ demo hero/de-DE/square: changed since approval: headline text "A" → "B"',
      'review the changes with pressroom diff <campaign> (or a build without --frozen and its gallery), then pressroom approve <campaign>',
      '',
    ]);
  });
});

describe('formatPlan', () => {
  const plan = (over: Partial<CampaignPlan>): CampaignPlan => ({
    name: 'demo',
    provider: 'runware',
    model: 'seedream-4.5',
    assets: 9,
    generations: 6,
    cached: 2,
    toGenerate: 4,
    price: 0.03,
    priceSource: 'provider',
    estimatedCost: 0.12,
    ...over,
  });

  it('a table with a total; campaign prices are marked', () => {
    const text = formatPlan([plan({}), plan({ name: 'second-campaign', estimatedCost: 2.5, priceSource: 'campaign' })]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^campaign\s+provider\s+model\s+assets\s+generations\s+cached\s+to generate\s+est\. cost$/);
    expect(lines[1]).toMatch(/^demo\s+runware\s+seedream-4\.5\s+9\s+6\s+2\s+4\s+\$0\.120$/);
    expect(lines[2]).toMatch(/^second-campaign .*\$2\.50\*$/);
    // Columns after the first are right-aligned.
    expect(lines[0]!.indexOf('provider') + 'provider'.length).toBe(lines[2]!.indexOf('runware') + 'runware'.length);
    expect(lines[3]).toBe('estimated cost of this build: $2.62');
    expect(lines[4]).toBe("* price from the campaign's prices table");
  });

  it('no footnote when every price is the provider\'s', () => {
    expect(formatPlan([plan({ estimatedCost: 0 })])).toMatch(/estimated cost of this build: \$0\.00\n$/);
  });
});
