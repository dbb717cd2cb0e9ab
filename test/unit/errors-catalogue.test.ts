import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, PROVIDER_ERROR_CATEGORIES, ProviderError, exitCodeOf, isErrorCode, messageOf, type ErrorCode, type FactsOf } from '../../src/core/errors.js';
import { HttpError } from '../../src/http/client.js';
import { FACT_EXAMPLES } from '../helpers/error-facts.js';

/** The catalogue itself: its keys are the codes, not uses of them. */
const CATALOGUE_FILES = ['src/core/errors-data.ts', 'src/core/errors-input.ts', 'src/core/input-facts.ts', 'src/core/project-facts.ts', 'src/core/job-facts.ts'];

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [{ file: path.split('\\').join('/'), text: readFileSync(path, 'utf8') }] : [];
  });
}

const src = sources('src').filter((s) => !CATALOGUE_FILES.includes(s.file));
/** Quoted codes, e.g. `code: 'E_USAGE'`; a prefix test like `startsWith('E_HTTP')` is not a code. */
const literalCodes = new Set(src.flatMap((s) => [...s.text.matchAll(/(?<!startsWith\()['"](E_[A-Z][A-Z0-9_]*)['"]/g)].map((m) => m[1] as string)));
/** Codes built from a prefix and a union: `E_PROVIDER_${category}`, `E_HTTP_${failure}`. */
const templatePrefixes = new Set(src.flatMap((s) => [...s.text.matchAll(/`(E_[A-Z_]+_)\$\{/g)].map((m) => m[1] as string)));

/** The members of a string-literal union type declared in src, read from its source. */
function unionMembers(file: string, type: string): string[] {
  const text = readFileSync(file, 'utf8');
  const decl = new RegExp(`export type ${type} =([^;]+);`).exec(text)?.[1] ?? '';
  return [...decl.matchAll(/'([a-z_]+)'/g)].map((m) => m[1] as string);
}

const dynamicCodes = [
  ...unionMembers('src/core/errors.ts', 'ProviderErrorCategory').map((c) => `E_PROVIDER_${c.toUpperCase()}`),
  ...unionMembers('src/http/client.ts', 'TransportFailure').map((f) => `E_HTTP_${f.toUpperCase()}`),
];

describe('the error catalogue', () => {
  it('has every code used in src', () => {
    expect(literalCodes.size).toBeGreaterThan(10);
    const missing = [...literalCodes].filter((code) => !isErrorCode(code));
    expect(missing).toEqual([]);
    expect(dynamicCodes.filter((code) => !isErrorCode(code))).toEqual([]);
    expect([...templatePrefixes].sort()).toEqual(['E_HTTP_', 'E_PROVIDER_']);
  });

  it('has no entry that src never raises', () => {
    const used = new Set([...literalCodes, ...dynamicCodes]);
    expect(Object.keys(ERRORS).filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives every entry a title, a hint and an exit code the CLI knows', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(entry.title.length, code).toBeGreaterThan(3);
      expect(entry.hint.length, code).toBeGreaterThan(3);
      expect([1, 2, 3, 130], code).toContain(entry.exit);
    }
    expect(ERRORS.E_INTERRUPTED.message()).toMatch(/^not started/);
    expect(exitCodeOf('E_YAML')).toBe(2);
    expect(exitCodeOf('E_PROVIDER_AUTH')).toBe(1);
    expect(exitCodeOf('E_INTERRUPTED')).toBe(130);
    expect(exitCodeOf('E_BUDGET')).toBe(3);
  });

  it('matches the codes the error classes produce at run time', () => {
    for (const category of PROVIDER_ERROR_CATEGORIES) {
      expect(isErrorCode(new ProviderError({ provider: 'x', category }, 'm').code)).toBe(true);
    }
    expect(new HttpError('too_large', true, { kind: 'too-large', limit: 10 })).toMatchObject({ code: 'E_HTTP_TOO_LARGE', message: 'response exceeds the 10-byte limit' });
    expect(isErrorCode('E_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});

describe('messages as data', () => {
  const codes = Object.keys(ERRORS) as ErrorCode[];

  it('renders every template from its facts, in words with nothing left blank', () => {
    for (const code of codes) {
      const examples = FACT_EXAMPLES[code] as readonly FactsOf<typeof code>[];
      expect(examples.length, code).toBeGreaterThan(0);
      for (const facts of examples) {
        const message = messageOf(code, facts);
        expect(message.length, code).toBeGreaterThan(3);
        expect(message, code).not.toMatch(/undefined|\[object |NaN/);
      }
    }
  });

  /** Everywhere in src/, call sites pass facts: a code next to a string of words is a message built inline. */
  const INLINE = [
    /code:\s*'E_[A-Z_]+'(?: as const)?[^}]*?\bmessage:\s*[`'"]/s,
    /'E_[A-Z_]+',\s*[`'"]/,
    /\bproblem:\s*[`'"]/,
    // Transport failures: their code comes from the failure, their words must come from the catalogue.
    /new HttpError\('[a-z_]+',\s*(?:true|false),\s*[`'"]/,
  ];

  it('builds no message inline anywhere in src/', () => {
    expect(src.length).toBeGreaterThan(150);
    const inline = src.filter((s) => INLINE.some((re) => re.test(s.text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '')))).map((s) => s.file);
    expect(inline).toEqual([]);
  });

  it('sees a message built inline (the check can fail)', () => {
    const samples = [
      "problems.push({ code: 'E_USAGE', path: '--x', message: `bad ${x}` });",
      "throw new PressroomError('E_FONTS', 'no font');",
      "return { code: 'E_PATH', problem: `not here` };",
      "throw new HttpError('redirect', true, `more than ${n} redirects`);",
    ];
    for (const text of samples) expect(INLINE.some((re) => re.test(text)), text).toBe(true);
    expect(INLINE.some((re) => re.test("problem('E_USAGE', { kind: 'empty', expected: 'a path' })"))).toBe(false);
  });
});
