import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { templateData } from '../../src/render/data.js';
import { campaignFixture } from '../helpers/campaign.js';

describe('buildMatrix', () => {
  it('is variants x locales x sizes in manifest order', () => {
    const cells = buildMatrix(campaignFixture());
    expect(cells).toHaveLength(2 * 2 * 3);
    expect(cells.slice(0, 4).map((c) => `${c.variant.id}/${c.locale.tag}/${c.size.id}`)).toEqual([
      'hero/en-US/square',
      'hero/en-US/square-small',
      'hero/en-US/story',
      'hero/de-DE/square',
    ]);
  });

  it('narrows to the filters, keeping manifest order whatever order they are given in', () => {
    const cells = buildMatrix(campaignFixture(), { locales: ['de-de'], sizes: ['story', 'square'] });
    expect(cells.map((c) => `${c.variant.id}/${c.locale.tag}/${c.size.id}`)).toEqual([
      'hero/de-DE/square',
      'hero/de-DE/story',
      'lifestyle/de-DE/square',
      'lifestyle/de-DE/story',
    ]);
  });

  it('reports every unknown filter id at once as a usage error', () => {
    try {
      buildMatrix(campaignFixture(), { variants: ['nope'], sizes: ['huge'] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).problems.map((p) => [p.code, p.path])).toEqual([
        ['E_USAGE', '--variant'],
        ['E_USAGE', '--size'],
      ]);
    }
  });
});

describe('templateData', () => {
  it('layers vars, then variant fields, then locale strings, then reserved names', () => {
    const campaign = campaignFixture({ vars: { brand: 'A', scene: 'from vars', headline: 'from vars' } });
    const [cell] = buildMatrix(campaign, { locales: ['de-DE'], sizes: ['story'], variants: ['hero'] });
    const data = templateData(campaign, cell!);
    expect(data).toMatchObject({
      brand: 'A',
      scene: 'a bottle in a splash',
      headline: 'HYDRATION, VERFEINERT',
      campaign: 'demo',
      variant: 'hero',
      locale: 'de-DE',
      language: 'German',
      size: { id: 'story', width: 1080, height: 1920, aspect: '9:16', orientation: 'portrait' },
    });
  });
});
