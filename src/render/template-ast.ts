import type { TemplateSource } from '../core/campaign.js';

/**
 * The places in a parsed template (Handlebars' AST) that a render error without a location is
 * traced back to: Handlebars gives a line only for an undefined name, not for a helper used
 * wrongly, a dynamic partial or a field read from a string.
 */

interface AstNode {
  readonly type?: string;
  readonly loc?: { readonly start: { readonly line: number; readonly column: number } };
  readonly path?: AstNode;
  readonly name?: AstNode;
  readonly parts?: readonly string[];
  readonly original?: unknown;
  readonly params?: readonly AstNode[];
}

/** A node's place: 1-based line and column. */
export interface Spot {
  readonly line: number;
  readonly col: number;
}

const spotOf = (n: AstNode): Spot => ({ line: n.loc?.start.line ?? 1, col: (n.loc?.start.column ?? 0) + 1 });

/** Every node of the tree, in source order. */
export function nodesOf(ast: unknown): AstNode[] {
  const nodes: AstNode[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    if (typeof (node as AstNode).type === 'string') nodes.push(node as AstNode);
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && key !== 'strip') walk(value);
  };
  walk(ast);
  return nodes;
}

const CALLS = new Set(['MustacheStatement', 'BlockStatement', 'SubExpression', 'DecoratorBlock']);

/** Where `helper` is called, with how many arguments. */
export function helperCalls(ast: unknown, helper: string): (Spot & { readonly args: number; readonly block: boolean })[] {
  return nodesOf(ast)
    .filter((n) => CALLS.has(n.type ?? '') && n.path?.original === helper)
    .map((n) => ({ ...spotOf(n), args: n.params?.length ?? 0, block: n.type === 'BlockStatement' }));
}

/** Path expressions that read `property`: `headline.length` for `length`, or a bare `length`. */
export function pathsReading(ast: unknown, property: string): (Spot & { readonly path: string; readonly head: boolean })[] {
  return nodesOf(ast)
    .filter((n) => n.type === 'PathExpression' && n.parts?.includes(property))
    .map((n) => ({ ...spotOf(n), path: String(n.original), head: n.parts?.[0] === property }));
}

/** `{{> (expression)}}`: the partial's name is computed. */
export function dynamicPartials(ast: unknown, source: string): (Spot & { readonly expression: string })[] {
  return nodesOf(ast)
    .filter((n) => (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') && n.name?.type === 'SubExpression')
    .map((n) => {
      const at = spotOf(n);
      const line = source.split('\n')[at.line - 1] ?? '';
      const expression = /\{\{#?>\s*(\([^}]*\))/.exec(line.slice(at.col - 1))?.[1] ?? '(...)';
      return { ...at, expression };
    });
}

/** Spots found in the template or one of its partials: the template first, then the partials. */
export interface Found<T> {
  readonly file: string;
  readonly found: T;
}

/** The template and its partials, parsed on first use (only failures need their trees). */
export function templateLocator(parse: (source: string) => unknown, sources: readonly TemplateSource[]) {
  const trees = new Map<TemplateSource, unknown>();
  const treeOf = (s: TemplateSource) => {
    if (!trees.has(s)) {
      let tree: unknown;
      try {
        tree = parse(s.source);
      } catch {
        tree = undefined; // a partial with a syntax error is reported on its own
      }
      trees.set(s, tree);
    }
    return trees.get(s);
  };
  return {
    /** The first spot `search` finds, in the template before its partials. */
    first<T>(search: (ast: unknown, source: string) => readonly T[]): Found<T> | undefined {
      for (const s of sources) {
        const tree = treeOf(s);
        const found = tree === undefined ? undefined : search(tree, s.source)[0];
        if (found !== undefined) return { file: s.file, found };
      }
      return undefined;
    },
  };
}

export type TemplateLocator = ReturnType<typeof templateLocator>;
