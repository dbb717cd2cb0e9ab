import Handlebars from 'handlebars';
import { InputError, type Problem } from '../core/errors.js';
import type { PartialSource, TemplateSource } from '../core/campaign.js';
import { partialProblems } from './partials.js';

export type RenderPrompt = (data: Readonly<Record<string, unknown>>) => string;

export type { TemplateSource };

/**
 * Compiles a prompt template in its own Handlebars instance: no helpers or partials leak between
 * builds, `strict` makes an undefined variable an error naming it, `noEscape` because prompts are
 * not HTML. Prototype access stays blocked (Handlebars >= 4.6 defaults, not overridden).
 */
export function compileTemplate(template: TemplateSource, partials: readonly PartialSource[]): RenderPrompt {
  const hbs = Handlebars.create();
  // `log` writes to the console: a template must not reach stdout.
  hbs.unregisterHelper('log');
  // knownHelpers: without it the compiler inlines a call to the removed `log` and fails obscurely.
  const options = { strict: true, noEscape: true, knownHelpers: { log: false } } as const;
  const problems: Problem[] = [];
  for (const partial of partials) {
    const problem = syntaxProblem(hbs, partial);
    if (problem) problems.push(problem);
    else hbs.registerPartial(partial.name, hbs.compile(partial.source, options));
  }
  const problem = syntaxProblem(hbs, template);
  if (problem) problems.push(problem);
  if (problems.length > 0) throw new InputError(problems);
  const valid = partials.filter((p) => hbs.partials[p.name] !== undefined);
  const wiring = partialProblems(template, valid, (source) => hbs.parse(source));
  if (wiring.length > 0) throw new InputError(wiring);
  const compiled = hbs.compile(template.source, options);
  return (data) => compiled(data);
}

export type TemplateCompiler = (template: TemplateSource, partials: readonly PartialSource[]) => RenderPrompt;

/**
 * compileTemplate, once per distinct template and partials: campaigns of one project mostly share
 * a template, and compiling costs more than rendering a campaign's prompts. Only valid templates
 * are kept (a problem is thrown again, located in the asking campaign's own file).
 */
export function templateCompiler(): TemplateCompiler {
  const compiled = new Map<string, RenderPrompt>();
  return (template, partials) => {
    const id = JSON.stringify([template.source, partials.map((p) => [p.name, p.source])]);
    let render = compiled.get(id);
    if (!render) compiled.set(id, (render = compileTemplate(template, partials)));
    return render;
  };
}

function syntaxProblem(hbs: typeof Handlebars, template: TemplateSource): Problem | undefined {
  try {
    hbs.parse(template.source);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
    const caret = /\n(-*)\^/.exec(message)?.[1]?.length;
    const expecting = /Expecting (.*), got (.*)$/m.exec(message);
    return {
      code: 'E_TEMPLATE',
      file: template.file,
      line,
      col: caret === undefined ? 1 : caret + 1,
      message: expecting ? `template syntax error: expected ${expecting[1]}, got ${expecting[2]}` : `template syntax error: ${message.split('\n')[0]}`,
    };
  }
}

/** A render failure (undefined variable, unknown helper, missing partial) as a located problem. */
export function renderProblem(err: unknown, template: TemplateSource, cellLabel: string, available: readonly string[]): Problem {
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  const undefinedName = /^"([^"]+)" not defined/.exec(message)?.[1];
  const text = undefinedName
    ? `"${undefinedName}" is not defined (for ${cellLabel}): it is neither a variable nor a helper; defined: ${available.join(', ')}`
    : /partial (\S+) could not be found/.test(message)
      ? `${message.replace(/^The /, '')} in templates/partials (for ${cellLabel})`
      : `template failed for ${cellLabel}: ${message}`;
  return {
    code: 'E_TEMPLATE',
    file: template.file,
    line: e.lineNumber ?? undefined,
    col: e.lineNumber ? (e.column ?? 0) + 1 : undefined,
    path: undefinedName ? `{{${undefinedName}}}` : undefined,
    message: text,
  };
}
