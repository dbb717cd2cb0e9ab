/**
 * The text-layer vocabulary: copy typeset over a generated background, exactly as written, instead
 * of asking the image model to draw it. Plain readonly data, and the one rule every floor needs
 * about text: which way a locale is written. This module imports nothing of ours.
 */

/** Scripts written right to left (ISO 15924). */
const RTL_SCRIPTS = new Set(['Arab', 'Aran', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Mend', 'Yezi']);

const directions = new Map<string, 'ltr' | 'rtl'>();

/**
 * Writing direction of a locale, from its script: the one written in the tag (az-Arab), else the
 * language's likely one (CLDR: ar, fa, ur, he, yi, dv, and the pseudo-locale ar-XB are right to
 * left). A tag Intl cannot read is left to right. The manifest and the typesetter both ask this,
 * so a locale's layout and its layers never disagree.
 */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  let direction = directions.get(locale);
  if (direction) return direction;
  let script: string | undefined;
  try {
    script = new Intl.Locale(locale.replace(/_/g, '-')).maximize().script;
  } catch {
    script = undefined;
  }
  direction = script !== undefined && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  // Copy-fit checks ask once per fit, thousands of times; maximize() is not free.
  if (directions.size < 1000) directions.set(locale, direction);
  return direction;
}

/** A rectangle in fractions (0-1) of the delivered size. */
export interface FractionBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A rectangle in whole pixels of one delivered asset. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Logical alignment: `start` is the left edge in left-to-right text, the right edge in right-to-left. */
export type TextAlign = 'start' | 'center' | 'end';
export type TextVAlign = 'top' | 'middle' | 'bottom';

/** A font size bound: pixels, or a fraction of the box height (written as a number below 1). */
export type SizeBound = { readonly px: number } | { readonly fraction: number };

/** Brand font files by where they apply: `default`, a script (`Arab`) or a locale (`ka-GE`); relative to the campaign folder. */
export type FontMap = Readonly<Record<string, string>>;

export interface TextLayerStyle {
  /** Brand fonts (the campaign's, the layer's and the size's merged; `font:` is `default`); Noto covers every script they lack. */
  readonly fonts?: FontMap;
  /** Phrases never broken across lines. */
  readonly keep?: readonly string[];
  /** Dictionary hyphenation of words too long for a line. */
  readonly hyphenate: boolean;
  /** At least this many times the size of every later layer (the headline: 1 unless set). */
  readonly minRatio?: number;
  readonly weight: number;
  /** `#RRGGBB`. */
  readonly color: string;
  readonly align: TextAlign;
  readonly valign: TextVAlign;
  /** The largest size that fits between min and max is used; below min the copy is refused. */
  readonly size: { readonly min: SizeBound; readonly max: SizeBound };
  /** Line height as a multiple of the font size. */
  readonly lineHeight: number;
  readonly maxLines?: number;
  /** `auto`: a scrim only where the text would be illegible; `none`; or a plate of this `#RRGGBB`. */
  readonly background: string;
  /** Right-to-left locales mirror the box horizontally unless false. */
  readonly mirror: boolean;
  /** A button: a rounded rectangle behind the set text plus padding; contrast is measured against it. */
  readonly plate?: PlateStyle;
}

/** A text layer's plate (a call-to-action button). */
export interface PlateStyle {
  /** `#RRGGBB` or `#RRGGBBAA`. */
  readonly color: string;
  /** Corner radius: px, or a fraction of the plate's height (0.5: a pill). */
  readonly radius: SizeBound;
  /** Room around the set text, in times the font size. */
  readonly padding: { readonly x: number; readonly y: number };
}

/** One layer of one delivery size, per-size overrides applied. */
export interface TextLayer {
  /** Text is the layer kind without a key of its own in campaign.yaml (`field:`). */
  readonly kind?: 'text';
  /** The locale string this layer sets: headline, copy, cta or any other key. */
  readonly field: string;
  /** Index in the campaign's layer list (`layers[1]`, or `text.layers[1]`). */
  readonly index: number;
  readonly box: FractionBox;
  readonly style: TextLayerStyle;
}

export interface CampaignText {
  /** Fields every locale must have because a layer sets them, in layer order. */
  readonly fields: readonly string[];
  /** Delivery size id -> its layers (a size may switch a layer off). */
  readonly bySize: Readonly<Record<string, readonly TextLayer[]>>;
  /** The locale pseudo-locales (en-XA, ar-XB) are derived from. */
  readonly source: string;
  /** Field -> where its layer is written (`layers[2]`, `text.layers[0]`); absent in hand-made campaigns. */
  readonly paths?: Readonly<Record<string, string>>;
}

/** A layer placed on one asset with one locale's text: what delivery typesets and hashes. */
export interface PlacedLayer {
  readonly kind?: 'text';
  readonly field: string;
  readonly text: string;
  readonly locale: string;
  readonly direction: 'ltr' | 'rtl';
  /** Box in pixels of the delivered asset, mirrored for right-to-left where asked. */
  readonly box: PixelBox;
  /** Logical: the typesetter puts `start` on the right in right-to-left text. */
  readonly align: TextAlign;
  readonly valign: TextVAlign;
  readonly fonts?: FontMap;
  readonly keep?: readonly string[];
  readonly hyphenate: boolean;
  readonly minRatio?: number;
  readonly weight: number;
  readonly color: string;
  readonly background: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly lineHeight: number;
  readonly maxLines?: number;
  readonly plate?: PlateStyle;
  /**
   * Where `background: auto` reads the background: the box, and the mirrored box for a layer that
   * mirrors, so that every locale of an asset row gets one treatment.
   */
  readonly regions: readonly PixelBox[];
}

/**
 * What was typeset, per layer, as the manifest reports it: the projection of the typesetter's
 * `TypesetLayer` (typeset/render.ts), made by its one function `layerEntry`.
 */
export interface TypesetLayerEntry {
  readonly field: string;
  readonly text: string;
  /** The font files drawing it, in fallback order: package paths (`@expo-google-fonts/...`) or brand files relative to the campaign. */
  readonly fonts: readonly string[];
  /** Final font size in pixels. */
  readonly size: number;
  readonly lines: readonly string[];
  readonly box: PixelBox;
  /** WCAG contrast ratio of the text against what is behind it (scrim included). */
  readonly contrast: number;
  /** What `background` put behind the text: the same for every locale of a variant × size row. */
  readonly treatment?: 'none' | 'scrim' | 'plate';
  /** The button drawn behind it (a layer's `plate`), in pixels. */
  readonly plate?: PixelBox;
}
