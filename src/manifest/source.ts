import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { messageOf, problem, type FactsOf, type InputErrorCode, type Problem } from '../core/errors.js';
import type { SourceLocation } from '../core/campaign.js';

/**
 * A parsed YAML file that remembers where every value was written, so problems found on the
 * plain data (by zod or by later checks) can be reported at `file:line:col`.
 */

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /** Where this file's root sits in the campaign (`['locales', 'de-DE']` for a locale file). */
  readonly prefix: readonly PathSegment[];
}

/** A problem found on plain data, not yet given a place in a file. */
export interface Finding {
  readonly code: InputErrorCode;
  /** Relative to the file's root. */
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** `key` for problems with a field's name rather than its value. */
  readonly at?: 'value' | 'key';
}

export interface ParsedYaml {
  readonly source: YamlSource;
  /** The plain data; undefined when the file could not be parsed. */
  readonly data: unknown;
  readonly problems: readonly Problem[];
}

/** Low on purpose: a campaign has no reason for deep alias nesting, and an alias bomb must stop early. */
export const MAX_ALIAS_COUNT = 50;

export function parseYaml(file: string, text: string, prefix: readonly PathSegment[] = []): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const source: YamlSource = { file, doc, lineCounter, prefix };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((err): Problem => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      const path = pathAtOffset(doc, err.pos[0]);
      const facts: FactsOf<'E_YAML'> =
        err.code === 'DUPLICATE_KEY'
          ? { kind: 'duplicate-key', key: String(path.at(-1) ?? '') }
          : err.code === 'MULTIPLE_DOCS'
            ? { kind: 'documents' }
            : { kind: 'parser', said: lowerFirst(err.message) };
      return problem('E_YAML', facts, { file, line, col, path: formatPath([...prefix, ...path]) });
    });
    return { source, data: undefined, problems };
  }
  try {
    return { source, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems: [] };
  } catch (err) {
    // yaml throws a ReferenceError for excessive aliasing; anything else thrown here is also bad input.
    const at = firstAliasOffset(doc) ?? 0;
    const { line, col } = lineCounter.linePos(at);
    const path = formatPath([...prefix, ...pathAtOffset(doc, at)]);
    const kind = err instanceof ReferenceError ? 'alias-bomb' : 'not-data';
    return { source, data: undefined, problems: [problem('E_YAML', { kind }, { file, line, col, path })] };
  }
}

/** `sizes[1].width`, `locales.de-DE.headline`, `vars["two words"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Where `path` (relative to this file's root) is written. A missing key resolves to its nearest
 * existing parent; `at: 'key'` points at the key itself (unknown or reserved field names).
 */
export function locate(source: YamlSource, path: readonly PathSegment[], at: 'value' | 'key' = 'value'): SourceLocation {
  const { doc } = source;
  let node: unknown = doc.contents;
  let offset = nodeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyStart = nodeStart(pair.key) ?? offset;
      if (at === 'key' && i === path.length - 1) {
        offset = keyStart;
        break;
      }
      node = pair.value;
      offset = startViaKey(node, keyStart);
      if (node === null || node === undefined) break;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      offset = nodeStart(item) ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col };
}

/** A problem at `path` of `source`, in the catalogue's words for `facts`. */
export function problemAt<C extends InputErrorCode>(source: YamlSource, code: C, facts: FactsOf<C>, path: readonly PathSegment[], at: 'value' | 'key' = 'value'): Problem {
  return placed(source, code, messageOf(code, facts), path, at);
}

/** A finding (not yet placed in a file) in the catalogue's words for `facts`. */
export function finding<C extends InputErrorCode>(code: C, facts: FactsOf<C>, path: readonly PathSegment[], at?: 'value' | 'key'): Finding {
  return { code, path, message: messageOf(code, facts), ...(at ? { at } : {}) };
}

function placed(source: YamlSource, code: InputErrorCode, message: string, path: readonly PathSegment[], at: 'value' | 'key'): Problem {
  const { file, line, col } = locate(source, path, at);
  const shown = formatPath([...source.prefix, ...path]);
  return { code, file, line, col, ...(shown ? { path: shown } : {}), message };
}

export function placeFindings(source: YamlSource, findings: readonly Finding[]): Problem[] {
  return findings.map((f) => placed(source, f.code, f.message, f.path, f.at ?? 'value'));
}

/** Every written field path of this file -> its location (aliases are recorded, not followed). */
export function collectLocations(source: YamlSource, into: Record<string, SourceLocation>): void {
  const { lineCounter, file } = source;
  const record = (path: readonly PathSegment[], offset: number): void => {
    const key = formatPath([...source.prefix, ...path]);
    if (key) into[key] = { file, ...lineCounter.linePos(offset) };
  };
  const walk = (node: unknown, path: PathSegment[], offset: number): void => {
    record(path, offset);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const keyStart = nodeStart(pair.key) ?? offset;
        walk(pair.value, [...path, String(pair.key.value)], startViaKey(pair.value, keyStart));
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i], nodeStart(item) ?? offset));
    }
  };
  walk(source.doc.contents, [], nodeStart(source.doc.contents) ?? 0);
}

/** A block collection under a key starts on the next line; the key is where a reader looks. */
function startViaKey(node: unknown, keyStart: number): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) return keyStart;
  return nodeStart(node) ?? keyStart;
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0] ?? undefined;
}

/** The path of the innermost key or value whose source span contains `offset`. */
function pathAtOffset(doc: Document, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  const contains = (node: unknown) => {
    const r = (node as Node | null | undefined)?.range;
    return !!r && r[0] <= offset && offset < Math.max(r[2], r[0] + 1);
  };
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      // Last match wins: a duplicate key is the later pair with the same name.
      const pair = [...node.items].reverse().find((p) => contains(p.key) || contains(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (contains(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex(contains);
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path;
}

function firstAliasOffset(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
