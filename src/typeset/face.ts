/** The two types every part of the typesetter shares (a leaf module: it imports nothing). */

export type Direction = 'ltr' | 'rtl';

/** One font file as the engine uses it. */
export interface FontFace {
  /** What reports and manifests show: `@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf`, or the brand font's path as the campaign wrote it. */
  readonly name: string;
  /** Absolute path (never reported). */
  readonly file: string;
  /** Family name the file is registered under with Skia: unique per file, so nothing else can shadow it. */
  readonly family: string;
  /** The npm package it comes from, for Noto faces. */
  readonly pkg?: string;
}
