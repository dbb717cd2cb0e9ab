import { readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { problem, type FactsOf, type Problem } from '../core/errors.js';
import { directionOf } from '../core/text.js';
import { LANGUAGE_NAMES, REGION_NAMES, VARIETY_NAMES } from './language-names.js';
import { MAX_YAML_BYTES, checkProjectFolder, readProjectText } from './project-file.js';
import { isMapping, issuesToFindings } from './issues.js';
import { RESERVED_NAMES, localeStringsSchema } from './schema.js';
import { parseYaml, placeFindings, problemAt, type PathSegment, type YamlSource } from './source.js';

/**
 * The language of `locale` in English, with the region or script where CLDR names the variety:
 * "Brazilian Portuguese", "Traditional Chinese", "Traditional Chinese (Hong Kong)", but "German"
 * for de-DE. zh-TW and zh-CN must not both reach the model (or a reviewer) as "Chinese". The names
 * come from a table (language-names.ts), not from this Node's ICU: they are part of every prompt.
 */
export function languageName(locale: Intl.Locale): string | undefined {
  const plain = LANGUAGE_NAMES[locale.language];
  if (!plain) return undefined;
  const full = locale.maximize();
  const dialect = locale.region ? VARIETY_NAMES[`${locale.language}-${locale.region}`] : undefined;
  if (dialect) return dialect;
  const scripted = full.script ? VARIETY_NAMES[`${locale.language}-${full.script}`] : undefined;
  if (!scripted) return plain;
  // The script's home region needs no mention; another one does (zh-HK is not zh-TW).
  const home = new Intl.Locale(`${locale.language}-${full.script}`).maximize().region;
  const region = full.region && full.region !== home ? REGION_NAMES[full.region] : undefined;
  return region ? `${scripted} (${region})` : scripted;
}

export const MAX_LOCALE_TAG = 35;

export interface LocaleTag {
  /** Canonical form: `de-de` is accepted and becomes `de-DE`. */
  readonly tag: string;
  /** English name of the language ("German", "Traditional Chinese"); the template tells the model which language to set. */
  readonly language: string;
  readonly direction: 'ltr' | 'rtl';
}

/** The canonical tag with its language name and direction, or why the tag is not usable. */
export function parseLocaleTag(raw: string): LocaleTag | { readonly problem: FactsOf<'E_LOCALE'> } {
  // Tags name output files; BCP 47 practice (RFC 5646 4.4.1) keeps them to 35 characters.
  if (raw.length > MAX_LOCALE_TAG) return { problem: { kind: 'tag-too-long', tag: raw, max: MAX_LOCALE_TAG } };
  let tag: string | undefined;
  try {
    tag = Intl.getCanonicalLocales(raw)[0];
  } catch {
    tag = undefined;
  }
  if (!tag) return { problem: { kind: 'not-bcp47', tag: raw } };
  const locale = new Intl.Locale(tag);
  let language: string | undefined;
  try {
    language = languageName(locale);
  } catch {
    language = undefined;
  }
  // Syntactically valid tags like `english` or `xx` name no language the model could write in.
  if (!language || locale.language.length > 3) return { problem: { kind: 'no-language', tag: raw } };
  return { tag, language, direction: directionOf(tag) };
}

/** One locale's strings as written, with the file they came from (for locating problems). */
export interface LocaleEntry {
  /** The tag as written (mapping key or file name). */
  readonly written: string;
  readonly strings: unknown;
  readonly source: YamlSource;
  /** Path of the strings within `source`: `['locales', tag]` inline, `[]` in a locale file. */
  readonly base: readonly PathSegment[];
}

export interface LocaleFolder {
  readonly entries: readonly LocaleEntry[];
  readonly problems: readonly Problem[];
}

/**
 * The `locales: <folder>` form: one `<tag>.yaml` per locale. Problems inside a file are located in
 * that file; `at` is where the folder is named in campaign.yaml.
 */
export async function readLocaleFolder(folder: string, campaignDir: string, at: YamlSource, projectRoot: string): Promise<LocaleFolder> {
  const dir = resolve(campaignDir, folder);
  const inside = await checkProjectFolder(dir, projectRoot);
  if (inside !== 'ok' && inside.refused !== 'missing') return { entries: [], problems: [problemAt(at, 'E_PATH', { what: 'locale folder', shown: folder, ...inside }, ['locales'])] };
  const listed = inside === 'ok' ? await readdir(dir).catch(() => undefined) : undefined;
  if (!listed) return { entries: [], problems: [problemAt(at, 'E_LOCALE', { kind: 'folder-missing', folder }, ['locales'])] };
  const names = listed.filter((n) => /\.ya?ml$/i.test(n)).sort();
  if (names.length === 0) return { entries: [], problems: [problemAt(at, 'E_LOCALE', { kind: 'folder-empty', folder }, ['locales'])] };
  const entries: LocaleEntry[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const written = basename(name, extname(name));
    const prefix = ['locales', written];
    const read = await readProjectText(file, projectRoot, { maxBytes: MAX_YAML_BYTES, shown: name, what: 'locale file' });
    if ('problem' in read) {
      problems.push(problem(read.code ?? 'E_LOCALE', read.facts, { file, line: read.line ?? 1, col: read.col ?? 1, path: `locales.${written}` }));
      continue;
    }
    const parsed = parseYaml(file, read.text, prefix);
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) continue;
    const result = localeStringsSchema.safeParse(parsed.data);
    if (!result.success) problems.push(...placeFindings(parsed.source, issuesToFindings(result.error.issues, parsed.data, localeStringsSchema, prefix)));
    problems.push(...reservedStringNames(parsed.data, parsed.source, []));
    entries.push({ written, strings: parsed.data, source: parsed.source, base: [] });
  }
  return { entries, problems };
}

export interface TaggedEntry {
  readonly entry: LocaleEntry;
  readonly tag: LocaleTag;
}

/** Checks every tag and that no two name the same locale once canonical (`de-de` and `de-DE`). */
export function checkLocaleTags(entries: readonly LocaleEntry[]): { tagged: TaggedEntry[]; problems: Problem[] } {
  const tagged: TaggedEntry[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const parsed = parseLocaleTag(entry.written);
    if ('problem' in parsed) {
      problems.push(problemAt(entry.source, 'E_LOCALE', parsed.problem, entry.base, 'key'));
      continue;
    }
    const first = seen.get(parsed.tag);
    if (first !== undefined) {
      problems.push(problemAt(entry.source, 'E_LOCALE', { kind: 'same-locale', tag: entry.written, first, canonical: parsed.tag }, entry.base, 'key'));
      continue;
    }
    seen.set(parsed.tag, entry.written);
    tagged.push({ entry, tag: parsed });
  }
  return { tagged, problems };
}

/** Reserved names used as locale string keys, located in `source` under `path`. */
export function reservedStringNames(strings: unknown, source: YamlSource, path: readonly (string | number)[]): Problem[] {
  if (!isMapping(strings)) return [];
  return Object.keys(strings)
    .filter((k) => (RESERVED_NAMES as readonly string[]).includes(k))
    .map((k) => problemAt(source, 'E_RESERVED_NAME', { name: k, reserved: RESERVED_NAMES }, [...path, k], 'key'));
}
