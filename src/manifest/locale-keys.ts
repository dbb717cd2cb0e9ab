import type { FactsOf, Problem } from '../core/errors.js';
import { isMapping } from './issues.js';
import type { TaggedEntry } from './locales.js';
import { problemAt } from './source.js';
import { closest } from './suggest.js';

/**
 * The fields of each locale against the others. A misspelt key (`cpy:`) would otherwise pass and
 * silently drop the line from that market. With text layers every locale must have the same fields
 * as the source locale, and every field a layer sets; without them, prompt-only campaigns may
 * differ between locales (as before), but a key one edit away from another locale's is an error.
 */
const COMMON = ['headline', 'copy', 'cta'];

export function checkLocaleKeys(tagged: readonly TaggedEntry[], text: { readonly fields: readonly string[]; readonly paths: Readonly<Record<string, string>>; readonly source?: string } | undefined): Problem[] {
  const problems: Problem[] = [];
  const keysOf = (t: TaggedEntry) => (isMapping(t.entry.strings) ? Object.keys(t.entry.strings) : undefined);
  const source = text ? (tagged.find((t) => t.tag.tag === text.source) ?? tagged[0]) : undefined;
  const reference = source ? (keysOf(source) ?? []) : [];

  for (const t of tagged) {
    const keys = keysOf(t);
    if (!keys) continue; // not a mapping: the schema reports it
    const at = (path: readonly (string | number)[], facts: FactsOf<'E_LOCALE'>, where: 'key' | 'value' = 'value') =>
      problems.push(problemAt(t.entry.source, 'E_LOCALE', facts, [...t.entry.base, ...path], where));
    const locale = t.tag.tag;
    // Of two spellings, the likelier one is meant: a usual field, then the one more locales use, then the first locale's.
    const rank = (k: string) => [COMMON.includes(k) ? 1 : 0, tagged.filter((o) => keysOf(o)?.includes(k)).length, keysOf(tagged[0]!)?.includes(k) ? 1 : 0];
    const outranks = (a: string, b: string) => {
      const [ra, rb] = [rank(a), rank(b)];
      const i = ra.findIndex((v, j) => v !== rb[j]);
      return i >= 0 && ra[i]! > rb[i]!;
    };
    const others = [...new Set(tagged.filter((o) => o !== t).flatMap((o) => keysOf(o) ?? []))];
    const known = text ? [...new Set([...reference, ...text.fields])] : others;
    const meant = new Set<string>();
    for (const key of keys) {
      if (text && known.includes(key)) continue;
      const guess = closest(key, known.filter((k) => !keys.includes(k) && (text !== undefined || outranks(k, key))));
      if (guess !== undefined) {
        meant.add(guess);
        at([key], { kind: 'misspelt-field', locale, field: key, meant: guess }, 'key');
      } else if (text && t !== source) {
        at([key], { kind: 'not-in-source', locale, field: key, source: source!.tag.tag }, 'key');
      }
    }
    if (!text) continue;
    for (const field of text.fields) {
      if (keys.includes(field) || meant.has(field)) continue;
      at([], { kind: 'missing-layer-field', locale, field, layer: text.paths[field] ?? 'layers' });
    }
    if (t === source) continue;
    for (const field of reference) {
      if (keys.includes(field) || meant.has(field) || text.fields.includes(field)) continue;
      at([], { kind: 'missing-source-field', locale, field, source: source!.tag.tag });
    }
  }
  return problems;
}
