import { formatProblem, problem, type Problem } from '../core/errors.js';
import type { PartialSource, TemplateSource } from '../core/campaign.js';

/**
 * Missing and recursive partials, found on the parse trees before anything renders: Handlebars
 * itself finds a missing partial only in the cells that reach it, and recursion by overflowing
 * the stack.
 */

export interface PartialUse {
  readonly name: string;
  readonly line: number;
  readonly col: number;
  /** `{{#> name}}…{{/name}}` renders its own block when the partial is missing. */
  readonly hasFallback: boolean;
}

interface AstNode {
  readonly type?: string;
  readonly name?: { readonly type?: string; readonly original?: unknown };
  readonly loc?: { readonly start: { readonly line: number; readonly column: number } };
}

/** Every `{{> name}}` of a parsed template with a static name, in source order. */
export function partialUses(ast: unknown): PartialUse[] {
  const uses: PartialUse[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if ((n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') && n.name?.type === 'PathExpression' && typeof n.name.original === 'string') {
      uses.push({ name: n.name.original, line: n.loc?.start.line ?? 1, col: (n.loc?.start.column ?? 0) + 1, hasFallback: n.type === 'PartialBlockStatement' });
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && key !== 'strip') walk(value);
  };
  walk(ast);
  return uses;
}

export interface PartialWiring {
  readonly problems: readonly Problem[];
  /** Partials used without a fallback block that no file provides. */
  readonly missing: readonly string[];
  /** A partial includes itself: rendering would never end. */
  readonly recursive: boolean;
}

/** `parse` gives each source its tree; templates are checked for syntax before this runs. */
export function partialWiring(template: TemplateSource, partials: readonly PartialSource[], parse: (source: string) => unknown): PartialWiring {
  const byName = new Map(partials.map((p) => [p.name, p] as const));
  const usesOf = new Map<string, readonly PartialUse[]>();
  const uses = (source: TemplateSource): readonly PartialUse[] => {
    let found = usesOf.get(source.file);
    if (!found) usesOf.set(source.file, (found = partialUses(parse(source.source))));
    return found;
  };
  const problems = new Map<string, Problem>();
  const add = (p: Problem) => problems.set(formatProblem(p), p);
  const missing = new Set<string>();
  let recursive = false;
  const visit = (source: TemplateSource, chain: readonly string[]): void => {
    for (const use of uses(source)) {
      const at = { file: source.file, line: use.line, col: use.col, path: `{{> ${use.name}}}` };
      const partial = byName.get(use.name);
      if (!partial) {
        if (!use.hasFallback) {
          missing.add(use.name);
          add(problem('E_TEMPLATE', { kind: 'partial-missing', name: use.name }, at));
        }
        continue;
      }
      if (chain.includes(use.name)) {
        recursive = true;
        add(problem('E_TEMPLATE', { kind: 'partial-recursive', name: use.name, cycle: [...chain.slice(chain.indexOf(use.name)), use.name] }, at));
        continue;
      }
      visit(partial, [...chain, use.name]);
    }
  };
  visit(template, []);
  return { problems: [...problems.values()], missing: [...missing], recursive };
}
