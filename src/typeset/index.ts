/**
 * Typesetting engine: exact copy in every script, set into generated images. It draws every text
 * Pressroom puts in pixels (copy layers, sheet captions, local proofs, failed tiles, diff labels).
 *
 * Engine: Skia through @napi-rs/canvas (prebuilt binary from npm, no system libraries), with our
 * own line breaking. Measured on this machine against Pango through sharp's text input:
 * - both shape Arabic, Hebrew, Devanagari, Bengali, Tamil, Thai, Lao, Khmer, Ethiopic, CJK and
 *   Hangul correctly; Skia lays out bidi runs right (digits and Latin inside RTL) and aligns RTL
 *   to the right; it falls back glyph by glyph along the family list we give it;
 * - Skia reads TTF, OTF, WOFF and WOFF2 directly (Pango showed tofu for WOFF), so a brand font in
 *   any of these works and nothing is converted or cached;
 * - Skia needs no fontconfig file (Pango needed FONTCONFIG_FILE set process-wide): fonts are
 *   registered per file under a unique family name, lazily, only when a text needs them (Skia's
 *   font registry is per process; registering is additive and never changes another family);
 * - `measureText` gives advances and ink bounds without drawing, and they scale linearly with the
 *   size, so copy-fit checks shape each distinct line once and never render: fast enough for the
 *   thousands of fits of a validate run. Pango needs a render per measurement.
 * - Skia has no paragraph wrapping through the canvas API: line breaking is ours (breaks.ts):
 *   Intl.Segmenter word boundaries (ICU dictionaries for Thai, Lao, Khmer), CJK per character with
 *   kinsoku rules. That is also what makes fit results exact: the lines we measure are the lines
 *   we draw.
 * Measured here (2 shared cores): a copy-fit check 0.2-0.5 ms (1000 fits of 8 scripts' headlines
 * into 125 boxes; Pango: ~4 ms per size tried, a render each, so ~30 ms a fit); one layer set into a 1080×1080 image ~20-30 ms; tesseract reads
 * back the headline of each of 18 locales (15 scripts) at similarity ≥ 0.79 (17 of 18 at ≥ 0.92).
 * Cost: @napi-rs/canvas adds 35 MB to node_modules, the eleven added Noto packages ~199 MB (the
 * CJK ones ship nine weights each; only the files a text needs are ever read).
 *
 * Data in, data out: every function takes plain values and a FontLibrary (a lazy, cached handle on
 * the font files) and returns plain values. Nothing here touches process.env or the working folder.
 *
 * API
 * - loadFonts({ projectRoot?, brandFonts? }) → FontLibrary. Noto fonts come from npm packages,
 *   one per script; a file is read the first time a character needs it. Per text the faces are:
 *   brand fonts, the locale's own script font (digits, punctuation and Latin take its design when
 *   it has them), then Noto per script of the remaining characters (Han by region: zh-TW → TC,
 *   zh-HK → HK, zh-CN/SG → SC, ja → JP, ko → KR); each character drawn by the first that has it.
 * - coverage(text, locale, fonts, brandFonts?, weight = 700) → { missing: [{ char, codePoint }] }: characters
 *   no configured font has ("th-TH headline: U+0E01 'ก' has no font").
 * - fitText({ text, locale, direction, box: {width, height}, style: { fonts?, weight, size: {min, max},
 *   lineHeight, maxLines } }, fonts) → { fits, size, lines, needLines, maxLines, holdsLines, reason?,
 *   fontFiles, missing }: the largest size that fits, measured, not rendered.
 * - describeFit(label, box, result) → the copy-fit message, or undefined when it fits;
 *   describeMissing(label, missing) → the coverage message.
 * - typeset(image (encoded Buffer or raw {data, width, height, channels}), layers, fonts,
 *   { output: 'png' | 'raw' }) → { image, width, height, layers: [{ field, text, fontFiles, size,
 *   lines, box, ink, contrast: { ratio, before, treatment } }] }. Throws PressroomError E_COPYFIT,
 *   E_COVERAGE or E_LAYOUT for a layer that cannot be set exactly (validate says so first).
 *   `background: auto` measures the WCAG ratio over the text lines (10th percentile of pixels) and
 *   adds the lightest black or white scrim that reaches 4.5:1 (a plate when it must be opaque).
 * - renderLabel(text, locale, px, colour, maxWidth, fonts) → straight-alpha RGBA of one line.
 * - renderBlock(text, locale, px, colour, maxWidth, fonts, { maxLines, align }) → a wrapped
 *   paragraph at one size, cut with an ellipsis rather than refused (proofs, failed tiles).
 * - mirrorBox(box, imageWidth), boxForLocale(box, imageWidth, locale, mirror = true) (mirrored in RTL
 *   locales), directionOf(locale) (layers and fits default to it), pseudoLocale('en-XA' | 'ar-XB', strings),
 *   pseudoText(kind, text).
 * Errors: PressroomError with code E_FONTS (package missing, brand font unreadable), E_COLOUR,
 * E_COPYFIT, E_COVERAGE, E_LAYOUT.
 *
 * Usage (validate, then post):
 *   const fonts = loadFonts({ projectRoot: campaignDir });            // once per process or campaign
 *   const fit = fitText({ text, locale, box: { width, height }, style }, fonts);
 *   const problem = describeMissing(`${locale} headline`, fit.missing)
 *     ?? describeFit(`${locale} headline`, `${size.id} ${size.width}×${size.height}`, fit);
 *   const box = boxForLocale(boxPx, size.width, locale, layer.mirror ?? true);
 *   const { image, layers } = await typeset(png, [{ field: 'headline', text, locale, box, style }], fonts);
 */
import { DEFAULT_WEIGHT } from './fit.js';
import type { FontLibrary, MissingChar } from './library.js';

export { loadFonts } from './library.js';
export type { FontLibrary, FontFace, FontSelection, LoadFontsOptions, MissingChar } from './library.js';
export { describeFit, describeMissing, fitText } from './fit.js';
export type { FitResult, FitSpec, FitStyle } from './fit.js';
export { typeset } from './render.js';
export type { LayerContrast, LayerSpec, LayerStyle, RawImage, TypesetLayer, TypesetResult } from './render.js';
export { renderBlock, renderLabel } from './label.js';
export type { BlockOptions, Label, LabelOptions } from './label.js';
export { boxForLocale, directionOf, mirrorBox, pseudoLocale, pseudoText, PSEUDO_LOCALES } from './locale.js';
export type { PseudoLocale } from './locale.js';
export { contrastRatio, luminance, MIN_CONTRAST } from './contrast.js';
export type { Rect } from './contrast.js';
export type { Direction } from './measure.js';

/**
 * Characters of `text` that neither the brand fonts nor any Noto font can draw. Reads cmaps only.
 * Pass the layer's weight (default 700, as layers) so the files read here are the ones fits use.
 */
export function coverage(
  text: string,
  locale: string,
  fonts: FontLibrary,
  brandFonts?: readonly string[],
  weight = DEFAULT_WEIGHT,
): { missing: readonly MissingChar[] } {
  return { missing: fonts.select(text, locale, weight, brandFonts).missing };
}
