import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { PressroomError } from '../core/errors.js';
import { familiesFor, localeFamily, notoFile, type NotoFamily } from './catalogue.js';
import { createMeasurer, type FontFace, type Measurer } from './measure.js';
import { covers, fontCoverage, type CodeRanges } from './sfnt.js';

export type { FontFace };

export interface MissingChar {
  readonly char: string;
  /** `U+0E01`. */
  readonly codePoint: string;
}

export interface FontSelection {
  /** In the order Skia must try them: the first face with a glyph for a character draws it. */
  readonly faces: readonly FontFace[];
  readonly missing: readonly MissingChar[];
}

export interface FontLibrary {
  /**
   * The faces text needs, brand fonts first, then Noto per script (Han by the locale's region).
   * Only the files a character asks for are read, in order, so a Latin-only campaign never opens
   * a CJK font.
   */
  select(text: string, locale: string, weight: number, brandFonts?: readonly string[]): FontSelection;
  /** Names of the files read so far (to check laziness). */
  loaded(): readonly string[];
  /** Line metrics through Skia, cached per line (see measure.ts). */
  readonly measurer: Measurer;
}

export interface LoadFontsOptions {
  /** Brand font paths are relative to this folder. Required when any brand font path is relative. */
  readonly projectRoot?: string;
  /** Default brand fonts for every text (a layer's own `fonts` replace them). */
  readonly brandFonts?: readonly string[];
}

/** Characters that draw nothing and need no glyph: spaces, controls, bidi and joiner marks, variation selectors. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\uFE00-\uFE0F]/u;

const registered = new Set<string>();

export function loadFonts(options: LoadFontsOptions = {}): FontLibrary {
  const require = createRequire(import.meta.url);
  const coverage = new Map<string, CodeRanges>();
  const faces = new Map<string, FontFace>();

  const face = (file: string, name: string): FontFace => {
    let f = faces.get(file);
    if (!f) {
      f = { name, file, family: `pr-${createHash('sha256').update(file).digest('hex').slice(0, 12)}` };
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
        throw new PressroomError('E_FONTS', `cannot read font ${f.name}: ${why}`, { cause: err });
      }
      // Registered with the coverage read so that anything selected can be drawn. Skia's registry
      // is per process, and the family name is derived from the path: once per file is enough.
      if (!registered.has(f.file)) GlobalFonts.registerFromPath(f.file, f.family);
      registered.add(f.file);
      coverage.set(f.file, r);
    }
    return r;
  };
  const notoFace = (family: NotoFamily, weight: number): FontFace => {
    let root: string;
    try {
      root = dirname(require.resolve(`${family.pkg}/package.json`));
    } catch (err) {
      throw new PressroomError('E_FONTS', `font package ${family.pkg} is not installed (run npm install)`, { cause: err });
    }
    const { path } = notoFile(family, weight);
    return face(join(root, path), `${family.pkg}/${path}`);
  };
  const brandFace = (path: string): FontFace => {
    if (!isAbsolute(path) && !options.projectRoot) {
      throw new PressroomError('E_FONTS', `brand font ${path} is relative but no project folder was given`);
    }
    const file = resolve(options.projectRoot ?? '/', path);
    return face(file, options.projectRoot && !isAbsolute(path) ? relative(options.projectRoot, file).split('\\').join('/') : path);
  };

  // Validate fits the same strings into many boxes: select once per string.
  const selections = new Map<string, FontSelection>();
  return {
    select(text, locale, weight, brandFonts = options.brandFonts ?? []) {
      const key = JSON.stringify([text, locale, weight, brandFonts]);
      const cached = selections.get(key);
      if (cached) return cached;
      if (selections.size > 10_000) selections.clear();
      const brands = brandFonts.map(brandFace);
      const chosen: FontFace[] = [...brands, notoFace(localeFamily(locale, text), weight)];
      const missing: MissingChar[] = [];
      const seen = new Set<number>();
      for (const char of text) {
        const cp = char.codePointAt(0)!;
        if (seen.has(cp) || INVISIBLE.test(char)) continue;
        seen.add(cp);
        if (chosen.some((f) => covers(rangesOf(f), cp))) continue;
        const next = familiesFor(char, locale, text)
          .map((fam) => notoFace(fam, weight))
          .find((f) => !chosen.includes(f) && covers(rangesOf(f), cp));
        if (next) chosen.push(next);
        else missing.push({ char, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` });
      }
      // Only faces that draw something (the first in order to have a character) are the text's fonts.
      const drawing = new Set(
        [...seen].map((cp) => chosen.find((f) => covers(rangesOf(f), cp))).filter((f): f is FontFace => f !== undefined),
      );
      const used = chosen.filter((f) => drawing.has(f));
      if (used.length === 0) used.push(chosen[brands.length]!);
      const selection = { faces: used, missing };
      selections.set(key, selection);
      return selection;
    },
    loaded: () => [...coverage.keys()].map((file) => faces.get(file)!.name),
    measurer: createMeasurer(),
  };
}
