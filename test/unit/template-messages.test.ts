import { describe, expect, it, vi } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import type { PartialSource } from '../../src/core/campaign.js';
import { buildMatrix } from '../../src/plan/matrix.js';
import { renderPrompts } from '../../src/render/prompts.js';
import { campaignFixture } from '../helpers/campaign.js';

const FILE = '/t/poster.hbs';
const partial = (name: string, source: string): PartialSource => ({ name, file: `/t/partials/${name}.hbs`, source });

/** Every problem the render stage reports for this template, as it reports them in a run. */
function problemsOf(source: string, partials: readonly PartialSource[] = [], vars: Record<string, unknown> = { brand: 'A' }): readonly Problem[] {
  const campaign = campaignFixture({ template: { file: FILE, source }, partials, vars });
  try {
    renderPrompts(campaign, buildMatrix(campaign));
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error('expected an InputError');
}

const where = (p: Problem | undefined) => [p?.file, p?.line, p?.col];
/** Handlebars' grammar names must not reach a reader. */
const TOKEN = /OPEN_|CLOSE|INVERSE|EOF|'ID'|Expecting/;

describe('template syntax errors, in words at the line and column', () => {
  it('names a block that is never closed, where it opens (the else-chain case)', () => {
    const [p, ...rest] = problemsOf('A poster\n  of {{#if scene}} {{scene}} {{else}} nothing');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'E_TEMPLATE', file: FILE, line: 2, col: 6 });
    expect(p?.message).toContain('`{{#if}}` is never closed; add `{{/if}}`');
    expect(p?.message).not.toMatch(TOKEN);
  });

  it('says what a value was expected to be and what was found, at the token', () => {
    const [p] = problemsOf('line one\nsee {{headline size=}} here');
    expect(where(p)).toEqual([FILE, 2, 21]);
    expect(p?.message).toMatch(/^template syntax error: expected a value \(a name, a "string", .*\) but found `}}`$/);
  });

  it('names a closing tag without its block, and one closing the wrong block', () => {
    const stray = problemsOf('ok\n{{/each}}')[0];
    expect(where(stray)).toEqual([FILE, 2, 1]);
    expect(stray?.message).toContain('`{{/each}}` closes a block that was never opened');
    const crossed = problemsOf('x\n  {{#each items}}{{/if}}')[0];
    expect(crossed).toMatchObject({ line: 2 });
    expect(crossed?.message).toContain('`{{#each}}` is closed by `{{/if}}`; close it with `{{/each}}`');
  });

  it('finds a comment that never ends', () => {
    const [p] = problemsOf('hello\nthere {{!-- note to self');
    expect(where(p)).toEqual([FILE, 2, 7]);
    expect(p?.message).toContain('`{{!--` comment is never closed');
  });

  it('locates a syntax error in a partial in that partial, and still renders the template', () => {
    const problems = problemsOf('{{> style}} {{mood}}', [partial('style', 'x\n{{#if}')]);
    expect(problems.map((p) => p.file)).toEqual(['/t/partials/style.hbs', FILE]);
    expect(problems[1]).toMatchObject({ path: '{{mood}}' });
  });
});

describe('every problem of one run, together', () => {
  it('reports a missing partial and the undefined variables after it', () => {
    const problems = problemsOf('{{> gone}}\n{{scene}} {{mood}} and {{weather}}');
    expect(problems.map((p) => p.path)).toEqual(['{{> gone}}', '{{mood}}', '{{weather}}']);
    expect(problems.map((p) => [p.line, p.col])).toEqual([
      [1, 1],
      [2, 13],
      [2, 26],
    ]);
  });

  it('reports an unknown helper and an undefined name in one render', () => {
    const problems = problemsOf('{{shout scene}} {{mood}}');
    expect(problems.map((p) => p.path)).toEqual(['{{shout}}', '{{mood}}']);
    expect(problems[0]?.message).toContain('"shout" is not a helper');
    expect(problems[1]?.message).toContain('"mood" is not defined');
  });

  it('does not report a name the template uses under a blank stand-in', () => {
    const problems = problemsOf('{{mood}} {{mood.colour}} {{#each mood.lights}}{{level}}{{/each}} {{scene}}');
    expect(problems.map((p) => p.path)).toEqual(['{{mood}}']);
  });
});

describe('render errors Handlebars does not locate', () => {
  it('a dynamic partial that is not there', () => {
    const [p] = problemsOf('intro\n  {{> (lookup . "scene")}}');
    expect(where(p)).toEqual([FILE, 2, 3]);
    expect(p).toMatchObject({ path: '{{> (lookup . "scene")}}' });
    expect(p?.message).toMatch(/^partial `a bottle in a splash` not found \(for variant hero/);
  });

  it('a dynamic partial named by a plain variable', () => {
    const [p] = problemsOf('intro {{> (scene)}}', [partial('style', 's')]);
    expect(where(p)).toEqual([FILE, 1, 7]);
    expect(p?.message).toContain('`{{> (scene)}}` cannot choose a partial');
    expect(p?.message).toContain('{{> (lookup . "variable")}}');
  });

  it('helperMissing called by hand, and built-in helpers used without their argument', () => {
    expect(problemsOf('a\n {{helperMissing scene}}')[0]).toMatchObject({ line: 2, col: 2, message: expect.stringContaining("`helperMissing` is Handlebars' own hook") });
    expect(problemsOf('x {{#each}}y{{/each}}')[0]).toMatchObject({ line: 1, col: 3, message: expect.stringContaining('`{{#each items}}...{{/each}}`') });
    expect(problemsOf('x\n{{#if}}y{{/if}}')[0]).toMatchObject({ line: 2, col: 1, path: '{{if}}' });
  });

  it('a field read from text: scene.length', () => {
    const [p] = problemsOf('Poster\n  of {{scene.length}} things');
    expect(where(p)).toEqual([FILE, 2, 8]);
    expect(p).toMatchObject({ path: '{{scene.length}}' });
    expect(p?.message).toContain('"scene.length" cannot be read');
    expect(p?.message).toContain('the value is "a bottle in a splash" (text), which has no "length"');
  });

  it('{{constructor}} and other inherited names are "not defined", not empty, and nothing reaches the console', () => {
    const printed = (['log', 'warn', 'error', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    for (const source of ['{{constructor}}', 'x {{toString}}', '{{size.constructor}}', '{{#with size}}{{hasOwnProperty}}{{/with}}']) {
      const [p] = problemsOf(source);
      expect(p?.message, source).toMatch(/is not defined/);
      expect(p?.line, source).toBe(1);
    }
    for (const spy of printed) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
