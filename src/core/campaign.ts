/**
 * The campaign vocabulary every stage speaks: what a campaign is once loaded and checked.
 * Plain readonly data; this module imports only the rest of the vocabulary.
 */

import type { CampaignLayers, SafeArea } from './layers.js';
import type { CampaignText } from './text.js';

export const PROVIDER_NAMES = ['local', 'runninghub', 'runware', 'runcomfy'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const MODEL_IDS = ['seedream-4.0', 'seedream-4.5', 'seedream-5-lite'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A template or partial as read at load time. */
export interface TemplateSource {
  readonly file: string;
  readonly source: string;
}

/** A partial, used in templates as `{{> name}}` (`templates/partials/<name>.hbs`). */
export interface PartialSource extends TemplateSource {
  readonly name: string;
}

export type OutputFormat = 'png' | 'jpeg' | 'webp' | 'avif';

export interface OutputSettings {
  readonly format: OutputFormat;
  /** 1-100; for PNG only the byte-cap search reads it (palette quality). */
  readonly quality: number;
}

export interface DeliverySize {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** This size's format and quality (its own, its preset's, or the campaign's); absent: the campaign's `output`. */
  readonly output?: OutputSettings;
  /** The delivered file's byte cap: the encoder lowers quality (PNG: palette) to fit, or the cell fails. */
  readonly maxBytes?: number;
  /** The built-in preset this size came from (`display-300x250`). */
  readonly preset?: string;
  /** Bands the channel's UI covers: no text, logo or plate may enter them. */
  readonly safeAreas?: readonly SafeArea[];
}

/** A point of the generated image (fractions) every crop keeps in frame, or sharp's attention strategy. */
export type CropFocus = { readonly x: number; readonly y: number } | 'attention';

export interface Variant {
  readonly id: string;
  /** Every other field of the variant, passed to the template as is. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Where every crop of this variant's images is centred (default: the centre). Not part of the prompt. */
  readonly focus?: CropFocus;
}

export interface Locale {
  /** BCP 47 tag as written by the user, canonicalised (`de-DE`). */
  readonly tag: string;
  /** The locale's language in English, e.g. "German" (manifest/language-names.ts, from CLDR). */
  readonly language: string;
  readonly direction: 'ltr' | 'rtl';
  /** headline, copy and any other strings; headline is required. */
  readonly strings: Readonly<Record<string, unknown>>;
}

/** A reference image, resolved and read at load time so the cache key covers its bytes. */
export type Reference =
  | {
      readonly kind: 'file';
      readonly path: string; // absolute
      readonly sha256: string;
      readonly mime: 'image/png' | 'image/jpeg' | 'image/webp';
      readonly bytes: Uint8Array;
      readonly width: number;
      readonly height: number;
    }
  | { readonly kind: 'url'; readonly url: string };

/** Price per generated image in USD, keyed by model; overrides the provider's built-in table. */
export type PriceTable = Readonly<Partial<Record<ModelId, number>>>;

export interface ResolvedCampaign {
  readonly name: string;
  /** Absolute path of the campaign folder and of campaign.yaml. */
  readonly dir: string;
  readonly file: string;
  readonly provider: ProviderName;
  readonly model: ModelId;
  readonly template: TemplateSource;
  /** Absolute folder of partials (templates/partials of the project), may not exist. */
  readonly partialsDir: string;
  /** Every partial of partialsDir, read and checked at load time (rendering reads no files). */
  readonly partials: readonly PartialSource[];
  readonly seed?: number;
  /** Images per cell shown for review (candidate 0 is delivered); 1 when absent. */
  readonly candidates?: number;
  readonly references: readonly Reference[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly variants: readonly Variant[];
  readonly locales: readonly Locale[];
  readonly sizes: readonly DeliverySize[];
  /** The default of every size that sets no `output` of its own. */
  readonly output: OutputSettings;
  /** Extra provider request fields that change the image (part of the cache key). */
  readonly providerOptions: Readonly<Record<string, unknown>>;
  readonly prices?: PriceTable;
  /** Copy typeset over the generated background (text layers); absent: the prompt carries the text. */
  readonly text?: CampaignText;
  /** Every layer (text, image, shape) drawn over the background, per size, in order; absent when there are none. */
  readonly layers?: CampaignLayers;
  /** Handlebars source of each asset's alt text; absent: the headline and copy. */
  readonly alt?: string;
  /** USD per build: plan refuses an estimate above it, a build submits nothing once spend reaches it. */
  readonly budget?: number;
  /** Field path (`sizes[1].width`) -> where it is written, for errors raised by later stages. */
  readonly locations: Readonly<Record<string, SourceLocation>>;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** "9:16" for 1080x1920. */
export function aspectLabel(size: PixelSize): string {
  const g = gcd(size.width, size.height);
  return `${size.width / g}:${size.height / g}`;
}

/** The format and quality a size is delivered in. */
export function outputOf(campaign: Pick<ResolvedCampaign, 'output'>, size: DeliverySize): OutputSettings {
  return size.output ?? campaign.output;
}

export function orientation(size: PixelSize): 'portrait' | 'landscape' | 'square' {
  return size.width === size.height ? 'square' : size.width > size.height ? 'landscape' : 'portrait';
}
