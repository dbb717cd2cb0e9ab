import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, PROVIDER_ERROR_CATEGORIES, ProviderError, exitCodeOf, isErrorCode } from '../../src/core/errors.js';
import { HttpError } from '../../src/http/client.js';

const CATALOGUE_FILE = 'src/core/errors-data.ts';

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [{ file: path.split('\\').join('/'), text: readFileSync(path, 'utf8') }] : [];
  });
}

const src = sources('src').filter((s) => s.file !== CATALOGUE_FILE);
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
    expect(new HttpError('too_large', true, 'm').code).toBe('E_HTTP_TOO_LARGE');
    expect(isErrorCode('E_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
