import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { watchSize } from '../../src/render/data.js';
import { renderProblem } from '../../src/render/render-problems.js';
import { compileTemplate, prepareTemplate, templateCompiler } from '../../src/render/templates.js';
import { campaignFixture } from '../helpers/campaign.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = await tempDir();
afterAll(tmp.cleanup);
const partialsDir = join(tmp.dir, "partials");
mkdirSync(partialsDir);
writeFileSync(join(partialsDir, 'style.hbs'), 'style of {{brand}}');
const partials = [{ name: 'style', file: join(partialsDir, 'style.hbs'), source: 'style of {{brand}}' }];

/** Renders as the render stage does (own names only): any failure becomes a located InputError. */
function render(source: string, data: Record<string, unknown> = {}): string {
  const template = { file: '/t/poster.hbs', source };
  const prepared = prepareTemplate(template, partials);
  if (prepared.problems.length > 0 || !prepared.render) throw new InputError(prepared.problems);
  try {
    return prepared.render(watchSize(data).data);
  } catch (err) {
    throw new InputError([renderProblem(err, { template, locator: prepared.locator, cell: 'a test cell', defined: Object.keys(data) })]);
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

describe('partials checked on the parse tree', () => {
  const tpl = (source: string) => ({ file: '/t/poster.hbs', source });
  const partial = (name: string, source: string) => ({ name, file: `/t/partials/${name}.hbs`, source });

  it('locates a missing partial where `{{> name}}` is written, once however often it is used', () => {
    const problems = problemsOf(() => compileTemplate(tpl('line\n  {{> nowhere}} and {{> nowhere}}\n{{> nowhere}}'), []));
    expect(problems.map((p) => [p.file, p.line, p.col, p.path])).toEqual([
      ['/t/poster.hbs', 2, 3, '{{> nowhere}}'],
      ['/t/poster.hbs', 2, 21, '{{> nowhere}}'],
      ['/t/poster.hbs', 3, 1, '{{> nowhere}}'],
    ]);
    expect(problems[0]?.message).toContain('templates/partials/nowhere.hbs');
  });

  it('finds a missing partial inside a partial, in that partial', () => {
    const problems = problemsOf(() => compileTemplate(tpl('{{> a}}'), [partial('a', 'x\n{{> gone}}')]));
    expect(problems).toEqual([expect.objectContaining({ file: '/t/partials/a.hbs', line: 2, col: 1, code: 'E_TEMPLATE' })]);
  });

  it('finds a missing partial on a branch no cell takes', () => {
    const problems = problemsOf(() => compileTemplate(tpl('{{#if never}}{{> gone}}{{/if}}'), []));
    expect(problems[0]).toMatchObject({ line: 1, col: 14 });
  });

  it('accepts a partial block whose partial is missing (its block is the fallback)', () => {
    expect(compileTemplate(tpl('{{#> gone}}fallback{{/gone}}'), [])({})).toBe('fallback');
  });

  it('detects direct and indirect recursion before rendering', () => {
    const direct = problemsOf(() => compileTemplate(tpl('{{> a}}'), [partial('a', 'A {{> a}}')]));
    expect(direct).toEqual([expect.objectContaining({ file: '/t/partials/a.hbs', line: 1, col: 3, message: expect.stringContaining('(a → a)') })]);
    const indirect = problemsOf(() => compileTemplate(tpl('{{> a}}'), [partial('a', '{{> b}}'), partial('b', 'B\n {{> c}}'), partial('c', '{{> a}}')]));
    expect(indirect).toEqual([expect.objectContaining({ file: '/t/partials/c.hbs', line: 1, col: 1, message: expect.stringContaining('(a → b → c → a)') })]);
  });

  it('allows the same partial twice without calling it recursion', () => {
    expect(compileTemplate(tpl('{{> a}}{{> a}}'), [partial('a', '{{> b}}'), partial('b', 'b')])({})).toBe('bb');
  });
});

describe('empty prompts', () => {
  it('are reported once with the number of cells', () => {
    const blank = campaignFixture({ template: { file: '/t/poster.hbs', source: '{{#if scene}}{{/if}} \n ' } });
    const problems = problemsOf(() => renderPrompts(blank, buildMatrix(blank)));
    expect(problems).toEqual([expect.objectContaining({ code: 'E_PROMPT', file: '/t/poster.hbs', message: expect.stringContaining('for all 12 cells') })]);
  });
});

describe('prompts shared across sizes', () => {
  const promptsOf = (source: string, variants = campaignFixture().variants) => {
    const campaign = campaignFixture({ template: { file: '/t/poster.hbs', source }, variants });
    return renderPrompts(campaign, buildMatrix(campaign)).map((c) => `${c.variant.id}/${c.locale.tag}/${c.size.id}: ${c.prompt}`);
  };

  it('renders each size of a template that reads the size, directly or in a block', () => {
    expect(promptsOf('{{scene}} at {{size.aspect}}').filter((p) => p.startsWith('hero/en-US/'))).toEqual([
      'hero/en-US/square: a bottle in a splash at 1:1',
      'hero/en-US/square-small: a bottle in a splash at 1:1',
      'hero/en-US/story: a bottle in a splash at 9:16',
    ]);
    expect(promptsOf('{{#with size}}{{id}}{{/with}}').filter((p) => p.startsWith('lifestyle/de-DE/'))).toEqual([
      'lifestyle/de-DE/square: square',
      'lifestyle/de-DE/square-small: square-small',
      'lifestyle/de-DE/story: story',
    ]);
  });

  it('reads the size for the variants whose branch asks for it', () => {
    const variants = [
      { id: 'plain', fields: { scene: 'a bottle', wide: false } },
      { id: 'framed', fields: { scene: 'a runner', wide: true } },
    ];
    const prompts = promptsOf('{{scene}}{{#if wide}} framed {{size.orientation}}{{/if}}', variants).filter((p) => p.includes('/en-US/'));
    expect(prompts).toEqual([
      'plain/en-US/square: a bottle',
      'plain/en-US/square-small: a bottle',
      'plain/en-US/story: a bottle',
      'framed/en-US/square: a runner framed square',
      'framed/en-US/square-small: a runner framed square',
      'framed/en-US/story: a runner framed portrait',
    ]);
  });

  it('sees the size through lookup and a loop over the whole data', () => {
    expect(promptsOf('{{lookup (lookup this "size") "id"}}').filter((p) => p.startsWith('hero/en-US/'))).toEqual([
      'hero/en-US/square: square',
      'hero/en-US/square-small: square-small',
      'hero/en-US/story: story',
    ]);
    const looped = promptsOf('{{#each this}}{{#if id}}{{id}}{{/if}}{{/each}}').filter((p) => p.startsWith('hero/de-DE/'));
    expect(looped).toEqual(['hero/de-DE/square: square', 'hero/de-DE/square-small: square-small', 'hero/de-DE/story: story']);
  });
});

describe('templateCompiler', () => {
  it('compiles a template shared by campaigns once, and locates a broken one in each file that has it', () => {
    const compile = templateCompiler();
    const a = compile({ file: '/a/poster.hbs', source: 'Hi {{brand}}' }, partials).render;
    expect(compile({ file: '/b/poster.hbs', source: 'Hi {{brand}}' }, partials).render).toBe(a);
    expect(compile({ file: '/b/poster.hbs', source: 'Hi {{brand}}!' }, partials).render).not.toBe(a);
    expect(compile({ file: '/b/poster.hbs', source: 'Hi {{brand}}' }, []).render).not.toBe(a);
    expect(a?.({ brand: 'A' })).toBe('Hi A');
    for (const file of ['/a/broken.hbs', '/b/broken.hbs']) {
      expect(compile({ file, source: '{{#if x}}open' }, partials).problems[0]).toMatchObject({ code: 'E_TEMPLATE', file });
    }
  });
});
