/**
 * Which script a character belongs to, by ISO 15924 code (`Latn`, `Arab`, `Geor`), the names a
 * campaign writes in `fonts:`. Emoji are their own script here (`Zsye`, as ISO names it): they
 * come from an emoji font whatever text they stand in.
 */

/** ISO 15924 code → Unicode script property value (as in `\p{Script=...}`). */
export const SCRIPT_NAMES: Readonly<Record<string, string>> = {
  Latn: 'Latin',
  Grek: 'Greek',
  Cyrl: 'Cyrillic',
  Armn: 'Armenian',
  Geor: 'Georgian',
  Hebr: 'Hebrew',
  Arab: 'Arabic',
  Deva: 'Devanagari',
  Beng: 'Bengali',
  Guru: 'Gurmukhi',
  Gujr: 'Gujarati',
  Orya: 'Oriya',
  Taml: 'Tamil',
  Telu: 'Telugu',
  Knda: 'Kannada',
  Mlym: 'Malayalam',
  Sinh: 'Sinhala',
  Thai: 'Thai',
  Laoo: 'Lao',
  Tibt: 'Tibetan',
  Mymr: 'Myanmar',
  Khmr: 'Khmer',
  Ethi: 'Ethiopic',
  Hang: 'Hangul',
  Hira: 'Hiragana',
  Kana: 'Katakana',
  Bopo: 'Bopomofo',
  Hani: 'Han',
  // No font in the table: a campaign sets them with `fonts: { Tfng: ... }`, and messages name them.
  Syrc: 'Syriac',
  Thaa: 'Thaana',
  Nkoo: 'Nko',
  Adlm: 'Adlam',
  Rohg: 'Hanifi_Rohingya',
  Tfng: 'Tifinagh',
  Cher: 'Cherokee',
  Cans: 'Canadian_Aboriginal',
  Mong: 'Mongolian',
  Olck: 'Ol_Chiki',
  Java: 'Javanese',
  Bali: 'Balinese',
  Vaii: 'Vai',
  Yiii: 'Yi',
  Limb: 'Limbu',
  Tale: 'Tai_Le',
  Bugi: 'Buginese',
  Copt: 'Coptic',
  Goth: 'Gothic',
  Runr: 'Runic',
  Ogam: 'Ogham',
};

/** How messages name a script: "Malayalam", "Hanifi Rohingya", "emoji". */
export function scriptName(code: string): string {
  if (code === EMOJI) return 'emoji';
  return SCRIPT_NAMES[code]?.replace(/_/g, ' ') ?? 'a script without a font here';
}

/** The script code of emoji. */
export const EMOJI = 'Zsye';
/** Digits, punctuation, symbols and marks that every script uses: they take the face of the word they stand in. */
export const COMMON = 'Zyyy';
/** A script without an entry in SCRIPT_NAMES. */
export const UNKNOWN = 'Zzzz';

// Compiled on first use: a table of Unicode-property expressions is start-up cost for every command.
let scriptRes: (readonly [string, RegExp])[] | undefined;
const SCRIPT_RES = () => (scriptRes ??= Object.entries(SCRIPT_NAMES).map(([code, name]) => [code, new RegExp(`^\\p{Script=${name}}`, 'u')] as const));
const SHARED = /^[\p{Script=Common}\p{Script=Inherited}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
/** Characters that draw nothing and need no glyph: spaces, controls, bidi and joiner marks, variation selectors, soft hyphens. */
export const INVISIBLE = /^[\s\p{Cc}\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

const cache = new Map<number, string>();

/** The script of one character (a code point): an ISO 15924 code, COMMON or UNKNOWN. */
export function scriptOf(char: string): string {
  const cp = char.codePointAt(0)!;
  let script = cache.get(cp);
  if (script === undefined) {
    script = SHARED.test(char) ? COMMON : (SCRIPT_RES().find(([, re]) => re.test(char))?.[0] ?? UNKNOWN);
    cache.set(cp, script);
  }
  return script;
}

/**
 * The script of a grapheme cluster: an emoji sequence (pictograph, flag, keycap) is EMOJI; else
 * the script of its first character that has one (a base letter with marks is the letter's).
 */
export function clusterScript(cluster: string): string {
  if (PICTOGRAPHIC.test(cluster) && !/^[\p{L}\p{N}]$/u.test(cluster)) {
    // A digit or # alone is not an emoji; "1️⃣" (with the keycap) is.
    if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(cluster) || cluster.includes('\u20E3')) return EMOJI;
  }
  for (const char of cluster) {
    const s = scriptOf(char);
    if (s !== COMMON) return s;
  }
  return COMMON;
}

/** True for the ISO 15924 codes `fonts:` may name (and `Zsye` for emoji). */
export function isScriptCode(key: string): boolean {
  return key === EMOJI || key in SCRIPT_NAMES;
}

/** Han and kana share glyphs across regions but not shapes: one face serves them together. */
export const CJK_SCRIPTS: ReadonlySet<string> = new Set(['Hani', 'Hira', 'Kana', 'Bopo']);
