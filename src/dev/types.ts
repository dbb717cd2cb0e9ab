import type { ReportedError } from '../core/outcome.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { Generation, MatrixFilter, PromptedCell } from '../core/generation.js';
import type { CampaignManifest, CampaignPlan, CampaignResult } from '../core/results.js';
import type { ApprovalLock } from '../plan/approvals.js';
import type { MultipleResults } from '../plan/candidates.js';
import type { GalleryFonts } from '../post/gallery-fonts.js';

/**
 * What `pressroom dev` is given by commands/dev.ts: the pipeline as the CLI runs it (the same
 * functions, the same words), so the page never learns another way to build or approve.
 */

/** A problem exactly as the CLI reports it (file, line, field, the catalogue's words and hint). */
export type DevProblem = ReportedError;

export interface DevOutcome {
  readonly status: string;
  readonly exitCode: number;
  readonly errors: readonly DevProblem[];
}

/** One campaign read and checked (manifest -> plan -> render), as the page needs it. */
export interface DevCampaign {
  readonly campaign: ResolvedCampaign;
  readonly provider: { readonly name: string; readonly cpuBound?: boolean; readonly multipleResults?: MultipleResults };
  /** The cells a build delivers (a --variant/--locale/--size filter applied), with their prompts. */
  readonly cells: readonly PromptedCell[];
  readonly generations: readonly Generation[];
  readonly approvals?: ApprovalLock;
}

/** Ctrl-C: stop starting things, and cancel what is in flight. */
export interface DevControl {
  readonly stop: AbortSignal;
  readonly abort: AbortSignal;
}

/** What to approve: one cell (with a candidate), or every delivered cell a filter leaves (a row, a column). */
export interface ApproveChoice {
  readonly cell?: string;
  readonly pick?: number;
  readonly filter: MatrixFilter;
}

export type Built = DevOutcome & { readonly campaigns: readonly CampaignResult[] };
export type Planned = DevOutcome & { readonly campaigns: readonly CampaignPlan[] };

export interface DevPipeline {
  /** The campaign files served: the paths given, or every campaign.yaml under campaigns/ (looked for again each time). */
  campaignFiles(): Promise<readonly string[]>;
  /** The campaign read and checked, or its problems; no provider call. */
  prepare(file: string): Promise<DevCampaign | DevOutcome>;
  /** out/ as `build` writes it (a free provider), or as `assemble` does from the cache (a paid one: nothing is submitted). */
  deliver(file: string, free: boolean, control: DevControl): Promise<Built>;
  /** What a build would generate and its estimated cost. */
  plan(file: string, filter?: MatrixFilter): Promise<Planned>;
  /** A build of the filtered cells that may spend up to `maxCost` USD. */
  generate(file: string, filter: MatrixFilter, maxCost: number, control: DevControl): Promise<Built>;
  approve(file: string, choice: ApproveChoice): Promise<DevOutcome>;
  /** Removes the cells' approvals from approved.lock (written as `approve` writes it). */
  unapprove(file: string, cells: readonly string[]): Promise<DevOutcome>;
  /** The campaign's manifest.json in out/, when a trusted one is there. */
  manifest(name: string): Promise<CampaignManifest | undefined>;
  /** The Noto faces the campaign's page ships (out/<campaign>/fonts/), as the gallery's. */
  fonts(dc: DevCampaign, manifest: CampaignManifest | undefined): Promise<GalleryFonts>;
  /** A cached image, its hash checked. */
  readImage(key: string): Promise<Uint8Array | undefined>;
  /** The outcome printed to the terminal as `pressroom build` prints it. */
  show(outcome: Built | DevOutcome): void;
  /** One line for the terminal (stderr). */
  note(text: string): void;
}

export const isOutcome = (x: DevCampaign | DevOutcome): x is DevOutcome => 'status' in x;
