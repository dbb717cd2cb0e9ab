/**
 * Which npm font package serves which Unicode script. All are Noto Sans, as TTF in
 * `@expo-google-fonts/*` (one folder per weight), so nothing needs converting and every file is
 * read by Skia and by our cmap reader alike.
 */
export interface NotoFamily {
  readonly id: string;
  readonly pkg: string;
  /** File name stem: `<stem>_700Bold.ttf`. */
  readonly stem: string;
  /** Unicode script names (as in `\p{Script=...}`) this family is the source for. */
  readonly scripts: readonly string[];
}

const noto = (id: string, suffix: string, scripts: readonly string[]): NotoFamily => ({
  id,
  pkg: `@expo-google-fonts/noto-sans${suffix ? `-${suffix}` : ''}`,
  stem: `NotoSans${suffix.length <= 2 ? suffix.toUpperCase() : suffix.replace(/^./, (c) => c.toUpperCase())}`,
  scripts,
});

const KANA_HAN = ['Han', 'Hiragana', 'Katakana', 'Bopomofo'];

export const NOTO_FAMILIES: readonly NotoFamily[] = [
  noto('latin', '', ['Latin', 'Greek', 'Cyrillic']),
  noto('arabic', 'arabic', ['Arabic']),
  noto('hebrew', 'hebrew', ['Hebrew']),
  noto('devanagari', 'devanagari', ['Devanagari']),
  noto('bengali', 'bengali', ['Bengali']),
  noto('tamil', 'tamil', ['Tamil']),
  noto('thai', 'thai', ['Thai']),
  noto('lao', 'lao', ['Lao']),
  noto('khmer', 'khmer', ['Khmer']),
  noto('ethiopic', 'ethiopic', ['Ethiopic']),
  noto('kr', 'kr', ['Hangul', ...KANA_HAN]),
  noto('jp', 'jp', KANA_HAN),
  noto('sc', 'sc', KANA_HAN),
  noto('tc', 'tc', KANA_HAN),
  noto('hk', 'hk', KANA_HAN),
];

/** Folder (and file suffix) per weight, as the packages name them. */
const WEIGHT_NAMES: Readonly<Record<number, string>> = {
  100: '100Thin',
  200: '200ExtraLight',
  300: '300Light',
  400: '400Regular',
  500: '500Medium',
  600: '600SemiBold',
  700: '700Bold',
  800: '800ExtraBold',
  900: '900Black',
};

/** The package's file for the nearest weight: `700Bold/NotoSansJP_700Bold.ttf`. */
export function notoFile(family: NotoFamily, weight: number): { readonly path: string; readonly weight: number } {
  const w = Math.min(900, Math.max(100, Math.round(weight / 100) * 100));
  const name = WEIGHT_NAMES[w]!;
  return { path: `${name}/${family.stem}_${name}.ttf`, weight: w };
}

const SCRIPTS = [...new Set(NOTO_FAMILIES.flatMap((f) => f.scripts))];
const SCRIPT_RES = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);

const SHARED = /[\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * The script of one character among those we have fonts for; `Common` for characters every script
 * uses (digits, punctuation, symbols, combining marks); `Other` for scripts without a Noto package here.
 */
export function scriptOf(char: string): string {
  for (const [script, re] of SCRIPT_RES) if (re.test(char)) return script;
  return SHARED.test(char) ? 'Common' : 'Other';
}

/** Shared characters that only CJK fonts carry: ideographic punctuation, full-width forms, CJK symbols. */
const CJK_SHARED = /[\u2E80-\u2FFF\u3000-\u33FF\uFE30-\uFE4F\uFF00-\uFFEF]/u;

/**
 * The families to try, in order, for one character of `text` in `locale`. Han, kana and Bopomofo
 * share code points across regions but not glyph shapes: the locale's region picks the face first
 * (zh-TW → TC, zh-HK → HK, zh-CN → SC, ja → JP, ko → KR). A shared character (digit, comma)
 * tries Latin, then the families of the text's own scripts (the Arabic comma, the Devanagari
 * danda), then CJK if it is CJK punctuation; a character of a script we have no font for tries
 * only Latin, so it costs no reading of every font before being reported.
 */
export function familiesFor(char: string, locale: string, text: string): readonly NotoFamily[] {
  const script = scriptOf(char);
  const latin = byId('latin');
  if (script === 'Other') return [latin];
  if (script !== 'Common') return familiesOfScript(script, locale, text);
  const own = new Set<string>();
  for (const c of text) own.add(scriptOf(c));
  const families = [latin, ...[...own].flatMap((s) => (s === 'Common' || s === 'Other' ? [] : familiesOfScript(s, locale, text)))];
  if (CJK_SHARED.test(char)) families.push(...hanOrder(locale, text).map(byId));
  return [...new Set(families)];
}

const LANGUAGE_FAMILY: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['ar', 'fa', 'ur', 'ps', 'sd', 'ug', 'ckb'].map((l) => [l, 'arabic'])),
  ...Object.fromEntries(['he', 'iw', 'yi'].map((l) => [l, 'hebrew'])),
  ...Object.fromEntries(['hi', 'mr', 'ne', 'sa', 'kok', 'mai'].map((l) => [l, 'devanagari'])),
  ...Object.fromEntries(['bn', 'as'].map((l) => [l, 'bengali'])),
  ...Object.fromEntries(['am', 'ti'].map((l) => [l, 'ethiopic'])),
  ta: 'tamil',
  th: 'thai',
  lo: 'lao',
  km: 'khmer',
  ko: 'kr',
  ja: 'jp',
};

/**
 * The family that leads for a locale: its own script's, so digits, punctuation and Latin words
 * take that font's design (when it has them) wherever they stand in the text. Latin otherwise.
 * Pseudo-locales (en-XA, ar-XB) hold Latin letters: Latin.
 */
export function localeFamily(locale: string, text: string): NotoFamily {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  if (/-x[a-z]$/i.test(locale)) return byId('latin');
  if (lang === 'zh' || lang === 'yue') return byId(hanOrder(locale, text)[0]!);
  return byId(LANGUAGE_FAMILY[lang] ?? 'latin');
}

function familiesOfScript(script: string, locale: string, text: string): readonly NotoFamily[] {
  if (!KANA_HAN.includes(script)) return NOTO_FAMILIES.filter((f) => f.scripts.includes(script));
  return hanOrder(locale, text).map(byId);
}

function hanOrder(locale: string, text: string): readonly string[] {
  const [lang = '', ...rest] = locale.toLowerCase().split(/[-_]/);
  const sub = rest.join('-');
  if (lang === 'ja') return ['jp', 'sc', 'tc', 'hk', 'kr'];
  if (lang === 'ko') return ['kr', 'tc', 'sc', 'jp', 'hk'];
  if (lang === 'zh' || lang === 'yue') {
    if (/\b(hk|mo)\b/.test(sub)) return ['hk', 'tc', 'sc', 'jp', 'kr'];
    if (/\b(tw|hant)\b/.test(sub) || lang === 'yue') return ['tc', 'hk', 'sc', 'jp', 'kr'];
    return ['sc', 'tc', 'hk', 'jp', 'kr'];
  }
  // A locale with no Han of its own (a brand name in Japanese inside English copy): guess from the text.
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return ['jp', 'sc', 'tc', 'hk', 'kr'];
  if (/\p{Script=Hangul}/u.test(text)) return ['kr', 'sc', 'tc', 'jp', 'hk'];
  return ['sc', 'tc', 'hk', 'jp', 'kr'];
}

function byId(id: string): NotoFamily {
  return NOTO_FAMILIES.find((f) => f.id === id)!;
}
