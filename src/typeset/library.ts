import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { errorOf } from '../core/errors.js';
import { FONT_TABLE, familiesFor, familyFile, localeScript, type FontFamily } from './catalogue.js';
import { itemize, type FaceChains, type TextFonts } from './itemize.js';
import { createMeasurer, type FontFace, type Measurer } from './measure.js';
import { COMMON, EMOJI } from './scripts.js';
import { covers, fontCoverage, type CodeRanges } from './sfnt.js';

export type { FontFace };
export type { FaceRun, MissingChar, TextFonts } from './itemize.js';

/**
 * Brand fonts by where they apply: a locale tag (`ka-GE`) or language (`ka`), a script
 * (`Arab`, ISO 15924; `Zsye` for emoji) or `default`. Paths are relative to the project folder.
 * A brand font sets only the words it has every letter of: it never replaces the font of a
 * script it does not cover, and never mixes with another font inside a word.
 */
export type FontMap = Readonly<Record<string, string>>;

export interface FontLibrary {
  /**
   * The face of every part of `text` (words whole), and the characters no face has. Only the
   * files a word asks for are read, in order, so a Latin-only campaign never opens a CJK font.
   */
  fontsFor(text: string, locale: string, weight: number, fonts?: FontMap): TextFonts;
  /** Names of the files read so far (to check laziness). */
  loaded(): readonly string[];
  /** Line metrics through Skia, cached per run (see measure.ts). */
  readonly measurer: Measurer;
}

export interface LoadFontsOptions {
  /** Brand font paths are relative to this folder. Required when any brand font path is relative. */
  readonly projectRoot?: string;
  /** Brand fonts for every text that gives none of its own (a layer's own `fonts` replace them). */
  readonly fonts?: FontMap;
  /** More families (npm packages), tried before the built-in table for their scripts. */
  readonly families?: readonly FontFamily[];
}

const registered = new Set<string>();

export function loadFonts(options: LoadFontsOptions = {}): FontLibrary {
  const require = createRequire(import.meta.url);
  const table = [...(options.families ?? []), ...FONT_TABLE];
  const coverage = new Map<string, CodeRanges>();
  const faces = new Map<string, FontFace>();
  const packageRoots = new Map<string, string | null>();

  const face = (file: string, name: string, pkg?: string): FontFace => {
    let f = faces.get(file);
    if (!f) {
      f = { name, file, family: `pr-${createHash('sha256').update(file).digest('hex').slice(0, 12)}`, ...(pkg ? { pkg } : {}) };
      faces.set(file, f);
    }
    return f;
  };
  const rangesOf = (f: FontFace): CodeRanges => {
    let r = coverage.get(f.file);
    if (!r) {
      try {
        r = fontCoverage(readFileSync(f.file));
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
        throw errorOf('E_FONTS', { kind: 'unreadable', font: f.name, why }, { cause: err });
      }
      // Registered with the coverage read so that anything selected can be drawn. Skia's registry
      // is per process, and the family name is derived from the path: once per file is enough.
      if (!registered.has(f.file)) GlobalFonts.registerFromPath(f.file, f.family);
      registered.add(f.file);
      coverage.set(f.file, r);
    }
    return r;
  };
  /** The package's folder, or null when it is not installed (its script then reports the package to install). */
  const packageRoot = (pkg: string): string | null => {
    if (!packageRoots.has(pkg)) {
      let root: string | null = null;
      try {
        root = dirname(require.resolve(`${pkg}/package.json`));
      } catch {
        root = null;
      }
      packageRoots.set(pkg, root);
    }
    return packageRoots.get(pkg)!;
  };
  const familyFace = (family: FontFamily, weight: number): FontFace | undefined => {
    const root = packageRoot(family.pkg);
    if (root === null) return undefined;
    const { path } = familyFile(family, weight);
    return face(join(root, path), `${family.pkg}/${path}`, family.pkg);
  };
  const brandFace = (path: string): FontFace => {
    if (!isAbsolute(path) && !options.projectRoot) {
      throw errorOf('E_FONTS', { kind: 'relative', path });
    }
    const file = resolve(options.projectRoot ?? '/', path);
    return face(file, options.projectRoot && !isAbsolute(path) ? relative(options.projectRoot, file).split('\\').join('/') : path);
  };

  /** Faces for a script in a locale, brand first: the locale's, the language's, the script's, the default. */
  const chains = (locale: string, weight: number, fonts: FontMap): FaceChains => {
    const lang = locale.split(/[-_]/)[0] ?? '';
    const brand = (keys: readonly string[]) => [...new Set(keys.map((k) => fonts[k]).filter((p): p is string => typeof p === 'string'))].map(brandFace);
    const written = localeScript(locale);
    // CLDR names the writing systems of Japanese, Korean and Chinese; the table names scripts.
    const own = written === undefined ? undefined : ({ Jpan: 'Hani', Kore: 'Hang', Hans: 'Hani', Hant: 'Hani' } as Record<string, string>)[written] ?? written;
    const pseudo = /-x[a-z]$/i.test(locale);
    return {
      forScript(script, hint) {
        const keys = script === COMMON ? [locale, lang, ...(own && !pseudo ? [own] : []), 'default'] : [locale, lang, script, 'default'];
        // Emoji take no text font: a brand face with a digit would draw "1️⃣" as a plain 1.
        const brands = brand(script === EMOJI ? [EMOJI] : keys);
        const scripts = script === COMMON ? [...(own && !pseudo ? [own] : []), 'Latn'] : [script];
        const noto = scripts.flatMap((s) => familiesFor(table, s, locale, hint).map((f) => ({ f, face: familyFace(f, weight) })));
        return {
          faces: [...new Set([...brands, ...noto.flatMap((n) => (n.face ? [n.face] : []))])],
          uninstalled: noto.filter((n) => !n.face).map((n) => n.f.pkg),
        };
      },
      covers: (f, cp) => covers(rangesOf(f), cp),
    };
  };

  // Validate fits the same strings into many boxes: itemize once per string.
  const itemized = new Map<string, TextFonts>();
  return {
    fontsFor(text, locale, weight, fonts = options.fonts ?? {}) {
      const key = JSON.stringify([text, locale, weight, fonts]);
      const cached = itemized.get(key);
      if (cached) return cached;
      if (itemized.size > 10_000) itemized.clear();
      const result = itemize(text, locale, chains(locale, weight, fonts));
      itemized.set(key, result);
      return result;
    },
    loaded: () => [...coverage.keys()].map((file) => faces.get(file)!.name),
    measurer: createMeasurer(),
  };
}
