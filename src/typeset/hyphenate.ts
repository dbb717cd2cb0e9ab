import { createRequire } from 'node:module';

/**
 * Dictionary hyphenation points (Liang's patterns from TeX, through the `hyphen` package), for the
 * languages where long words are common and a hyphen is how a typesetter breaks them: German,
 * Finnish, Dutch, the Scandinavian languages, Hungarian, the Slavic languages and more. Patterns
 * load lazily, once per language. Names (a word with a capital after its first letter, "iPhone")
 * and words shorter than 6 letters are never hyphenated.
 */

/** Languages hyphenated, by the `hyphen` package's folder for them. */
const PATTERNS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    ['af', 'be', 'bg', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'es', 'et', 'eu', 'fi', 'fr', 'ga', 'gl', 'hr', 'hu', 'hy', 'ia', 'id', 'is', 'it', 'ka', 'la', 'lt', 'lv', 'mk', 'nb', 'nl', 'nn', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sq', 'sv', 'tk', 'tr', 'uk'].map((l) => [l, l]),
  ),
  en: 'en-us',
  'en-gb': 'en-gb',
  'en-au': 'en-gb',
  'en-in': 'en-gb',
  no: 'nb',
  sr: 'sr-cyrl',
  'sr-latn': 'sh-latn',
  'el-polyton': 'el-polyton',
  'de-ch': 'de-ch-1901',
};

type Hyphenator = (text: string, options: { hyphenChar: string; minWordLength: number }) => string;

const require = createRequire(import.meta.url);
const loaded = new Map<string, Hyphenator | null>();

/** The pattern folder for a locale, or undefined when the language is not hyphenated. */
export function patternsFor(locale: string): string | undefined {
  const parts = locale.toLowerCase().replace(/_/g, '-').split('-');
  const lang = parts[0] ?? '';
  for (let n = parts.length; n >= 1; n--) {
    const id = PATTERNS[parts.slice(0, n).join('-')];
    if (id) return id;
  }
  return PATTERNS[lang];
}

function hyphenator(id: string): Hyphenator | null {
  if (!loaded.has(id)) {
    let h: Hyphenator | null = null;
    try {
      h = (require(`hyphen/${id}`) as { hyphenateSync: Hyphenator }).hyphenateSync;
    } catch {
      h = null;
    }
    loaded.set(id, h);
  }
  return loaded.get(id)!;
}

const WORD = /\p{L}[\p{L}\p{M}]*/gu;
const NAME = /^\p{L}+\p{Lu}/u;
const cache = new Map<string, readonly number[]>();

/** UTF-16 offsets inside words of `text` where a hyphen may break them. */
export function hyphenationPoints(text: string, locale: string): readonly number[] {
  const id = patternsFor(locale);
  if (!id || /-x[a-z]$/i.test(locale)) return [];
  const key = `${id}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const h = hyphenator(id);
  const points: number[] = [];
  if (h) {
    for (const m of text.matchAll(WORD)) {
      const word = m[0];
      if ([...word].length < 6 || NAME.test(word)) continue;
      const marked = h(word, { hyphenChar: '\u00AD', minWordLength: 6 });
      let offset = m.index;
      for (const piece of marked.split('\u00AD').slice(0, -1)) {
        offset += piece.length;
        points.push(offset);
      }
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, points);
  return points;
}
