import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

/** Each asset's alt text: the campaign's `alt` over the cell's data (copy included), or headline and copy. */

describe('alt text', () => {
  it('renders the campaign template per cell, seeing the copy the prompt does not', () => {
    const c = campaignFixture({
      alt: '{{brand}}: {{headline}} ({{scene}}, {{size.width}}×{{size.height}})',
      text: { fields: ['headline', 'copy'], source: 'en-US', bySize: {} },
      template: { file: '/virtual/t.hbs', source: 'A photograph: {{scene}}' },
    });
    const cells = renderPrompts(c, buildMatrix(c));
    const one = cells.find((p) => p.variant.id === 'hero' && p.locale.tag === 'de-DE' && p.size.id === 'story')!;
    expect(one.alt).toBe('AQUA//ONE: HYDRATION, VERFEINERT (a bottle in a splash, 1080×1920)');
    expect(one.prompt).not.toContain('HYDRATION');
  });

  it('defaults to the headline and the copy', () => {
    const c = campaignFixture();
    expect(renderPrompts(c, buildMatrix(c))[0]!.alt).toBe('HYDRATION, REFINED — Smart tracking.');
  });

  it('reports a name the alt template does not have once, at the `alt` line, with every other problem', () => {
    const c = campaignFixture({ alt: '{{headline}} {{sceen}}', locations: { alt: { file: '/virtual/campaigns/demo/campaign.yaml', line: 7, col: 6 } } });
    const err = (() => {
      try {
        return renderPrompts(c, buildMatrix(c));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    const problems = (err as InputError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'E_TEMPLATE', file: '/virtual/campaigns/demo/campaign.yaml', line: 7, col: 6, path: 'alt' });
    expect(problems[0]!.message).toContain('"sceen" is not defined');
  });
});
