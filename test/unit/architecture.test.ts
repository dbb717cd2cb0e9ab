import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_IMPORTS, KNOWN_DEBTS } from '../helpers/allowed-imports.js';
import { allowListText, allowedToday, checkDependencyRule, findCycles, importGraph, scanSource, scanTree, unitOf, type ImportEdge } from '../helpers/import-graph.js';

/** Entry points own the process (argv, cwd, env, streams, signals, exit); stages get all of it passed in. */
const ENTRY_UNITS = ['bin', 'index', 'cli'];

describe('the dependency rule of src/', () => {
  const tree = scanTree('src');

  it('holds: every folder imports only what the allow-list gives it, no file or folder cycles', () => {
    const edges = importGraph(tree);
    expect(edges.length).toBeGreaterThan(100);
    expect(checkDependencyRule(edges)).toEqual([]);
  });

  it('has no import the graph cannot follow', () => {
    expect(tree.flatMap(({ file, scan }) => scan.computedImports.map((s) => `${file}:${s.line} ${s.code}`))).toEqual([]);
  });

  it('keeps process globals out of the stages', () => {
    const stages = tree.filter(({ file }) => !ENTRY_UNITS.includes(unitOf(file)));
    expect(stages.length).toBeGreaterThan(50);
    expect(stages.flatMap(({ file, scan }) => scan.processUses.map((s) => `${file}:${s.line} ${s.code}`))).toEqual([]);
  });

  it('is what docs/architecture.md shows', () => {
    expect(readFileSync('docs/architecture.md', 'utf8')).toContain(allowListText());
  });

  it('is a one-way picture: the allow-list (debts included) has no cycle, and every debt is outside the picture', () => {
    const edges = Object.entries(allowedToday()).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
    expect(findCycles(edges)).toEqual([]);
    for (const d of KNOWN_DEBTS) expect(ALLOWED_IMPORTS[d.from], `${d.from} -> ${d.to}`).not.toContain(d.to);
  });
});

describe('the checker', () => {
  const allowed = { cli: ['commands', 'core'], commands: ['post', 'report', 'core'], post: ['core'], report: ['core'], core: [] };

  it('reads import, export-from, type-only and literal dynamic specifiers, not bare packages or comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../core/b.js';",
      "export { c } from './c.js';",
      "export * from '../d.js';",
      "import './side.js';",
      "const e = await import('./e.js');",
      'const f = await import(`./f.js`);',
      "import sharp from 'sharp';",
      "// a comment that says from './not-an-import.js' is still text",
      "const g = 'import(\"./not-either.js\")';",
    ].join('\n');
    expect(scanSource(text).specifiers).toEqual(['./a.js', '../core/b.js', './c.js', '../d.js', './side.js', './e.js', './f.js']);
    expect(scanSource(text).computedImports).toEqual([]);
  });

  it('flags computed and template-literal dynamic imports', () => {
    const text = ['const name = "x";', 'await import(`../report/${name}.js`);', "await import('../' + name);", 'await import(name);'].join('\n');
    expect(scanSource(text).computedImports.map((s) => s.line)).toEqual([2, 3, 4]);
  });

  it.each([
    ['const { env } = process;'],
    ['const p = process; p.env;'],
    ["process['env'];"],
    ['process.env.HOME;'],
    ['process.cwd();'],
    ['globalThis.process.env;'],
    ["globalThis['process'];"],
    ["import { env } from 'node:process';"],
    ["import proc from 'process';"],
    ['const x = { process };'],
  ])('flags a reach for process: %s', (code) => {
    expect(scanSource(code).processUses.length).toBeGreaterThan(0);
  });

  it.each([['process.pid;'], ['process.kill(pid, 0);'], ['job.process();'], ['const o = { process: 1 };'], ['// process.env in a comment'], ["const s = 'another process.env';"], ['interface T { process: string }']])(
    'leaves alone: %s',
    (code) => {
      expect(scanSource(code).processUses).toEqual([]);
    },
  );

  it('accepts a graph whose edges are all allowed', () => {
    const edges: ImportEdge[] = [
      { from: 'cli.ts', to: 'commands/build.ts' },
      { from: 'commands/build.ts', to: 'post/deliver.ts' },
      { from: 'commands/build.ts', to: 'report/manifest.ts' },
      { from: 'post/deliver.ts', to: 'core/errors.ts' },
      { from: 'cli/args.ts', to: 'cli.ts' },
    ];
    expect(checkDependencyRule(edges, allowed)).toEqual([]);
  });

  it('flags a stage importing a sibling it may not: post -> report', () => {
    const edges: ImportEdge[] = [
      { from: 'commands/build.ts', to: 'post/deliver.ts' },
      { from: 'post/deliver.ts', to: 'report/manifest.ts' },
    ];
    expect(checkDependencyRule(edges, allowed)).toEqual([{ kind: 'not-allowed', detail: 'post/deliver.ts -> report/manifest.ts (post may not import report)' }]);
  });

  it('flags post -> report in the real allow-list, and manifest -> run', () => {
    const kinds = (from: string, to: string) => checkDependencyRule([{ from, to }]).map((v) => v.kind);
    expect(kinds('post/deliver.ts', 'report/manifest.ts')).toEqual(['not-allowed']);
    expect(kinds('manifest/load.ts', 'run/execute.ts')).toEqual(['not-allowed']);
    expect(kinds('commands/build.ts', 'report/manifest.ts')).toEqual([]);
  });

  it('reports an upward import as not allowed, and the folder cycle it closes', () => {
    const edges: ImportEdge[] = [
      { from: 'commands/build.ts', to: 'post/deliver.ts' },
      { from: 'post/deliver.ts', to: 'commands/args.ts' },
    ];
    const kinds = checkDependencyRule(edges, allowed).map((v) => v.kind);
    expect(kinds).toContain('not-allowed');
    expect(kinds).toContain('folder-cycle');
    expect(kinds).not.toContain('file-cycle');
  });

  it('reports a file cycle inside one folder', () => {
    const edges: ImportEdge[] = [
      { from: 'post/a.ts', to: 'post/b.ts' },
      { from: 'post/b.ts', to: 'post/c.ts' },
      { from: 'post/c.ts', to: 'post/a.ts' },
    ];
    expect(checkDependencyRule(edges, allowed)).toEqual([{ kind: 'file-cycle', detail: 'post/a.ts -> post/b.ts -> post/c.ts' }]);
  });

  it('reports a folder the allow-list does not know', () => {
    const violations = checkDependencyRule([{ from: 'utils/x.ts', to: 'core/y.ts' }], allowed);
    expect(violations.map((v) => v.kind)).toEqual(['unknown-folder']);
  });

  it('folds known debts into what is allowed today, and shows them in brackets', () => {
    const debts = [{ from: 'post', to: 'report' }];
    expect(checkDependencyRule([{ from: 'post/x.ts', to: 'report/y.ts' }], allowedToday(allowed, debts))).toEqual([]);
    expect(allowListText(allowed, debts)).toContain('post      → core (report)');
  });
});
