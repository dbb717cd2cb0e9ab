import type { CropFocus, OutputFormat } from '../core/campaign.js';
import { canonicalJson, sha256Hex } from '../core/hash.js';
import type { PlacedAny } from '../core/layers.js';

/**
 * The delivered file's recipe: everything that makes it from its generated image. Layers (their
 * specs, texts and image files by sha256), the byte cap and the crop focus are part of it, not of
 * the generation key: a copy edit or a new logo is drawn again over the cached background.
 */

/** Bump when derivation (resize, crop, encode, colour) changes, so every delivered file is re-derived. 2: sRGB profile, byte caps, AVIF. */
export const POST_VERSION = 2;
/** Bump when typesetting changes what is drawn, so every typeset asset is redrawn. 3: no filler hyphens, lines balanced between words only. */
export const TYPESET_VERSION = 3;

/** How a delivered file is cut from its image and encoded: the part of a recipe that is not layers. */
export interface CutSettings {
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  /** 1-100; for PNG read only under a byte cap. */
  readonly quality: number;
  /** The file's byte cap: the encoder searches quality (PNG: palettes) to fit, or the target fails (E_BYTE_CAP). */
  readonly maxBytes?: number | undefined;
  /** The point of the source every crop keeps, or sharp's attention strategy; default the centre. */
  readonly focus?: CropFocus | undefined;
}

export interface RecipeInput extends CutSettings {
  readonly generationKey: string;
  readonly layers?: readonly PlacedAny[];
}

export function deliveryRecipe(input: RecipeInput): string {
  const { layers, maxBytes, focus, ...rest } = input;
  if ((!layers || layers.length === 0) && maxBytes === undefined && focus === undefined) return sha256Hex(plainRecipeJson(rest)).slice(0, 32);
  const extra = { ...(maxBytes !== undefined ? { maxBytes } : {}), ...(focus !== undefined ? { focus } : {}) };
  return sha256Hex(canonicalJson({ v: POST_VERSION, ...rest, ...extra, typeset: TYPESET_VERSION, layers: layers ?? [] })).slice(0, 32);
}

/**
 * canonicalJson of a recipe without layers, written out: a cached rebuild computes one per
 * delivered file, and these six fields in their sorted order are all there is to it.
 */
function plainRecipeJson(r: { generationKey: string; width: number; height: number; format: OutputFormat; quality: number }): string {
  const j = JSON.stringify;
  return `{"format":${j(r.format)},"generationKey":${j(r.generationKey)},"height":${j(r.height)},"quality":${j(r.quality)},"v":${POST_VERSION},"width":${j(r.width)}}`;
}

export function extensionOf(format: OutputFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

/** `<locale>/<variant>-<size>.<ext>`, relative to out/<campaign>. */
export function assetPath(locale: string, variant: string, size: string, format: OutputFormat): string {
  return `${locale}/${variant}-${size}.${extensionOf(format)}`;
}
