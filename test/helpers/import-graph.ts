import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The dependency rule of src/, as a pure check over an import graph: every folder sits on a
 * floor, imports point to the same floor or lower, and neither files nor folders form cycles.
 */

/** Top-down. A root file `x.ts` belongs to the unit `x` (cli.ts and src/cli/ are one unit). */
export const FLOORS: readonly (readonly string[])[] = [
  ['bin', 'index'],
  ['cli'],
  ['commands'],
  ['manifest'],
  ['plan'],
  ['render'],
  ['run'],
  ['providers'],
  ['cache'],
  ['post'],
  ['report'],
  ['http'],
  ['image', 'typeset'],
  ['fs'],
  ['core'],
];

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Relative import and export-from specifiers of one source text. */
export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
}

/** Every .ts file under `srcDir` and the files it imports, as paths relative to srcDir. */
export function readImportGraph(srcDir: string): ImportEdge[] {
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
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  return files.flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8')).map((spec) => ({ from: rel(file), to: rel(resolve(dirname(file), spec).replace(/\.js$/, '.ts')) })),
  );
}

/** `commands/build.ts` -> `commands`; `cli.ts` -> `cli`. */
export function unitOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? (first as string) : (first as string).replace(/\.ts$/, '');
}

export function floorOf(unit: string, floors: readonly (readonly string[])[] = FLOORS): number {
  return floors.findIndex((f) => f.includes(unit));
}

export interface Violation {
  readonly kind: 'upward' | 'unknown-folder' | 'file-cycle' | 'folder-cycle';
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
export function checkDependencyRule(edges: readonly ImportEdge[], floors: readonly (readonly string[])[] = FLOORS): Violation[] {
  const violations: Violation[] = [];
  const folderEdges: ImportEdge[] = [];
  for (const e of edges) {
    const from = unitOf(e.from);
    const to = unitOf(e.to);
    for (const unit of [from, to]) {
      if (floorOf(unit, floors) < 0) violations.push({ kind: 'unknown-folder', detail: `${unit} (${e.from} -> ${e.to}) has no floor` });
    }
    if (from === to) continue;
    folderEdges.push({ from, to });
    if (floorOf(to, floors) < floorOf(from, floors)) violations.push({ kind: 'upward', detail: `${e.from} -> ${e.to} (${from} imports ${to}, a higher floor)` });
  }
  for (const c of findCycles(edges)) violations.push({ kind: 'file-cycle', detail: c.join(' -> ') });
  for (const c of findCycles(folderEdges)) violations.push({ kind: 'folder-cycle', detail: c.join(' -> ') });
  return [...new Map(violations.map((v) => [`${v.kind}:${v.detail}`, v])).values()];
}
