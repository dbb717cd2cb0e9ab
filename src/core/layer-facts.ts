/**
 * The facts of problems with image and shape layers, text plates, channel presets and safe areas,
 * and their sentences (the catalogue's E_LAYER, E_PLATE_CONTRAST, E_PRESET and E_SAFE_AREA).
 */
import { isFile, mismatch, type Mismatch } from './input-facts.js';
import { didYouMean, fileSentence, type FileFacts } from './phrases.js';

/** What is wrong with an image or shape layer. */
export type LayerFacts =
  | { readonly kind: 'not-image'; readonly file: string; readonly format?: string }
  | { readonly kind: 'svg-unsafe'; readonly file: string; readonly found: string }
  | { readonly kind: 'no-dimensions'; readonly file: string }
  | { readonly kind: 'too-many-pixels'; readonly file: string; readonly width: number; readonly height: number; readonly limit: number }
  | { readonly kind: 'upscaled'; readonly file: string; readonly layer: string; readonly size: string; readonly width: number; readonly height: number; readonly drawnWidth: number; readonly drawnHeight: number }
  | { readonly kind: 'no-default'; readonly layer: string }
  | { readonly kind: 'duplicate-id'; readonly id: string; readonly first: string }
  | { readonly kind: 'unknown-layer'; readonly id: string; readonly ids: readonly string[]; readonly meant?: string }
  | { readonly kind: 'both-lists' }
  | { readonly kind: 'text-override'; readonly id: string }
  | { readonly kind: 'locale-key'; readonly layer: string; readonly key: string; readonly locales: readonly string[] }
  | FileFacts;

export function layer(f: LayerFacts): string {
  if (isFile(f)) return fileSentence(f);
  switch (f.kind) {
    case 'not-image':
      return `${f.file} is ${f.format ? `a ${f.format.toUpperCase()} image` : 'not an image'}; an image layer draws an SVG or a PNG`;
    case 'svg-unsafe':
      return `${f.file} has ${f.found}; a layer's SVG must be self-contained drawing (outline its text, embed images as data: URLs), so it looks the same on every machine and reads nothing else`;
    case 'no-dimensions':
      return `${f.file} declares no width and height (nor a viewBox); give the SVG a size`;
    case 'too-many-pixels':
      return `${f.file} declares ${f.width}×${f.height} pixels (${Math.round((f.width * f.height) / 1e6)} MP); Pressroom decodes at most ${Math.round(f.limit / 1e6)} MP`;
    case 'upscaled':
      return `${f.file} is ${f.width}×${f.height} pixels but layer ${f.layer} draws it at ${f.drawnWidth}×${f.drawnHeight} on ${f.size}: a bitmap is never scaled up (it would blur); use an SVG, a larger PNG, a smaller box, or upscale: true`;
    case 'no-default':
      return `layer ${f.layer} names files per locale but no \`default\`: every locale without its own file needs one`;
    case 'duplicate-id':
      return `layer id \`${f.id}\` is already used by ${f.first}; give each layer its own id`;
    case 'unknown-layer':
      return `no layer has id \`${f.id}\`${didYouMean(f.meant)}; expected one of ${f.ids.join(', ') || 'none'} (a text layer's id is its field)`;
    case 'text-override':
      return `\`${f.id}\` is a text layer: change it at this size under sizes[].text.${f.id} (sizes[].layers takes image and shape layers, or false)`;
    case 'locale-key':
      return `layer ${f.layer} names a file for \`${f.key}\`, which is neither a locale of this campaign nor the language of one (${f.locales.join(', ')}); expected default or one of them`;
    case 'both-lists':
      return 'the campaign has both `layers` and `text.layers`; put every layer in `layers` (text.layers is its older name)';
  }
}

/** A text layer's plate too close in luminance to the text set on it; `ratio` rounded to hundredths. */
export interface PlateContrastFacts {
  readonly layer: string;
  readonly text: string;
  readonly plate: string;
  readonly ratio: number;
  /** What WCAG AA asks of the text at the size it is set: 4.5, or 3 for large text. */
  readonly min: number;
}

export const plateContrast = (f: PlateContrastFacts) =>
  `layer ${f.layer}: text ${f.text} on its plate ${f.plate} has a contrast of ${f.ratio.toFixed(2)}:1, under the ${f.min}:1 WCAG AA asks of text set at its size; darken or lighten one of them, or set the text larger`;

/** A size's preset and what it allows. */
export type PresetFacts =
  | Mismatch
  /** `by`: `preset display-300x250`, or `its formats list`. */
  | { readonly kind: 'format'; readonly size: string; readonly by: string; readonly format: string; readonly formats: readonly string[]; readonly from: string };

export function preset(f: PresetFacts): string {
  switch (f.kind) {
    case 'format':
      return `size ${f.size} delivers ${f.format} (${f.from}), which ${f.by} does not take; it takes ${f.formats.join(', ')}`;
    default:
      return mismatch(f);
  }
}

/** A layer box entering a band of the frame the channel's app covers. */
export interface SafeAreaFacts {
  readonly size: string;
  readonly preset: string;
  readonly layer: string;
  readonly band: string;
  readonly covers: string;
  /** The band's edge, in words: `the top 14%`. */
  readonly extent: string;
}

export const safeArea = (f: SafeAreaFacts) =>
  `layer ${f.layer} on size ${f.size} enters the ${f.band} band of ${f.preset} (${f.extent}, covered by ${f.covers}); move its box out of the band`;
