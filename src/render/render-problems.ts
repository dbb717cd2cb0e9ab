import { problem, type FactsOf, type Problem } from '../core/errors.js';
import type { TemplateSource } from '../core/campaign.js';
import { dynamicPartials, helperCalls, pathsReading, type Spot, type TemplateLocator } from './template-ast.js';

/**
 * A render failure as a located problem. Handlebars locates an undefined name itself; for the
 * rest (a helper used wrongly, a dynamic partial, a field read from a string) the place is found
 * on the template's tree, so every problem names a line.
 */

export interface RenderContext {
  readonly template: TemplateSource;
  readonly locator: TemplateLocator;
  /** `variant hero, locale de-DE, size square`. */
  readonly cell: string;
  /** The names the template could have used. */
  readonly defined: readonly string[];
}

/** How each built-in helper is written, for the message about one used without what it needs. */
const USAGE: Readonly<Record<string, { readonly usage: string; readonly wrong: (args: number) => boolean }>> = {
  each: { usage: '`{{#each items}}...{{/each}}`', wrong: (n) => n !== 1 },
  if: { usage: '`{{#if sale}}...{{/if}}`', wrong: (n) => n !== 1 },
  unless: { usage: '`{{#unless sale}}...{{/unless}}`', wrong: (n) => n !== 1 },
  with: { usage: '`{{#with size}}{{width}}{{/with}}`', wrong: (n) => n !== 1 },
  lookup: { usage: '`{{lookup vars "key"}}`', wrong: (n) => n < 2 },
};
const INTERNAL = ['helperMissing', 'blockHelperMissing'];

type Located = { readonly facts: FactsOf<'E_TEMPLATE'>; readonly file?: string; readonly spot?: Spot; readonly path?: string };

/** `5 (a number)`, `"Run fast" (text)`: the value a field was read from, as Handlebars printed it. */
function shownValue(printed: string): string {
  if (printed === 'undefined' || printed === 'null') return 'empty';
  return /^-?\d+(\.\d+)?$/.test(printed) || printed === 'true' || printed === 'false' ? printed : `"${printed.length > 40 ? `${printed.slice(0, 37)}...` : printed}" (text)`;
}

function locate(err: unknown, ctx: RenderContext): Located {
  const e = err as { message?: unknown; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  const { locator, cell } = ctx;
  const given = e.lineNumber ? { file: ctx.template.file, spot: { line: e.lineNumber, col: (e.column ?? 0) + 1 } } : {};

  const notDefined = /^"([^"]+)" not defined in ([\s\S]*) - \d+:\d+$/.exec(message);
  if (notDefined) {
    const [, name = '', owner = ''] = notDefined;
    if (owner === 'undefined' || owner === 'null') return readFrom(ctx, name, owner) ?? { facts: { kind: 'not-defined', name, cell, defined: ctx.defined }, ...given, path: `{{${name}}}` };
    const call = locator.first((ast) => helperCalls(ast, name).filter((c) => c.args > 0 || c.block));
    if (call) return { facts: { kind: 'helper-missing', name, cell }, ...given, path: `{{${name}}}` };
    return { facts: { kind: 'not-defined', name, cell, defined: ctx.defined }, ...given, path: `{{${name}}}` };
  }
  const inOperator = /^Cannot use 'in' operator to search for '([^']+)' in ([\s\S]*)$/.exec(message);
  if (inOperator) return readFrom(ctx, inOperator[1] as string, inOperator[2] as string) ?? { facts: { kind: 'render', cell, said: message } };

  const dynamic = locator.first((ast, source) => dynamicPartials(ast, source));
  const partial = /^The partial (.+) could not be found$/.exec(message)?.[1];
  if (partial !== undefined && dynamic) return { facts: { kind: 'partial-missing', name: partial, cell }, file: dynamic.file, spot: dynamic.found, path: `{{> ${dynamic.found.expression}}}` };
  if (/\.call is not a function/.test(message) && dynamic) {
    return { facts: { kind: 'dynamic-partial', expression: dynamic.found.expression, cell }, file: dynamic.file, spot: dynamic.found, path: `{{> ${dynamic.found.expression}}}` };
  }

  const helper = /^Must pass iterator to #each$/.test(message) ? 'each' : (/^#(\w+) requires exactly one argument$/.exec(message)?.[1] ?? (/reading 'lookupProperty'/.test(message) ? 'lookup' : undefined));
  const usage = helper === undefined ? undefined : USAGE[helper];
  if (helper !== undefined && usage) {
    const call = locator.first((ast) => helperCalls(ast, helper).filter((c) => usage.wrong(c.args)));
    return { facts: { kind: 'helper-use', helper, usage: usage.usage, cell }, ...(call ? { file: call.file, spot: call.found } : given), path: `{{${helper}}}` };
  }
  if (/reading 'call'/.test(message)) {
    for (const name of INTERNAL) {
      const call = locator.first((ast) => helperCalls(ast, name));
      if (call) return { facts: { kind: 'internal-helper', helper: name, cell }, file: call.file, spot: call.found, path: `{{${name}}}` };
    }
  }
  return { facts: { kind: 'render', cell, said: message }, ...given };
}

/** `{{headline.length}}` on a string: the field, the path it is read through, and the value. */
function readFrom(ctx: RenderContext, property: string, printed: string): Located | undefined {
  const read = ctx.locator.first((ast) => pathsReading(ast, property).sort((a, b) => Number(a.head) - Number(b.head)));
  if (!read) return undefined;
  return { facts: { kind: 'no-property', path: read.found.path, property, value: shownValue(printed), cell: ctx.cell }, file: read.file, spot: read.found, path: `{{${read.found.path}}}` };
}

/** The failure's facts, and the problem located and worded. */
export function renderFailure(err: unknown, ctx: RenderContext): { readonly facts: FactsOf<'E_TEMPLATE'>; readonly problem: Problem } {
  const { facts, file, spot, path } = locate(err, ctx);
  return { facts, problem: problem('E_TEMPLATE', facts, { file: file ?? ctx.template.file, line: spot?.line, col: spot?.col, path }) };
}

export const renderProblem = (err: unknown, ctx: RenderContext): Problem => renderFailure(err, ctx).problem;
