/**
 * Typesetting library: exact copy in every script, set into pixels. It draws every text Pressroom
 * puts in an image (copy layers, sheet captions, local proofs, failed tiles, diff labels). It
 * imports only src/core/: pixels come in and go out as raw RGBA (decoding and encoding are the
 * caller's), and nothing here reads process.env or the working folder.
 *
 * Engine: Skia through @napi-rs/canvas (prebuilt binary from npm), with our own paragraph layout:
 * - fonts (library.ts, itemize.ts, catalogue.ts): a data table of Noto packages per script (ISO
 *   15924), Urdu in Nastaliq, Han by region, colour emoji with a monochrome fallback; brand fonts
 *   per locale, language, script or `default`. Each word is drawn whole by one face that has all
 *   of it; every run names exactly one registered face, so Skia never falls back, least of all to
 *   a font of the machine. Files are read and registered lazily, the first time a word needs them.
 * - bidi (bidi.ts): UAX #9 over the whole paragraph, lines broken on the logical text, each line
 *   reordered into visual runs (L1, L2); brackets mirror in right-to-left runs.
 * - breaks (breaks.ts, hyphenate.ts, phrases.ts): spaces, dictionary words (Thai, Lao, Khmer,
 *   Myanmar), BudouX phrases for Japanese and Chinese, kinsoku, soft hyphens and dictionary
 *   hyphenation for words too long for a line, `keep` phrases never split, no short number alone.
 * - wrap and fit (wrap.ts, fit.ts, hierarchy.ts): the largest size that fits, lines balanced and
 *   without a lone last word, line advance from the lines' measured ink (no two lines' ink meet
 *   in any script), a headline never smaller than the copy beneath it.
 * - every measure and draw gives Skia the locale (`ctx.lang`): OpenType `locl` follows the
 *   locale (Serbian and Macedonian Cyrillic, Urdu digits), never the host's LANG.
 * - pixels (render.ts, contrast.ts): one luma histogram per layer decides its treatment (`auto`:
 *   the lightest scrim reaching 4.5:1, by bisection over its opacity) from its box and mirrored
 *   box, so every locale of an asset row gets the same one; Skia composites scrim and text over
 *   the rows they touch; a scrim never leaves its box.
 *
 * API
 * - loadFonts({ projectRoot?, fonts?, families? }) → FontLibrary (lazy, cached; once per campaign).
 * - fitText(spec, fonts) → FitResult: the largest size that fits, measured, not rendered.
 *   fitLayers([{ field, spec, minRatio? }], fonts) → FitResult[]: the layers of one asset together.
 * - fitFacts(label, box, result) / coverageFacts(label, missing): why copy cannot be set, as the
 *   error catalogue's facts (E_COPYFIT, E_COVERAGE), or undefined; describeFit / describeMissing
 *   give the catalogue's words for them.
 * - typeset(rgba, layers, fonts, { fits? }) → { image, layers }: draws into the RGBA pixels in place
 *   (a layer's `plate` is a button behind its text; `fits` from fitLayers over the asset's other text
 *   layers keep their hierarchy when layers are drawn in several runs). Throws
 *   PressroomError E_COPYFIT, E_COVERAGE or E_LAYOUT for a layer it cannot set exactly.
 * - chooseTreatment(rgba, regions, colour, background) → Treatment (what typeset decides per layer).
 * - renderLabel / renderBlock: one line with an ellipsis, or a paragraph cut with one, as
 *   straight-alpha RGBA (captions, proofs, failed tiles); never fails on long text.
 * - mirrorBox, boxForLocale, directionOf, pseudoLocale, pseudoText, isScriptCode.
 *
 * Usage (validate, then post):
 *   const fonts = loadFonts({ projectRoot: campaignDir, fonts: { Arab: 'brand/Arabic.otf' } });
 *   const [headline, copy] = fitLayers([{ field: 'headline', spec, minRatio: 1 }, { field: 'copy', spec: copySpec }], fonts);
 *   const problem = describeMissing('ar-SA headline', headline.missing) ?? describeFit('ar-SA headline', 'story 1080×1920', headline);
 *   const { layers } = typeset({ data, width, height, channels: 4 }, [{ field: 'headline', text, locale, box, style }], fonts);
 */
import { DEFAULT_WEIGHT } from './fit.js';
import type { FontLibrary, FontMap, MissingChar } from './library.js';

export { loadFonts } from './library.js';
export type { FaceRun, FontFace, FontLibrary, FontMap, LoadFontsOptions, MissingChar, TextFonts } from './library.js';
export type { FontFamily } from './catalogue.js';
export { FONT_TABLE } from './catalogue.js';
export { fitText, insetAt } from './fit.js';
export type { FitReason, FitResult, FitSpec, FitStyle, Layout } from './fit.js';
export { fitLayers } from './hierarchy.js';
export type { AssetLayerFit } from './hierarchy.js';
export { coverageFacts, describeFit, describeMissing, fitFacts } from './messages.js';
export { layerEntry, typeset } from './render.js';
export type { LayerSpec, LayerStyle, PlateSpec, TypesetLayer, TypesetResult } from './render.js';
export { renderBlock, renderLabel } from './label.js';
export type { BlockOptions, Label, LabelOptions } from './label.js';
export { boxForLocale, directionOf, mirrorBox, pseudoLocale, pseudoText, PSEUDO_LOCALES } from './locale.js';
export type { PseudoLocale } from './locale.js';
export { chooseTreatment, contrastRatio, luminance, MIN_CONTRAST, parseColour } from './contrast.js';
export type { RawImage, Rect, Treatment } from './contrast.js';
export type { Direction } from './measure.js';
export { isScriptCode } from './scripts.js';
export { typesetterIdentity } from './identity.js';

/**
 * Characters of `text` that no font (brand or Noto) can draw. Reads cmaps only. Pass the layer's
 * weight (default 700, as layers) so the files read here are the ones fits use.
 */
export function coverage(text: string, locale: string, fonts: FontLibrary, brandFonts?: FontMap, weight = DEFAULT_WEIGHT): { missing: readonly MissingChar[] } {
  return { missing: fonts.fontsFor(text, locale, weight, brandFonts).missing };
}
