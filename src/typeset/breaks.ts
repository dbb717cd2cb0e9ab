import { hyphenationPoints } from './hyphenate.js';
import { phraseBoundaries } from './phrases.js';

/**
 * Where a line may break (a subset of UAX #14 and of a typesetter's habits, enough for marketing copy):
 * - after spaces (not no-break spaces), and after a zero-width space;
 * - between words of scripts written without spaces (Thai, Lao, Khmer, Myanmar): the word
 *   boundaries of Intl.Segmenter, which Node's full ICU finds with its dictionaries;
 * - Japanese and Chinese between phrases (BudouX, the model Chrome uses), and between any two
 *   characters only inside a phrase too wide for a line; never before closing punctuation, small
 *   kana and the prolonged sound mark, nor after opening punctuation (kinsoku shori);
 * - after a hyphen inside a word ("Temperatur-Anzeige");
 * - at soft hyphens and dictionary hyphenation points, only inside a word too wide for a line;
 * - never inside a `keep` phrase ("iPhone 16"), never before a short number ("Pixel 9", "30%"),
 *   never inside a grapheme cluster (combining marks and conjuncts stay whole).
 */

/**
 * `normal`: a break a reader expects. `emergency`: inside a phrase, only when the phrase is wider
 * than the line. `hyphen`: like emergency, and the line then ends in a hyphen.
 */
export type BreakKind = 'normal' | 'emergency' | 'hyphen';

export interface Break {
  /** UTF-16 offset: the line ends before it. */
  readonly at: number;
  readonly kind: BreakKind;
}

export interface BreakOptions {
  /** Phrases never broken, matched as written. */
  readonly keep?: readonly string[];
  /** Dictionary hyphenation (where the language has patterns); soft hyphens are honoured either way. Default true. */
  readonly hyphenate?: boolean;
  /** Also between any two graphemes, as a last resort (labels and proofs, never copy layers). */
  readonly anywhere?: boolean;
}

const SPACE = /[ \t\u1680\u2000-\u2006\u2008-\u200A\u205F\u3000]/u;
const NO_SPACE_SCRIPT = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303F\uFF00-\uFFEF\u30FC]/u;
/** Never at the start of a line. */
const CLOSING = new Set(
  Array.from(
    ')]}»›”’"\',.;:!?%‰…‥、。，．・：；？！ー〜～゠ゝゞヽヾ々〻' +
      'ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ' +
      '」』）】〕〉》〙〗〟｝］｠％،؛٪۔',
  ),
);
/** Never at the end of a line. */
const OPENING = new Set(Array.from('([{«‹“‘¿¡「『（【〔〈《〘〖〝｛［｟$£¥€'));
const HYPHEN = /[-\u2010\u2013]/u;
const LETTER = /\p{L}/u;
/** A number short enough to look lost alone on a line: "16", "9.", "30%", "٣٠٪", "4,5". */
const SHORT_NUMBER = /^[+\-−]?\p{Nd}{1,4}(?:[.,:]\p{Nd}{1,2})?[%٪‰°]?[.,;:!?)»"”]*$/u;

// Building a segmenter costs far more than using it.
const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(locale: string, granularity: 'word' | 'grapheme'): Intl.Segmenter {
  const key = `${granularity} ${locale}`;
  let s = segmenters.get(key);
  if (!s) {
    let tag = 'und';
    try {
      tag = Intl.getCanonicalLocales(locale)[0] ?? 'und';
    } catch {
      // A pseudo or malformed tag still segments with the root rules.
    }
    s = new Intl.Segmenter(tag, { granularity });
    segmenters.set(key, s);
  }
  return s;
}

/** Every legal break of one paragraph (no hard line breaks in it), in order, none at its ends. */
export function breakOpportunities(text: string, locale: string, options: BreakOptions = {}): Break[] {
  const kinds = new Map<number, BreakKind>();
  const add = (at: number, kind: BreakKind) => {
    const old = kinds.get(at);
    if (old === undefined || rank(kind) < rank(old)) kinds.set(at, kind);
  };
  const phrases = phraseBoundaries(text, locale);
  for (const { index } of segmenter(locale, 'word').segment(text)) {
    // With a phrase model, a dictionary word boundary inside a CJK phrase is no place for a headline to break.
    const inPhrase = phrases && !phrases.has(index) && (CJK.test(charBefore(text, index)) || CJK.test(text.charAt(index)));
    add(index, inPhrase ? 'emergency' : 'normal');
  }
  let offset = 0;
  for (const char of text) {
    // CJK breaks between characters, not only between dictionary words: inside a phrase only when it must.
    if (CJK.test(char)) {
      add(offset, phrases && !phrases.has(offset) ? 'emergency' : 'normal');
      add(offset + char.length, phrases && !phrases.has(offset + char.length) ? 'emergency' : 'normal');
    }
    // Word segmentation attaches format characters (bidi marks, as in ar-XB) to the space before
    // them, which would hide the break after that space.
    if (SPACE.test(char)) add(offset + char.length, 'normal');
    if (char === '\u00AD') add(offset + 1, 'hyphen');
    // Tibetan separates syllables with a tsheg, not a space: a line may break after one.
    if (char === '\u0F0B' || char === '\u0F0D') add(offset + 1, 'normal');
    offset += char.length;
  }
  if (options.hyphenate !== false) for (const at of hyphenationPoints(text, locale)) add(at, 'hyphen');

  const graphemes = graphemeStarts(text, locale);
  if (options.anywhere) for (const g of graphemes) if (!kinds.has(g)) kinds.set(g, 'emergency');
  const kept = keptRanges(text, options.keep ?? []);
  const breaks = [...kinds]
    .filter(([i, kind]) => i > 0 && i < text.length && graphemes.has(i) && allowed(text, i, kind) && !kept.some(([s, e]) => i > s && i < e))
    .sort((a, b) => a[0] - b[0])
    .map(([at, kind]) => ({ at, kind }));
  return withoutLoneNumbers(text, breaks);
}

const rank = (k: BreakKind) => (k === 'normal' ? 0 : k === 'emergency' ? 1 : 2);

function allowed(text: string, i: number, kind: BreakKind): boolean {
  const prev = charBefore(text, i);
  const next = String.fromCodePoint(text.codePointAt(i)!);
  if (SPACE.test(next)) return false;
  if (kind === 'emergency' && !CJK.test(prev) && !CJK.test(next)) return true;
  if (kind === 'hyphen') return LETTER.test(next) && (prev === '\u00AD' || LETTER.test(prev));
  if (CLOSING.has(next)) return false;
  if (OPENING.has(prev)) return false;
  if (SPACE.test(prev) || prev === '\u200B' || prev === '\u0F0B' || prev === '\u0F0D') return true;
  if (NO_SPACE_SCRIPT.test(prev) && NO_SPACE_SCRIPT.test(next)) return true;
  // Ideographs and kana break on either side, next to Latin and digits too ("iPhone 15で").
  if (CJK.test(prev) || CJK.test(next)) return true;
  if (HYPHEN.test(prev) && LETTER.test(next)) return LETTER.test(charBefore(text, i - prev.length));
  return false;
}

/** [start, end) of every occurrence of a keep phrase. */
function keptRanges(text: string, keep: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const phrase of keep) {
    if (phrase === '') continue;
    for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) ranges.push([i, i + phrase.length]);
  }
  return ranges;
}

/**
 * No short number alone on a line: the break before it goes (it stays with the word before, as
 * "Pixel 9" does), or, when it opens the paragraph or a CJK counter follows it ("15分"), the
 * break after it.
 */
function withoutLoneNumbers(text: string, breaks: readonly Break[]): Break[] {
  const normal = breaks.filter((b) => b.kind === 'normal').map((b) => b.at);
  const drop = new Set<number>();
  const edges = [0, ...normal, text.length];
  for (let k = 0; k + 1 < edges.length; k++) {
    const token = text.slice(edges[k], edges[k + 1]).trim();
    if (!SHORT_NUMBER.test(token)) continue;
    const after = edges[k + 1]!;
    const forward = k === 0 || (after < text.length && CJK.test(String.fromCodePoint(text.codePointAt(after)!)));
    if (forward && k + 1 < edges.length - 1) drop.add(after);
    else if (k > 0) drop.add(edges[k]!);
  }
  return breaks.filter((b) => !drop.has(b.at));
}

function charBefore(text: string, i: number): string {
  if (i <= 0) return '';
  const low = text.charCodeAt(i - 1);
  const isLowSurrogate = low >= 0xdc00 && low <= 0xdfff && i >= 2;
  return text.slice(isLowSurrogate ? i - 2 : i - 1, i);
}

function graphemeStarts(text: string, locale: string): Set<number> {
  const out = new Set<number>();
  for (const { index } of segmenter(locale, 'grapheme').segment(text)) out.add(index);
  return out;
}

/**
 * The text cut at every break of the given kinds (default: all but hyphenation points): each
 * piece, trailing spaces included, stays on one line. One array per paragraph (hard breaks).
 */
export function breakUnits(text: string, locale: string, options: BreakOptions & { readonly kinds?: readonly BreakKind[] } = {}): string[][] {
  const kinds = options.kinds ?? ['normal', 'emergency'];
  return text.split(/\r?\n/).map((para) => {
    const cuts = breakOpportunities(para, locale, options).filter((b) => kinds.includes(b.kind));
    const units: string[] = [];
    let start = 0;
    for (const { at } of cuts) {
      units.push(para.slice(start, at));
      start = at;
    }
    if (start < para.length || units.length === 0) units.push(para.slice(start));
    return units;
  });
}
