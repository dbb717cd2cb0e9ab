import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDependencyRule, importSpecifiers, readImportGraph, unitOf, type ImportEdge } from '../helpers/import-graph.js';

/** Entry points own the process (argv, cwd, env, streams, signals, exit); stages get all of it passed in. */
const ENTRY_UNITS = ['bin', 'index', 'cli'];

describe('the dependency rule of src/', () => {
  it('holds: imports point down the floors, no file or folder cycles', () => {
    const edges = readImportGraph('src');
    expect(edges.length).toBeGreaterThan(100);
    expect(checkDependencyRule(edges)).toEqual([]);
  });

  it('keeps process globals out of the stages', () => {
    const files = [...new Set(readImportGraph('src').flatMap((e) => [e.from, e.to]))].filter((f) => !ENTRY_UNITS.includes(unitOf(f)));
    const offenders = files.filter((f) => {
      const code = readFileSync(`src/${f}`, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      // Identity (pid) and the liveness syscall are facts about the OS, not settings: allowed.
      return /\bprocess\.(?!pid\b|kill\b)/.test(code);
    });
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});

describe('the checker', () => {
  const floors = [['cli'], ['commands'], ['run'], ['core']];

  it('reads import, export-from, type-only and dynamic specifiers, not bare packages', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../core/b.js';",
      "export { c } from './c.js';",
      "export * from '../d.js';",
      "import './side.js';",
      "const e = await import('./e.js');",
      "import sharp from 'sharp';",
      "// a comment that says from './not-an-import.js' is still text",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../core/b.js', './c.js', '../d.js', './side.js', './e.js']);
  });

  it('accepts a graph that points down', () => {
    const edges: ImportEdge[] = [
      { from: 'cli.ts', to: 'commands/build.ts' },
      { from: 'commands/build.ts', to: 'run/execute.ts' },
      { from: 'run/execute.ts', to: 'core/errors.ts' },
      { from: 'cli/args.ts', to: 'cli.ts' },
    ];
    expect(checkDependencyRule(edges, floors)).toEqual([]);
  });

  it('reports an upward import, and the folder cycle it closes', () => {
    const edges: ImportEdge[] = [
      { from: 'commands/build.ts', to: 'run/execute.ts' },
      { from: 'run/execute.ts', to: 'commands/args.ts' },
    ];
    const kinds = checkDependencyRule(edges, floors).map((v) => v.kind);
    expect(kinds).toContain('upward');
    expect(kinds).toContain('folder-cycle');
    expect(kinds).not.toContain('file-cycle');
  });

  it('reports a file cycle inside one folder', () => {
    const edges: ImportEdge[] = [
      { from: 'run/a.ts', to: 'run/b.ts' },
      { from: 'run/b.ts', to: 'run/c.ts' },
      { from: 'run/c.ts', to: 'run/a.ts' },
    ];
    expect(checkDependencyRule(edges, floors)).toEqual([{ kind: 'file-cycle', detail: 'run/a.ts -> run/b.ts -> run/c.ts' }]);
  });

  it('reports a folder without a floor', () => {
    const violations = checkDependencyRule([{ from: 'utils/x.ts', to: 'core/y.ts' }], floors);
    expect(violations.map((v) => v.kind)).toEqual(['unknown-folder']);
  });
});
