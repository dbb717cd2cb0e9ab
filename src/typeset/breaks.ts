/**
 * Where a line may break (a small subset of UAX #14, enough for marketing copy):
 * - after spaces (not no-break spaces), and after a zero-width space;
 * - between words of scripts written without spaces (Thai, Lao, Khmer, Myanmar): the word
 *   boundaries of Intl.Segmenter, which Node's full ICU finds with its dictionaries;
 * - before and after any character of Chinese and Japanese, except before closing punctuation,
 *   small kana and the prolonged sound mark, and after opening punctuation (kinsoku shori);
 * - after a hyphen inside a word ("Temperatur-Anzeige").
 * Nothing ever breaks inside a grapheme cluster, so combining marks and conjuncts stay whole.
 */

const SPACE = /[ \t\u1680\u2000-\u2006\u2008-\u200A\u205F\u3000]/u;
const NO_SPACE_SCRIPT = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303F\uFF00-\uFFEF\u30FC]/u;
/** Never at the start of a line. */
const CLOSING = new Set(
  Array.from(
    ')]}»›”’"\',.;:!?%‰…‥、。，．・：；？！ー〜～゠ゝゞヽヾ々〻' +
      'ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ' +
      '」』）】〕〉》〙〗〟｝］｠％',
  ),
);
/** Never at the end of a line. */
const OPENING = new Set(Array.from('([{«‹“‘¿¡「『（【〔〈《〘〖〝｛［｟$£¥€'));
const HYPHEN = /[-\u2010\u2013]/u;
const LETTER = /\p{L}/u;

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

/**
 * The text cut at every legal break: each piece (trailing spaces included) must stay on one line.
 * Hard line breaks (\n) split paragraphs: the result has one array per paragraph.
 */
export function breakUnits(text: string, locale: string): string[][] {
  return text.split(/\r?\n/).map((para) => paragraphUnits(para, locale));
}

function paragraphUnits(text: string, locale: string): string[] {
  const candidates = new Set<number>();
  for (const { index } of segmenter(locale, 'word').segment(text)) candidates.add(index);
  // CJK breaks between characters, not only between dictionary words.
  let offset = 0;
  for (const char of text) {
    if (CJK.test(char)) {
      candidates.add(offset);
      candidates.add(offset + char.length);
    }
    // Word segmentation attaches format characters (bidi marks, as in ar-XB) to the space before
    // them, which would hide the break after that space.
    if (SPACE.test(char)) candidates.add(offset + char.length);
    offset += char.length;
  }
  const graphemes = graphemeStarts(text, locale);
  const cuts = [...candidates].filter((i) => i > 0 && i < text.length && graphemes.has(i) && allowed(text, i)).sort((a, b) => a - b);
  const units: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    units.push(text.slice(start, cut));
    start = cut;
  }
  if (start < text.length || units.length === 0) units.push(text.slice(start));
  return units;
}

function allowed(text: string, i: number): boolean {
  const prev = charBefore(text, i);
  const next = String.fromCodePoint(text.codePointAt(i)!);
  if (SPACE.test(next)) return false;
  if (CLOSING.has(next)) return false;
  if (OPENING.has(prev)) return false;
  if (SPACE.test(prev) || prev === '\u200B') return true;
  if (NO_SPACE_SCRIPT.test(prev) && NO_SPACE_SCRIPT.test(next)) return true;
  // Ideographs and kana break on either side, next to Latin and digits too ("iPhone 15で").
  if (CJK.test(prev) || CJK.test(next)) return true;
  if (HYPHEN.test(prev) && LETTER.test(next)) return LETTER.test(charBefore(text, i - prev.length));
  return false;
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

/** A line as shown: trailing spaces do not count (they hang past the edge). */
export function trimLine(line: string): string {
  return line.replace(/[ \t\u1680\u2000-\u2006\u2008-\u200A\u205F\u3000\u200B]+$/u, '');
}
