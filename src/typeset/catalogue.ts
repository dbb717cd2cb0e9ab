/**
 * The font table, as data: which npm package sets which script (ISO 15924 codes), in which
 * languages, at which weights. All ship TTF (`@expo-google-fonts/*`, one folder per weight), so
 * Skia and our cmap reader read every file alike. A campaign adds to it per script or locale with
 * `fonts:` (brand files); a program may pass more entries to loadFonts.
 */
export interface FontFamily {
  readonly id: string;
  readonly pkg: string;
  /** File in the package, `{W}` standing for the weight's folder name (`700Bold`). */
  readonly file: string;
  readonly weights: readonly number[];
  /** Scripts this family sets (ISO 15924 codes). */
  readonly scripts: readonly string[];
  /**
   * Locales this family leads for (`ur`, `zh-TW`); in any other locale it is a last resort for its
   * scripts. Absent: the family is the default for its scripts.
   */
  readonly languages?: readonly string[];
}

const ALL = [100, 200, 300, 400, 500, 600, 700, 800, 900] as const;
const HAN = ['Hani', 'Hira', 'Kana', 'Bopo'];

const sans = (suffix: string, scripts: readonly string[], extra: Partial<FontFamily> = {}): FontFamily => {
  const stem = `NotoSans${suffix.length <= 2 ? suffix.toUpperCase() : suffix.replace(/(^|-)(.)/g, (_, __, c: string) => c.toUpperCase())}`;
  return { id: `noto-sans${suffix ? `-${suffix}` : ''}`, pkg: `@expo-google-fonts/noto-sans${suffix ? `-${suffix}` : ''}`, file: `{W}/${stem}_{W}.ttf`, weights: ALL, scripts, ...extra };
};

export const FONT_TABLE: readonly FontFamily[] = [
  { ...sans('', ['Latn', 'Grek', 'Cyrl']), id: 'noto-sans', file: '{W}/NotoSans_{W}.ttf' },
  sans('arabic', ['Arab']),
  // Urdu is written in Nastaliq; Naskh (Noto Sans Arabic) reads as foreign there.
  {
    id: 'noto-nastaliq-urdu',
    pkg: '@expo-google-fonts/noto-nastaliq-urdu',
    file: '{W}/NotoNastaliqUrdu_{W}.ttf',
    weights: [400, 500, 600, 700],
    scripts: ['Arab'],
    languages: ['ur', 'pa-Arab', 'ks', 'skr', 'bal'],
  },
  sans('hebrew', ['Hebr']),
  sans('armenian', ['Armn']),
  sans('georgian', ['Geor']),
  sans('devanagari', ['Deva']),
  sans('bengali', ['Beng']),
  sans('gurmukhi', ['Guru']),
  sans('gujarati', ['Gujr']),
  sans('oriya', ['Orya']),
  sans('tamil', ['Taml']),
  sans('telugu', ['Telu']),
  sans('kannada', ['Knda']),
  sans('malayalam', ['Mlym']),
  sans('sinhala', ['Sinh']),
  sans('thai', ['Thai']),
  sans('lao', ['Laoo']),
  sans('myanmar', ['Mymr']),
  sans('khmer', ['Khmr']),
  sans('ethiopic', ['Ethi']),
  // No Noto Sans Tibetan exists; the serif is the one Tibetan face Noto publishes.
  {
    id: 'noto-serif-tibetan',
    pkg: '@expo-google-fonts/noto-serif-tibetan',
    file: '{W}/NotoSerifTibetan_{W}.ttf',
    weights: ALL,
    scripts: ['Tibt'],
  },
  // Han by region: the same code point has a different shape in each.
  sans('sc', HAN, { languages: ['zh', 'zh-CN', 'zh-SG', 'zh-Hans'] }),
  sans('tc', HAN, { languages: ['zh-TW', 'zh-Hant', 'yue'] }),
  sans('hk', HAN, { languages: ['zh-HK', 'zh-MO'] }),
  sans('jp', HAN, { languages: ['ja'] }),
  sans('kr', ['Hang', ...HAN], { languages: ['ko'] }),
  // Colour first; the monochrome face draws what the colour one lacks (never tofu).
  {
    id: 'noto-color-emoji',
    pkg: '@expo-google-fonts/noto-color-emoji',
    file: '{W}/NotoColorEmoji_{W}.ttf',
    weights: [400],
    scripts: ['Zsye'],
  },
  { id: 'noto-emoji', pkg: '@expo-google-fonts/noto-emoji', file: '{W}/NotoEmoji_{W}.ttf', weights: [300, 400, 500, 600, 700], scripts: ['Zsye'] },
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

/** The package's file for the nearest weight it has: `700Bold/NotoSansJP_700Bold.ttf`. */
export function familyFile(family: FontFamily, weight: number): { readonly path: string; readonly weight: number } {
  const w = [...family.weights].sort((a, b) => Math.abs(a - weight) - Math.abs(b - weight) || b - a)[0] ?? 400;
  const name = WEIGHT_NAMES[w] ?? '400Regular';
  return { path: family.file.replaceAll('{W}', name), weight: w };
}

/** How well a family's `languages` match a locale: 3 exact tag, 2 language and script or region, 1 language, 0 none. */
function languageMatch(family: FontFamily, locale: string): number {
  if (!family.languages) return 0;
  const tag = locale.replace(/_/g, '-').toLowerCase();
  const lang = tag.split('-')[0];
  let best = 0;
  for (const l of family.languages.map((x) => x.toLowerCase())) {
    if (l === tag) best = Math.max(best, 3);
    else if (l.includes('-') && tag.startsWith(`${l}-`)) best = Math.max(best, 2);
    else if (l === lang) best = Math.max(best, 1);
  }
  return best;
}

/**
 * The families that set `script` in `locale`, best first: those leading for the locale, then the
 * script's default, then the ones leading elsewhere (the Traditional Chinese face after the
 * Simplified one for a character only it has). For Han in a locale without Han of its own (a
 * Japanese brand name inside English copy) `hint` guesses the region from the text's kana or hangul.
 */
export function familiesFor(table: readonly FontFamily[], script: string, locale: string, hint: 'ja' | 'ko' | undefined): readonly FontFamily[] {
  const serving = table.filter((f) => f.scripts.includes(script));
  const rank = (f: FontFamily) => {
    const m = languageMatch(f, locale);
    if (m > 0) return 10 - m;
    if (!f.languages) return 10;
    return hint && languageMatch(f, hint) > 0 ? 11 : 12;
  };
  return serving.map((f, i) => ({ f, r: rank(f), i })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
}

/** The script a locale writes in, as ISO 15924 (from its tag, else CLDR's likely script). */
export function localeScript(locale: string): string | undefined {
  try {
    return new Intl.Locale(locale.replace(/_/g, '-')).maximize().script;
  } catch {
    return undefined;
  }
}
