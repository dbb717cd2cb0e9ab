import type { DeliverySize, Locale, ModelId, PixelSize, ProviderName, Reference, Variant } from './campaign.js';

/**
 * The generation vocabulary: cells of the matrix, the requests made of a provider for them, and
 * what a provider hands back. Plain readonly data.
 */

/** One cell of variants x locales x sizes: one delivered asset. */
export interface Cell {
  readonly variant: Variant;
  readonly locale: Locale;
  readonly size: DeliverySize;
}

/** Comma-list filters from --variant, --locale, --size; empty means all. */
export interface MatrixFilter {
  readonly variants?: readonly string[];
  readonly locales?: readonly string[];
  readonly sizes?: readonly string[];
}

export interface PromptedCell extends Cell {
  readonly prompt: string;
  /** The asset's alt text (the campaign's `alt`, or its headline and copy). */
  readonly alt?: string;
}

/** Everything that determines the generated image; hashed into the cache key. */
/**
 * The version of the local provider's drawing, part of its generation keys: local proofs cost
 * nothing, so a proof drawn by an older renderer (Pango, which showed boxes for Thai or Ethiopic)
 * is simply made again. Bump when providers/local draws differently (3: headlines balanced between words only).
 */
export const LOCAL_PROOF_VERSION = 3;

export interface GenerationRequest {
  /** Cache key of this request; also the job's identity in the journal. */
  readonly key: string;
  readonly provider: ProviderName;
  readonly model: ModelId;
  readonly prompt: string;
  readonly size: PixelSize;
  readonly seed?: number;
  readonly references: readonly Reference[];
  readonly options: Readonly<Record<string, unknown>>;
  /** For the local provider's proof print and for logs; not part of the key. */
  readonly label: GenerationLabel;
}

export interface GenerationLabel {
  readonly campaign: string;
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  readonly headline: string;
  readonly copy: string;
  readonly direction: 'ltr' | 'rtl';
}

export interface GenerationResult {
  /** The image bytes as the provider returned them (never a URL: those expire). */
  readonly bytes: Uint8Array;
  /** Every candidate when several were asked for (Runware numberResults); `bytes` is the first. */
  readonly images?: readonly Uint8Array[];
  readonly taskId?: string;
  /** What the provider reports the task cost, in `currency`. */
  readonly cost?: number;
  /** `USD` where the provider documents its unit, `credits` where it does not. */
  readonly currency?: string;
  /** The seed the provider used: only from providers that take one (never echoed from the request). */
  readonly seed?: number;
}

/** What a previous, interrupted run recorded about this job (see run/journal.ts). */
export interface PriorAttempt {
  /** The provider's task id, if the submit was answered. */
  readonly taskId?: string;
  /** A client-chosen task id (Runware taskUUID) sent with the submit. */
  readonly clientTaskId?: string;
}

export type ProgressEvent =
  | { readonly kind: 'submitted'; readonly taskId: string }
  | { readonly kind: 'status'; readonly status: string; readonly queuePosition?: number }
  | { readonly kind: 'downloading' };

/** One provider call and the delivered assets cut from its image. */
export interface Generation {
  readonly key: string;
  readonly request: GenerationRequest;
  readonly cells: readonly PromptedCell[];
  /** Cache keys of the request's images after the first, when it asks for several (numberResults). */
  readonly extraImageKeys?: readonly string[];
}

/** What is known about a stored (cached) image without reading it. */
export interface ImageMeta {
  readonly key: string;
  readonly provider: ProviderName;
  readonly model: ModelId;
  /** Pixel size of the stored image: what the provider returned, not necessarily what was asked. */
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly taskId?: string;
  readonly cost?: number;
  readonly currency?: string;
  readonly seed?: number;
}

export interface StoredImage {
  readonly meta: ImageMeta;
  readonly bytes: Uint8Array;
}
