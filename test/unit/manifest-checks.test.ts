import { describe, expect, it } from 'vitest';
import { checkCampaign } from '../../src/manifest/checks.js';

const size = (id: string, width: unknown, height: unknown) => ({ id, width, height });

describe('checkCampaign', () => {
  it('finds nothing in a clean campaign, and nothing in data that is not a mapping', () => {
    expect(checkCampaign({ variants: [{ id: 'hero' }], sizes: [size('sq', 1080, 1080)], vars: { brand: 'x' } })).toEqual([]);
    expect(checkCampaign(null)).toEqual([]);
    expect(checkCampaign(['a'])).toEqual([]);
  });

  it('reports duplicate variant and size ids case-insensitively, pointing at the second', () => {
    const findings = checkCampaign({ variants: [{ id: 'Hero' }, { id: 'b' }, { id: 'hero' }], sizes: [size('sq', 100, 100), size('sq', 200, 200)] });
    expect(findings).toEqual([
      { code: 'E_DUPLICATE_ID', path: ['variants', 2, 'id'], message: 'duplicate id `hero` (first used by variants[0])' },
      { code: 'E_DUPLICATE_ID', path: ['sizes', 1, 'id'], message: 'duplicate id `sq` (first used by sizes[0])' },
    ]);
  });

  it('skips items whose shape the schema reports', () => {
    expect(checkCampaign({ variants: [{ id: 3 }, { id: 3 }, 'x'], sizes: 'square' })).toEqual([]);
  });

  it('reports reserved names in vars, variants and inline locales, at the key', () => {
    const findings = checkCampaign({
      vars: { locale: 'x' },
      variants: [{ id: 'a', size: 'big' }],
      locales: { 'en-US': { headline: 'h', campaign: 'c' } },
    });
    expect(findings.map((f) => [f.code, f.path, f.at])).toEqual([
      ['E_RESERVED_NAME', ['vars', 'locale'], 'key'],
      ['E_RESERVED_NAME', ['variants', 0, 'size'], 'key'],
      ['E_RESERVED_NAME', ['locales', 'en-US', 'campaign'], 'key'],
    ]);
    expect(findings[0]!.message).toMatch(/`locale` is reserved/);
  });

  it('reports aspect ratios beyond 16:1 either way, and only for valid sides', () => {
    const findings = checkCampaign({ sizes: [size('wide', 1700, 100), size('tall', 100, 1700), size('ok', 1600, 100), size('bad', 0, 100)] });
    expect(findings).toEqual([
      { code: 'E_SIZE', path: ['sizes', 0], message: '1700x100 has aspect ratio 17.00:1; Seedream generates 1:16 to 16:1 only' },
      { code: 'E_SIZE', path: ['sizes', 1], message: '100x1700 has aspect ratio 1:17.00; Seedream generates 1:16 to 16:1 only' },
    ]);
  });
});
