import Handlebars from 'handlebars';
import { InputError, type Problem } from '../core/errors.js';
import type { PartialSource, TemplateSource } from '../core/campaign.js';
import { partialWiring } from './partials.js';
import { syntaxProblem } from './syntax.js';
import { templateLocator, type TemplateLocator } from './template-ast.js';

export type RenderPrompt = (data: Readonly<Record<string, unknown>>) => string;

export type { TemplateSource };

/**
 * A template ready to render, with the problems found before rendering (syntax, missing and
 * recursive partials). `render` is absent when nothing can be rendered (the template does not
 * parse, or a partial includes itself); otherwise a missing or broken partial renders as nothing,
 * so the cells still render and their own problems (an undefined name) are reported in the same run.
 */
export interface PreparedTemplate {
  readonly render?: RenderPrompt;
  readonly problems: readonly Problem[];
  /** Places in the template and its partials, for render errors Handlebars does not locate. */
  readonly locator: TemplateLocator;
}

/**
 * Compiles a prompt template in its own Handlebars instance: no helpers or partials leak between
 * builds, `strict` makes an undefined variable an error naming it, `noEscape` because prompts are
 * not HTML. Prototype access stays blocked (Handlebars >= 4.6 defaults, not overridden).
 */
export function prepareTemplate(template: TemplateSource, partials: readonly PartialSource[]): PreparedTemplate {
  const hbs = Handlebars.create();
  // `log` writes to the console: a template must not reach stdout.
  hbs.unregisterHelper('log');
  // knownHelpers: without it the compiler inlines a call to the removed `log` and fails obscurely.
  const options = { strict: true, noEscape: true, knownHelpers: { log: false } } as const;
  const locator = templateLocator((source) => hbs.parse(source), [template, ...partials]);
  const problems: Problem[] = [];
  const broken = new Set<string>();
  for (const partial of partials) {
    const problem = syntaxProblem(hbs, partial);
    if (problem) {
      problems.push(problem);
      broken.add(partial.name);
    } else hbs.registerPartial(partial.name, hbs.compile(partial.source, options));
  }
  const problem = syntaxProblem(hbs, template);
  if (problem) return { problems: [...problems, problem], locator };
  // A broken partial is reported above; here it counts as present (and empty), so its uses are not reported again.
  const present = partials.filter((p) => hbs.partials[p.name] !== undefined || broken.has(p.name)).map((p) => (broken.has(p.name) ? { ...p, source: '' } : p));
  const wiring = partialWiring(template, present, (source) => hbs.parse(source));
  problems.push(...wiring.problems);
  if (wiring.recursive) return { problems, locator };
  for (const name of [...broken, ...wiring.missing]) if (hbs.partials[name] === undefined) hbs.registerPartial(name, '');
  const compiled = hbs.compile(template.source, options);
  return { render: (data) => compiled(data, DENIED), problems, locator };
}

/**
 * Inherited names, denied outright: Handlebars blocks them by default too, but then also prints a
 * warning to the console for each (a template must not reach the terminal). The data's own names
 * are all the template sees (render/data.ts).
 */
const DENIED = { allowProtoMethodsByDefault: false, allowProtoPropertiesByDefault: false } as const;

/** prepareTemplate for callers that want a renderer or an error: every problem found, thrown together. */
export function compileTemplate(template: TemplateSource, partials: readonly PartialSource[]): RenderPrompt {
  const prepared = prepareTemplate(template, partials);
  if (prepared.problems.length > 0 || !prepared.render) throw new InputError(prepared.problems);
  return prepared.render;
}

export type TemplateCompiler = (template: TemplateSource, partials: readonly PartialSource[]) => PreparedTemplate;

/**
 * prepareTemplate, once per distinct template and partials: campaigns of one project mostly share
 * a template, and compiling costs more than rendering a campaign's prompts. Problems are found
 * again for each template file (they are located in the asking campaign's own file).
 */
export function templateCompiler(): TemplateCompiler {
  const compiled = new Map<string, PreparedTemplate>();
  return (template, partials) => {
    const id = JSON.stringify([template.source, partials.map((p) => [p.name, p.source])]);
    const known = compiled.get(id);
    if (!known || known.problems.length > 0) {
      const prepared = prepareTemplate(template, partials);
      compiled.set(id, prepared);
      return prepared;
    }
    // Same source, maybe another file: places are found in the asking campaign's own template.
    return { ...known, locator: templateLocator((source) => Handlebars.parse(source), [template, ...partials]) };
  };
}
