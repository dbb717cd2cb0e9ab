import type { z } from 'zod';
import type { InputErrorCode } from '../core/errors.js';
import type { Mismatch } from '../core/input-facts.js';
import { finding, formatPath, type Finding, type PathSegment } from './source.js';
import { closest } from './suggest.js';

/**
 * zod issues -> findings a person can act on: `expected integer 16-16384 but received "abc" (string)`.
 * The schemas' own `error` texts supply the "expected" half (see schema.ts).
 */

type Issue = z.core.$ZodIssue;

export function issuesToFindings(
  issues: readonly Issue[],
  data: unknown,
  schema: z.ZodType,
  /** Where `data` sits in the campaign; decides codes like E_SIZE for `sizes[0].width`. */
  prefix: readonly PathSegment[] = [],
): Finding[] {
  const findings: Finding[] = [];
  /** Fields written under a misspelt name: their "missing" finding would say the same thing twice. */
  const misspelt = new Set<string>();
  const visit = (issue: Issue, base: readonly PathSegment[]): void => {
    const path = [...base, ...(issue.path as PathSegment[])];
    const code = codeFor([...prefix, ...path]);
    const value = valueAt(data, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path) ?? [];
        for (const key of issue.keys) {
          const meant = closest(key, known);
          if (meant !== undefined) misspelt.add(formatPath([...path, meant]));
          findings.push(finding(code, { kind: 'unknown-field', field: key, meant }, [...path, key], 'key'));
        }
        return;
      }
      case 'invalid_union': {
        // The branch whose outer type matched is the one the user meant; of several (a text, image or
        // shape layer: all mappings), the one with the fewest problems.
        const fitting = issue.errors
          .filter((branch) => branch.length > 0 && !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0))
          .reduce<(typeof issue.errors)[number] | undefined>((best, branch) => (best === undefined || branch.length < best.length ? branch : best), undefined);
        if (fitting) {
          for (const inner of fitting) visit(inner, path);
          return;
        }
        const expected = issue.errors.map((branch) => branch[0]?.message).filter((m): m is string => !!m);
        const what = expected.length > 0 ? expected.join(' or ') : issue.message;
        findings.push(finding(code, expectation(what, path, data, value), path));
        return;
      }
      case 'invalid_value': {
        const options = issue.values.filter((v): v is string => typeof v === 'string');
        const meant = typeof value === 'string' ? closest(value, options) : undefined;
        findings.push(finding(code, expectation(issue.message, path, data, value, meant), path));
        return;
      }
      default:
        findings.push(finding(code, expectation(issue.message, path, data, value), path));
    }
  };
  for (const issue of issues) visit(issue, []);
  return findings.filter((f) => !(misspelt.has(formatPath(f.path)) && isMissing(f.path, data)));
}

/** The field's key is absent from a mapping that exists. */
function isMissing(path: readonly PathSegment[], data: unknown): boolean {
  const key = path.at(-1);
  const parent = valueAt(data, path.slice(0, -1));
  return typeof key === 'string' && isMapping(parent) && !(key in parent);
}

function expectation(expected: string, path: readonly PathSegment[], data: unknown, value: unknown, meant?: string): Mismatch {
  if (isMissing(path, data)) return { kind: 'missing', field: String(path.at(-1)), expected };
  if (path.length === 0 && value == null) return { kind: 'empty-file', expected };
  return { kind: 'mismatch', expected, received: value, ...(meant === undefined ? {} : { meant }) };
}

function codeFor(path: readonly PathSegment[]): InputErrorCode {
  const [first, , third] = path;
  if (path.length === 1 && (first === 'provider' || first === 'model')) return 'E_PROVIDER';
  if (first === 'sizes' && path.length === 3 && (third === 'width' || third === 'height')) return 'E_SIZE';
  if (first === 'sizes' && path.length === 3 && third === 'preset') return 'E_PRESET';
  return 'E_SCHEMA';
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let node = data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly catchall?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

// zod 4 exposes a schema's definition on `_zod.def` for tooling; used only to list field names.
const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Field names the object schema at `path` accepts, for did-you-mean. */
function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] | undefined {
  const def = defOf(schema);
  if (def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(def.type)) return knownKeys(def.innerType, path);
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const keys = knownKeys(option, path);
      if (keys) return keys;
    }
    return undefined;
  }
  const [seg, ...rest] = path;
  if (seg === undefined) return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
  if (def.type === 'object') {
    const next = def.shape?.[String(seg)] ?? def.catchall;
    return next ? knownKeys(next, rest) : undefined;
  }
  if (def.type === 'array' && def.element) return knownKeys(def.element, rest);
  if (def.type === 'record' && def.valueType) return knownKeys(def.valueType, rest);
  return undefined;
}
