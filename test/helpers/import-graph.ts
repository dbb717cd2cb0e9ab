import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ALLOWED_IMPORTS, KNOWN_DEBTS } from './allowed-imports.js';

/**
 * The dependency rule of src/, as a pure check over an import graph: every folder imports only the
 * folders `allowed-imports.ts` lists for it, and neither files nor folders form cycles. Sources are
 * read with the TypeScript parser, so a computed `import()` (which no reader can follow) and every
 * reach for `process` (destructured, aliased, through globalThis) are seen as what they are.
 */

export type AllowList = Readonly<Record<string, readonly string[]>>;

/** The allow-list with the known debts folded in: what the code may import today. */
export function allowedToday(allowed: AllowList = ALLOWED_IMPORTS, debts: readonly { from: string; to: string }[] = KNOWN_DEBTS): AllowList {
  const out: Record<string, string[]> = Object.fromEntries(Object.entries(allowed).map(([k, v]) => [k, [...v]]));
  for (const d of debts) out[d.from] = [...(out[d.from] ?? []), d.to];
  return out;
}

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** A place in a source text: 1-based line and the code written there. */
export interface Spot {
  readonly line: number;
  readonly code: string;
}

export interface SourceScan {
  /** Relative specifiers of import, export-from, `import x = require()` and literal `import()`. */
  readonly specifiers: readonly string[];
  /** `import(expr)` whose target is computed: the graph cannot follow it. */
  readonly computedImports: readonly Spot[];
  /** Any reach for the process object other than `process.pid` and `process.kill` (OS facts). */
  readonly processUses: readonly Spot[];
}

const literalText = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/** `x.process`, `{ process: 1 }`, `interface { process }`: a name, not the global. */
function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return !(ts.isIdentifier(p.expression) && ['globalThis', 'global'].includes(p.expression.text));
  if (ts.isQualifiedName(p) && p.right === id) return true;
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  const named = ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isEnumMember(p);
  return named && p.name === id;
}

const OS_FACTS = new Set(['pid', 'kill']);

export function scanSource(text: string, fileName = 'source.ts'): SourceScan {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const computedImports: Spot[] = [];
  const processUses: Spot[] = [];
  const spot = (node: ts.Node): Spot => ({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, code: node.getText(file).slice(0, 80) });
  const relative = (spec: string | undefined) => {
    if (spec !== undefined && /^\.{1,2}\//.test(spec)) specifiers.push(spec);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = literalText(node.moduleSpecifier);
      relative(spec);
      if (spec === 'process' || spec === 'node:process') processUses.push(spot(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      relative(literalText(node.moduleReference.expression));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const spec = literalText(node.arguments[0]);
      if (spec === undefined) computedImports.push(spot(node));
      else relative(spec);
    } else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && ['globalThis', 'global'].includes(node.expression.text)) {
      // `globalThis['process']`, or a computed key that may spell it.
      const key = literalText(node.argumentExpression);
      if (key === undefined || key === 'process') processUses.push(spot(node));
    } else if (ts.isIdentifier(node) && node.text === 'process' && !isPropertyName(node)) {
      const p = node.parent;
      const osFact = ts.isPropertyAccessExpression(p) && p.expression === node && OS_FACTS.has(p.name.text);
      if (!osFact) processUses.push(spot(ts.isPropertyAccessExpression(p) ? p : node));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { specifiers, computedImports, processUses };
}

/** Every .ts file under `srcDir` (relative to it, `/`-separated) with its scan. */
export function scanTree(srcDir: string): { readonly file: string; readonly scan: SourceScan }[] {
  const root = resolve(srcDir);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(root);
  return files.map((path) => ({ file: relative(root, path).split(sep).join('/'), scan: scanSource(readFileSync(path, 'utf8'), path) }));
}

/** The files of a scanned tree and the files they import. */
export function importGraph(tree: readonly { readonly file: string; readonly scan: SourceScan }[]): ImportEdge[] {
  return tree.flatMap(({ file, scan }) =>
    scan.specifiers.map((spec) => ({ from: file, to: join(dirname(file), spec).split(sep).join('/').replace(/\.js$/, '.ts') })),
  );
}

export function readImportGraph(srcDir: string): ImportEdge[] {
  return importGraph(scanTree(srcDir));
}

/** `commands/build.ts` -> `commands`; `cli.ts` -> `cli`. */
export function unitOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? (first as string) : (first as string).replace(/\.ts$/, '');
}

export interface Violation {
  readonly kind: 'not-allowed' | 'unknown-folder' | 'file-cycle' | 'folder-cycle';
  readonly detail: string;
}

/** Cycles (strongly connected components with more than one node, or a self edge). */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)?.has(v)) cycles.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Everything that breaks the rule; empty when the shape holds. */
export function checkDependencyRule(edges: readonly ImportEdge[], allowed: AllowList = allowedToday()): Violation[] {
  const violations: Violation[] = [];
  const folderEdges: ImportEdge[] = [];
  for (const e of edges) {
    const from = unitOf(e.from);
    const to = unitOf(e.to);
    for (const unit of [from, to]) {
      if (!Object.hasOwn(allowed, unit)) violations.push({ kind: 'unknown-folder', detail: `${unit} (${e.from} -> ${e.to}) is not in the allow-list` });
    }
    if (from === to) continue;
    folderEdges.push({ from, to });
    if (Object.hasOwn(allowed, from) && !allowed[from]!.includes(to)) violations.push({ kind: 'not-allowed', detail: `${e.from} -> ${e.to} (${from} may not import ${to})` });
  }
  for (const c of findCycles(edges)) violations.push({ kind: 'file-cycle', detail: c.join(' -> ') });
  for (const c of findCycles(folderEdges)) violations.push({ kind: 'folder-cycle', detail: c.join(' -> ') });
  return [...new Map(violations.map((v) => [`${v.kind}:${v.detail}`, v])).values()];
}

/** The allow-list as the text block docs/architecture.md shows (one line per folder, top-down). */
export function allowListText(allowed: AllowList = ALLOWED_IMPORTS, debts: readonly { from: string; to: string }[] = KNOWN_DEBTS): string {
  const width = Math.max(...Object.keys(allowed).map((k) => k.length));
  return Object.entries(allowed)
    .map(([from, tos]) => {
      const owed = debts.filter((d) => d.from === from).map((d) => `(${d.to})`);
      return `${from.padEnd(width)}  → ${[...tos, ...owed].join(' ') || '(nothing)'}`;
    })
    .join('\n');
}
