import { loadFonts, type FontLibrary } from '../typeset/index.js';

const libraries = new Map<string, FontLibrary>();

/** One font library per campaign folder (brand fonts are relative to it), kept for the process: fonts are read once. */
export function fontsFor(campaignDir: string): FontLibrary {
  let fonts = libraries.get(campaignDir);
  if (!fonts) libraries.set(campaignDir, (fonts = loadFonts({ projectRoot: campaignDir })));
  return fonts;
}

let noto: FontLibrary | undefined;

/** Noto alone, for labels (contact sheets, proofs): every script, no brand fonts. */
export function notoFonts(): FontLibrary {
  return (noto ??= loadFonts());
}
