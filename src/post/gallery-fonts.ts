import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../core/hash.js';
import { writeOutputFile } from '../fs/write-error.js';
import type { OutGuard } from './out-paths.js';
import { isFile, removeUnreferenced } from './review-files.js';
import { notoFonts } from '../compose/index.js';
import { FONTS_DIR } from './out-folders.js';

/**
 * The Noto faces a campaign's gallery needs to show its copy on any machine (a CI artifact viewer
 * with DejaVu alone draws Japanese or Khmer as boxes): the files that drew each locale's text
 * layers, else the faces the typesetter picks for its headline. One weight per script, the
 * regular (a CJK face is 5-10 MB; headlines are set bold by the browser from it), so prompts and
 * notes read as text, not as headlines. Copied once under out/<campaign>/fonts/, named by package version and file (so by content); only the
 * scripts the campaign uses. Brand fonts are never copied (their licence is the brand's): the
 * page falls back to system fonts for them.
 */

export { FONTS_DIR };

/** A Noto file as the typesetter names it: `@expo-google-fonts/<package>/<weight folder>/<file>.ttf`. */
const NOTO_NAME = /^(@expo-google-fonts\/(noto-[a-z]+(?:-[a-z]+)*))\/([1-9]00)[A-Za-z]+\/Noto[A-Za-z]*_[1-9]00[A-Za-z]+\.ttf$/;

export interface GalleryFontFace {
  /** CSS family: one per Noto package (script). */
  readonly family: string;
  readonly weight: number;
  /** Relative to out/<campaign>. */
  readonly file: string;
}

export interface GalleryFonts {
  readonly faces: readonly GalleryFontFace[];
  /** Locale tag -> its families in the typesetter's order (the locale's own script first). */
  readonly locales: ReadonlyMap<string, readonly string[]>;
}

/** What the gallery shows of one locale: the fonts its layers were drawn with, and its headline. */
export interface LocaleText {
  readonly tag: string;
  readonly layerFonts: readonly string[];
  readonly headline?: string;
}

const require = createRequire(import.meta.url);
const versions = new Map<string, string>();

/**
 * A face's file name under fonts/: a hash of its package, the package's version and the file's
 * path in it. A published npm version never changes, so the name stands for the content, as a hash
 * of the bytes would, without reading megabytes of CJK fonts on every build to find it.
 */
function nameOf(pkg: string, root: string, path: string): string {
  let version = versions.get(pkg);
  if (version === undefined) versions.set(pkg, (version = String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version)));
  return `${FONTS_DIR}/${sha256Hex(`${pkg}@${version}/${path}`).slice(0, 32)}.ttf`;
}

/** The same family's regular face, as the packages name it (`700Bold/NotoSansJP_700Bold.ttf` -> `400Regular/NotoSansJP_400Regular.ttf`). */
const regular = (name: string) => name.replace(/\/[1-9]00[A-Za-z]+\/(Noto[A-Za-z]*)_[1-9]00[A-Za-z]+\.ttf$/, '/400Regular/$1_400Regular.ttf');

/** The regular font files of each locale, Noto only, deduplicated in order. */
function namesOf(locale: LocaleText): string[] {
  const named = locale.layerFonts.filter((n) => NOTO_NAME.test(n)).map(regular);
  // No layers drew this locale (no text layers, or not built yet): the faces its headline needs, regular weight.
  const names = named.length > 0 ? named : locale.headline ? notoFonts().fontsFor(locale.headline, locale.tag, 400).faces.map((f) => f.name) : [];
  return [...new Set(names.filter((n) => NOTO_NAME.test(n)))];
}

/**
 * Copies the faces the locales need into out/<campaign>/fonts/ (unless a file of that content is
 * there) and removes the ones no locale needs any more. A face that cannot be found or written is
 * left out: the page falls back to system fonts for it.
 */
export async function writeGalleryFonts(guard: OutGuard, locales: readonly LocaleText[]): Promise<GalleryFonts> {
  // Family -> its one face (undefined: its file could not be copied).
  const faces = new Map<string, GalleryFontFace | undefined>();
  const families = new Map<string, string[]>();
  for (const locale of locales) {
    const list: string[] = [];
    for (const name of namesOf(locale)) {
      const family = familyOf(name);
      if (!faces.has(family)) faces.set(family, await copyFace(guard, name));
      if (faces.get(family) && !list.includes(family)) list.push(family);
    }
    if (list.length > 0) families.set(locale.tag, list);
  }
  const shipped = [...faces.values()].filter((f): f is GalleryFontFace => f !== undefined);
  await removeUnreferenced(guard, FONTS_DIR, new Set(shipped.map((f) => f.file)));
  return { faces: shipped, locales: families };
}

const familyOf = (name: string) => `pr-${NOTO_NAME.exec(name)![2]}`;

async function copyFace(guard: OutGuard, name: string): Promise<GalleryFontFace | undefined> {
  const [, pkg, , weight] = NOTO_NAME.exec(name)!;
  try {
    const root = dirname(require.resolve(`${pkg}/package.json`));
    const path = name.slice(pkg!.length + 1);
    const file = nameOf(pkg!, root, path);
    const target = await guard(file);
    if (!target) return undefined;
    if (!(await isFile(target))) await writeOutputFile(target, await readFile(join(root, path)));
    return { family: familyOf(name), weight: Number(weight), file };
  } catch {
    return undefined;
  }
}
