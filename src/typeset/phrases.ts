import { createRequire } from 'node:module';

/**
 * Phrase boundaries of Japanese and Chinese text by BudouX (the model Chrome's `word-break:
 * auto-phrase` uses): a headline breaks between phrases (`あなたの | 一日に | 寄り添う | 光`), not
 * inside a word. Models load lazily, once per language.
 */

interface Parser {
  parse(sentence: string): string[];
}
interface Budoux {
  loadDefaultJapaneseParser(): Parser;
  loadDefaultSimplifiedChineseParser(): Parser;
  loadDefaultTraditionalChineseParser(): Parser;
}

const require = createRequire(import.meta.url);
const parsers = new Map<string, Parser>();

function parserFor(locale: string): Parser | undefined {
  const [lang = '', ...rest] = locale.toLowerCase().replace(/_/g, '-').split('-');
  const sub = rest.join('-');
  const model = lang === 'ja' ? 'ja' : lang === 'zh' ? (/\b(tw|hk|mo|hant)\b/.test(sub) ? 'zh-hant' : 'zh-hans') : lang === 'yue' ? 'zh-hant' : undefined;
  if (!model) return undefined;
  let p = parsers.get(model);
  if (!p) {
    const budoux = require('budoux') as Budoux;
    p = model === 'ja' ? budoux.loadDefaultJapaneseParser() : model === 'zh-hans' ? budoux.loadDefaultSimplifiedChineseParser() : budoux.loadDefaultTraditionalChineseParser();
    parsers.set(model, p);
  }
  return p;
}

const cache = new Map<string, ReadonlySet<number>>();

/** UTF-16 offsets between phrases, or undefined for a language without a phrase model. */
export function phraseBoundaries(text: string, locale: string): ReadonlySet<number> | undefined {
  if (!/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return undefined;
  const parser = parserFor(locale);
  if (!parser) return undefined;
  const key = `${locale}\u0000${text}`;
  let hit = cache.get(key);
  if (!hit) {
    const out = new Set<number>();
    let offset = 0;
    for (const phrase of parser.parse(text)) {
      offset += phrase.length;
      out.add(offset);
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(key, (hit = out));
  }
  return hit;
}
