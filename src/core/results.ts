import type { OutputFormat } from './campaign.js';
import type { ErrorCode } from './errors-data.js';
import type { ImageMeta } from './generation.js';
import type { DrawnImageEntry } from './layers.js';
import type { TypesetLayerEntry } from './text.js';

/**
 * What a build produces and reports: delivered assets, failures as data, per-campaign results.
 * Plain readonly data, shared by post (delivery), report (manifest, summary) and the CLI.
 */

/** A job failure as data: what the manifest and the summary report. */
export interface JobFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly provider: string;
  readonly category?: string;
  readonly providerCode?: string;
  readonly taskId?: string;
}

export interface AssetEntry {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  /** Relative to the campaign's out folder, always with forward slashes. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  readonly bytes: number;
  readonly sha256: string;
  readonly prompt: string;
  readonly provider: string;
  readonly model: string;
  readonly generation: {
    readonly key: string;
    readonly width: number;
    readonly height: number;
    readonly seed: number | null;
    readonly taskId?: string;
  };
  /** USD of the generation this asset was cut from (shared generations repeat it; see totalCost). */
  readonly cost?: number;
  /** Text typeset over the background (`generation.key`), per layer. */
  readonly layers?: readonly TypesetLayerEntry[];
  /** Image layers (a logo) drawn over it: the file, its sha256 and where its pixels went. */
  readonly images?: readonly DrawnImageEntry[];
  /** What the picture shows, for screen readers and ad servers: the campaign's `alt`, or its headline and copy. */
  readonly alt?: string;
  /** The unit of `cost` when the provider reported it: `USD`, or `credits` where it is undocumented. */
  readonly currency?: string;
  /** Hash of everything that produced this file from the generated image: the in-place check. */
  readonly recipe: string;
  /** The other images of this cell shown for review (`candidates: N`), candidate 1 first. */
  readonly candidates?: readonly CandidateEntry[];
}

/** Candidate `pick` of a cell: an image generated for review, not delivered until approved. */
export interface CandidateEntry {
  readonly pick: number;
  /** Cache key of the image. */
  readonly key: string;
  /** sha256 of the generated image (what the cache holds). */
  readonly sha256: string;
  /** How many candidates were made of the cell (its key depends on it where one request made them all). */
  readonly of: number;
  /** Full-size WebP and thumbnail, relative to out/<campaign>. */
  readonly file: string;
  readonly thumb: string;
}

export interface FailureEntry {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly provider: string;
    readonly providerCode?: string;
    readonly taskId?: string;
  };
}

export interface SheetPage {
  readonly file: string;
  readonly sha256: string;
}

export interface CampaignManifest {
  readonly campaign: string;
  readonly provider: string;
  readonly model: string;
  readonly assets: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
  readonly contactSheet: { readonly recipe: string; readonly pages: readonly SheetPage[] };
  /** USD, each generation counted once; null when a provider did not say what it billed. */
  readonly totalCost?: number | null;
  /** Of totalCost, what the review candidates cost (each paid request counted once). */
  readonly candidatesCost?: number;
  /** Set when the build stopped submitting because spend reached a budget. */
  readonly stopped?: { readonly reason: 'budget'; readonly limit: number; readonly spent: number };
}

/** How one generation ended, for progress and summary. `in-place`: its files were already delivered. */
export type GenerationKind = 'generated' | 'cached' | 'in-place' | 'failed';

/** Per generation: what ended up where. */
export interface DeliveredGeneration {
  readonly kind: GenerationKind;
  readonly entries: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
  readonly possibleDuplicate: boolean;
}

export interface BuildResult {
  readonly campaigns: readonly CampaignResult[];
  /** The provider error that stopped the build early (auth, balance). */
  readonly fatal?: JobFailure;
  /** Spend reached --max-cost or a campaign's budget: nothing new was submitted after. */
  readonly stoppedOnBudget?: boolean;
}

export interface CampaignResult {
  readonly name: string;
  readonly assets: number;
  readonly generated: number;
  readonly cached: number;
  readonly failed: number;
  readonly manifest: string;
  readonly failures: readonly FailureEntry[];
  /** Generations resubmitted after a lost submit answer on a provider without client ids. */
  readonly possibleDuplicates: number;
  readonly cost: number;
  /** Counted in generations (one image may serve several cells): paid for, from the cache or out/, failed. */
  readonly generations?: { readonly billed: number; readonly cached: number; readonly failed: number };
  /**
   * The campaign's cells, each counted once: delivered from an image generated now (`new`), written
   * again from a cached image (`recomposed`: a copy, layout or format edit re-typeset or re-cut, or a
   * missing file), already delivered as it is (`unchanged`), `failed`; and the cells this build did
   * not build (`leftOut`: a --variant/--locale/--size filter or another --shard).
   */
  readonly delivered?: { readonly new: number; readonly recomposed: number; readonly unchanged: number; readonly failed: number; readonly leftOut: number };
  /** Review candidates (images, not cells): generated now, read from the cache, asked for but not obtained. */
  readonly candidates?: { readonly made: number; readonly cached: number; readonly failed: number };
  /** The contact sheet or manifest that could not be written (disk full, I/O error): exit 1. */
  readonly writeErrors?: readonly JobFailure[];
}

export interface CampaignPlan {
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly assets: number;
  readonly generations: number;
  readonly cached: number;
  readonly toGenerate: number;
  /** USD per image used for the estimate, and where it came from; null when no table knows it. */
  readonly price: number | null;
  readonly priceSource: 'campaign' | 'provider' | 'unknown';
  /** USD; null when generations are due at an unknown price. */
  readonly estimatedCost: number | null;
  /** The campaign's own `budget:` in USD. */
  readonly budget?: number;
  /** With --check: delivered assets of the filtered matrix that are missing or stale in out/. */
  readonly outdated?: number;
  /** The requests a build would send (not cached), candidates included, in matrix order. */
  readonly requests?: readonly PlannedGeneration[];
  /** With --check or --json: the delivered files that are missing or stale, in matrix order. */
  readonly outdatedAssets?: readonly PlannedDelivery[];
}

/** A plan before its price is known: what a build would do with a campaign, counted (the cost rule prices it in report/). */
export type PlannedCampaign = Omit<CampaignPlan, 'price' | 'priceSource' | 'estimatedCost' | 'requests' | 'outdated' | 'outdatedAssets'> & {
  readonly requests: readonly Omit<PlannedGeneration, 'estimatedCost'>[];
};

export interface CellId {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
}

/** One request a build would send: its cache key, the cells it serves, what it would cost. */
export interface PlannedGeneration {
  readonly key: string;
  readonly cells: readonly CellId[];
  /** Images the request bills (numberResults asks for several). */
  readonly images: number;
  /** USD; null when the price is unknown. */
  readonly estimatedCost: number | null;
  /** A review candidate's request (`candidates: N`), not the delivered image's. */
  readonly candidate?: true;
}

/** A delivered file a build would write: not in out/ (missing), or made by another recipe (stale). */
export interface PlannedDelivery extends CellId {
  readonly file: string;
  readonly reason: 'missing' | 'stale';
}

/** How one generation's image was obtained. */
export type ImageOutcome =
  | { readonly kind: 'cached'; readonly meta: ImageMeta; readonly bytes: Uint8Array }
  | { readonly kind: 'generated'; readonly meta: ImageMeta; readonly bytes: Uint8Array; readonly possibleDuplicate: boolean }
  | { readonly kind: 'failed'; readonly failure: JobFailure };

export type GeneratedOutcome = Exclude<ImageOutcome, { kind: 'cached' }>;
