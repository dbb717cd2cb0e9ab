import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { compileTemplate, renderProblem } from '../../src/render/templates.js';
import { campaignFixture } from '../helpers/campaign.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = await tempDir();
afterAll(tmp.cleanup);
const partialsDir = join(tmp.dir, "partials");
mkdirSync(partialsDir);
writeFileSync(join(partialsDir, 'style.hbs'), 'style of {{brand}}');
const partials = [{ file: join(partialsDir, 'style.hbs'), source: 'style of {{brand}}' }];

/** Renders as the render stage does: any failure becomes a located InputError. */
function render(source: string, data: Record<string, unknown> = {}): string {
  const template = { file: '/t/poster.hbs', source };
  const compiled = compileTemplate(template, partials);
  try {
    return compiled(data);
  } catch (err) {
    throw new InputError([renderProblem(err, template, 'a test cell', Object.keys(data))]);
  }
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error('expected an InputError');
}

describe('compileTemplate', () => {
  it('renders variables and partials without HTML escaping', () => {
    expect(render('{{headline}} & {{> style}}', { headline: '"Tom & Jerry"', brand: 'A<B>' })).toBe('"Tom & Jerry" & style of A<B>');
  });

  it('names an undefined variable with its line and column in the template file', () => {
    const campaign = campaignFixture({ template: { file: '/t/poster.hbs', source: 'line one\nsee {{scene}} and {{mood}}' } });
    const problems = problemsOf(() => renderPrompts(campaign, buildMatrix(campaign)));
    // One problem for the one mistake, however many cells it breaks.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'E_TEMPLATE', file: '/t/poster.hbs', line: 2, col: 21, path: '{{mood}}' });
  });

  it('reports an unknown helper', () => {
    const problems = problemsOf(() => render('{{shout headline}}', { headline: 'x' }));
    expect(problems[0]).toMatchObject({ code: 'E_TEMPLATE', line: 1 });
  });

  it('locates a syntax error', () => {
    const problems = problemsOf(() => render('ok\n{{#if x}}unclosed'));
    expect(problems[0]).toMatchObject({ code: 'E_TEMPLATE', file: '/t/poster.hbs' });
  });

  it('reports a missing partial', () => {
    const problems = problemsOf(() => render('{{> nowhere}}'));
    expect(problems[0]?.code).toBe('E_TEMPLATE');
  });

  it('keeps helpers out of one build and the next', () => {
    expect(() => render('{{log "x"}}')).toThrow(InputError);
  });
});

describe('template sandbox (known Handlebars attacks)', () => {
  const attacks = [
    '{{#with "s" as |string|}}{{#with string.constructor}}{{#with (bind "return process")}}{{this}}{{/with}}{{/with}}{{/with}}',
    '{{#with this as |o|}}{{o.constructor.constructor "return process.exit(9)"}}{{/with}}',
    '{{lookup (lookup this "constructor") "prototype"}}',
    '{{#with __proto__}}{{polluted}}{{/with}}',
    '{{this.constructor.name}}',
    '{{#each (lookup this "__proto__")}}{{@key}}{{/each}}',
  ];
  it.each(attacks)('cannot reach prototypes or run code: %s', (source) => {
    let output = '';
    try {
      output = render(source, { headline: 'x' });
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
    }
    expect(output).not.toMatch(/function|Object|process|native code/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
