import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkEnvironment, createProviders } from '../../src/providers/registry.js';
import { promptLimitsFor } from '../../src/providers/kit/models.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { promptLimitProblems } from '../../src/render/prompt-limits.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

const providers = createProviders({ env: {} });

describe('prompt length limits (provider data)', () => {
  it.each([
    ['runware', 2000],
    ['runninghub', 2000],
    ['runcomfy', 2000],
  ] as const)('%s accepts 1-%i characters for every model it offers, per its model table', (name, max) => {
    const provider = providers(name);
    for (const model of provider.models) expect(promptLimitsFor(provider, model)).toEqual({ min: 1, max });
  });

  it('the local provider states no limit', () => {
    expect(promptLimitsFor(providers('local'), 'seedream-4.5')).toBeUndefined();
  });

  it('reports a too-long prompt once, counting the cells, naming the template and the limit', () => {
    // Long only for the German locale: 1 variant field x 2 locales x 3 sizes, half of the cells.
    const campaign = campaignFixture({
      provider: 'runware',
      template: { file: '/t/poster.hbs', source: '{{scene}} {{#if (lookup this "long")}}{{long}}{{/if}} {{headline}}' },
    });
    const de = campaign.locales[1]!;
    const long = { ...campaign, locales: [campaign.locales[0]!, { ...de, strings: { ...de.strings, long: 'x'.repeat(2100) } }] };
    const cells = renderPrompts(long, buildMatrix(long));
    const problems = promptLimitProblems(long, providers('runware'), cells);
    expect(problems).toEqual([
      {
        code: 'E_PROMPT',
        file: '/t/poster.hbs',
        line: 1,
        col: 1,
        message: expect.stringMatching(/up to 21\d\d characters long for 6 of 12 cells; runware accepts 1-2000 characters for seedream-4.5/),
      },
    ]);
  });

  it('accepts a prompt of exactly the maximum', () => {
    const campaign = campaignFixture({ template: { file: '/t/poster.hbs', source: 'y'.repeat(2000) } });
    const cells = renderPrompts(campaign, buildMatrix(campaign));
    expect(promptLimitProblems(campaign, providers('runninghub'), cells)).toEqual([]);
    const over = campaignFixture({ template: { file: '/t/poster.hbs', source: 'y'.repeat(2001) } });
    expect(promptLimitProblems(over, providers('runninghub'), renderPrompts(over, buildMatrix(over)))).toHaveLength(1);
  });
});

describe('checkEnvironment', () => {
  const runware = providers('runware');
  const problemsOf = (env: Record<string, string>) => {
    try {
      checkEnvironment([runware], env);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as InputError).problems;
    }
  };

  it.each(['sk-abc\ndef', 'sk-abc ', ' sk-abc', 'sk-a\tbc', 'sk-abc\r'])('refuses a key with whitespace (%j), naming the variable, not the value', (key) => {
    const problems = problemsOf({ RUNWARE_API_KEY: key });
    expect(problems).toEqual([expect.objectContaining({ code: 'E_ENV', message: expect.stringContaining('RUNWARE_API_KEY contains whitespace') })]);
    expect(problems[0]?.message).not.toContain('sk-a');
  });

  it('accepts a clean key and reports a missing one', () => {
    expect(problemsOf({ RUNWARE_API_KEY: 'sk-abc' })).toEqual([]);
    expect(problemsOf({})).toEqual([expect.objectContaining({ code: 'E_ENV', message: expect.stringContaining('is not set') })]);
  });
});
