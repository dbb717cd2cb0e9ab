/**
 * The facts of the job and build codes (exit 1 and 3) that come in several kinds, and their
 * sentences: the words of the catalogue's other half (errors-data.ts), kept here so the table stays
 * readable. input-facts.ts is the same for the input codes.
 */

import { firstFew, usd } from './phrases.js';

const short = (hash: string) => hash.slice(0, 12);

/** A cell that cannot be delivered as approved (`build --frozen`), or a pick that no longer holds. */
export type UnapprovedFacts =
  | { readonly kind: 'not-approved'; readonly campaign: string; readonly cell: string }
  /** `changes`: what changed since approval, each in words (the generated image, the copy, the format...). */
  | { readonly kind: 'changed'; readonly campaign: string; readonly cell: string; readonly changes: readonly string[] }
  | { readonly kind: 'candidate-gone'; readonly campaign: string; readonly cell: string; readonly pick: number; readonly key: string; readonly of: number }
  | { readonly kind: 'candidate-differs'; readonly campaign: string; readonly cell: string; readonly pick: number; readonly sha256: string; readonly approved: string; readonly of: number }
  /** The file a frozen build would write has other bytes than the approved file, although its recipe is the approved one. */
  | { readonly kind: 'file-differs'; readonly file: string; readonly sha256: string; readonly approved: string };

export function unapproved(f: UnapprovedFacts): string {
  const again = (of: number) => `build with --candidates ${of} to make candidates again, then review and approve one`;
  switch (f.kind) {
    case 'not-approved':
      return `${f.campaign} ${f.cell}: not approved`;
    case 'changed':
      return `${f.campaign} ${f.cell}: changed since approval: ${f.changes.join('; ')}`;
    case 'candidate-gone':
      return `${f.campaign} ${f.cell}: approved candidate ${f.pick} (${short(f.key)}) is no longer in the cache: ${again(f.of)}`;
    case 'candidate-differs':
      return `${f.campaign} ${f.cell}: the cached candidate ${f.pick} is not the approved image (sha256 ${short(f.sha256)}, approved ${short(f.approved)}): ${again(f.of)}`;
    case 'file-differs':
      return `${f.file} would not be the approved file (sha256 ${short(f.sha256)}, approved ${short(f.approved)}) although its recipe is: the fonts or Pressroom's cut or typesetter changed since approval. Nothing was written; build without --frozen to see the new file, review it, then approve again`;
  }
}

/** Over a spending limit: refused before anything ran (the estimate), or stopped while running. */
export type BudgetFacts =
  | { readonly kind: 'campaign'; readonly campaign: string; readonly generations: number; readonly model: string; readonly provider: string; readonly estimate: number | null; readonly budget: number }
  | { readonly kind: 'build'; readonly generations: number; readonly estimate: number | null; readonly maxCost: number }
  /** A job not started because spend reached a limit; `spent` of `limit` USD when the limit is known. */
  | { readonly kind: 'stopped'; readonly spent?: number; readonly limit?: number }
  /** pressroom dev without consent to spend: no --max-cost and no campaign budget. */
  | { readonly kind: 'dev-consent'; readonly campaign: string }
  /** pressroom dev with nothing left under --max-cost (the session's) or a campaign's budget. */
  | { readonly kind: 'dev-spent'; readonly limit: 'max-cost'; readonly usd: number; readonly spent: number }
  | { readonly kind: 'dev-spent'; readonly limit: 'budget'; readonly campaign: string; readonly usd: number; readonly spent: number };

export function budget(f: BudgetFacts): string {
  if (f.kind === 'dev-consent') return `pressroom dev spends only with consent: start it with --max-cost <usd>, or give ${f.campaign} a budget:; nothing was submitted`;
  if (f.kind === 'dev-spent') {
    const which = f.limit === 'max-cost' ? `--max-cost ${usd(f.usd)} (${usd(f.spent)} spent in this session)` : `${f.campaign}'s budget ${usd(f.usd)} (${usd(f.spent)} spent in this session)`;
    return `nothing left to spend under ${which}; nothing was submitted`;
  }
  if (f.kind === 'stopped') {
    const spent = f.spent !== undefined && f.limit !== undefined ? ` (${f.spent} of ${f.limit} USD spent)` : '';
    return `not started: the build stopped on budget${spent}; a re-run with a higher limit generates it`;
  }
  const what = f.kind === 'campaign' ? `${f.campaign}: ${f.generations} generation(s) of ${f.model} on ${f.provider}` : `this build: ${f.generations} generation(s)`;
  const limit = f.kind === 'campaign' ? `its budget of ${usd(f.budget)}` : `--max-cost ${usd(f.maxCost)}`;
  if (f.estimate === null) return `${what}, estimated cost unknown (no price for the model; set prices: in the campaign), cannot be held to ${limit}`;
  return `${what}, estimated ${usd(f.estimate)}, is over ${limit}`;
}

/** A job that timed out waiting for another build's claim on its key (nothing was submitted here). */
export type ClaimTimeoutFacts =
  | { readonly kind: 'holder'; readonly provider: string; readonly holder?: { readonly pid: number; readonly host: string } }
  /** The remote claim store kept failing: its error, in its words. */
  | { readonly kind: 'store'; readonly provider: string; readonly said: string };

export const holderText = (holder: { readonly pid: number; readonly host: string } | undefined) => (holder ? `another build (pid ${holder.pid} on ${holder.host})` : 'another build');

export function claimTimeout(f: ClaimTimeoutFacts): string {
  return f.kind === 'store'
    ? `${f.provider}: the job deadline (--job-timeout) passed while the remote claim store kept failing (${f.said}); nothing was submitted, since another runner may be generating this image: re-run when the store answers, or build with --shard`
    : `${f.provider}: the job deadline (--job-timeout) passed while ${holderText(f.holder)} was generating this image; nothing was submitted here, and a re-run uses its result`;
}

/** Bytes a provider returned that are not an image: nothing was cached. */
export type NotImageFacts = { readonly provider: string } & ({ readonly kind: 'undecodable'; readonly said: string } | { readonly kind: 'no-dimensions' });

export function notImage(f: NotImageFacts): string {
  const what = f.kind === 'undecodable' ? `${f.provider}'s bytes do not decode as an image (${f.said})` : `${f.provider} returned an image without dimensions`;
  return `${what}; not cached, a re-run tries again`;
}

/**
 * `plan --check`: delivered files missing or stale in out/ (`files`, each `name (reason)`), or, with
 * out/ current but images due, the cells a build would generate them for.
 */
export interface OutdatedFacts {
  readonly campaign: string;
  readonly outDir: string;
  readonly files: readonly { readonly file: string; readonly reason: 'missing' | 'stale' }[];
  readonly toGenerate: number;
  readonly dueCells: readonly string[];
}

export function outdated(f: OutdatedFacts): string {
  const missing = f.files.filter((o) => o.reason === 'missing').length;
  const files = f.files.length > 0 ? `: ${firstFew(f.files.map((o) => `${o.file} (${o.reason})`))}` : '';
  // The files name the cells already; with out/ current but the cache cleared, the cells are the news.
  const due = f.toGenerate > 0 && f.files.length === 0 ? ` for ${firstFew(f.dueCells)}` : '';
  return `${f.campaign}: ${missing} asset(s) missing and ${f.files.length - missing} stale in ${f.outDir}${files}; a build would generate ${f.toGenerate} image(s)${due}`;
}

/** A generated image that cannot be decoded: the decoder's words, or a header declaring more pixels than Pressroom decodes. */
export type ImageDecodeFacts = { readonly kind: 'undecodable'; readonly said: string } | { readonly kind: 'too-many-pixels'; readonly width: number; readonly height: number; readonly limit: number };

export function imageDecode(f: ImageDecodeFacts): string {
  if (f.kind === 'undecodable') return `the generated image could not be decoded (${f.said})`;
  const side = Math.round(Math.sqrt(f.limit));
  return `the generated image declares ${f.width}×${f.height} pixels (${Math.round((f.width * f.height) / 1e6)} MP); Pressroom decodes at most ${Math.round(f.limit / 1e6)} MP (${side}×${side})`;
}

/** A delivery target derive cannot make; `file` names it (or `a WxH image`). */
export type ImageTargetFacts = { readonly file: string } & (
  | { readonly kind: 'size'; readonly width: number; readonly height: number }
  | { readonly kind: 'format'; readonly format: string }
  | { readonly kind: 'quality'; readonly quality: number }
);

export function imageTarget(f: ImageTargetFacts): string {
  const problem = f.kind === 'size' ? `${f.width}x${f.height} is not a positive integer size` : f.kind === 'format' ? `unknown format ${JSON.stringify(f.format)}` : `quality ${f.quality} is not an integer 1-100`;
  return `cannot derive ${f.file}: ${problem}`;
}

/** A request that failed below HTTP: what Pressroom refused, or the transport's own error (`said`, an errno). */
export type TransportFacts =
  | { readonly kind: 'too-large'; readonly limit: number; readonly declared?: number }
  | { readonly kind: 'redirects'; readonly max: number }
  | { readonly kind: 'not-url' }
  | { readonly kind: 'scheme'; readonly protocol: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'connect'; readonly errno: string }
  | { readonly kind: 'reset'; readonly errno?: string }
  | { readonly kind: 'said'; readonly said: string };

export function transport(f: TransportFacts): string {
  switch (f.kind) {
    case 'too-large':
      return f.declared === undefined ? `response exceeds the ${f.limit}-byte limit` : `response of ${f.declared} bytes exceeds the ${f.limit}-byte limit`;
    case 'redirects':
      return `more than ${f.max} redirects`;
    case 'not-url':
      return 'not a valid URL';
    case 'scheme':
      return `only http(s) URLs are fetched, not ${f.protocol}`;
    case 'aborted':
      return 'request aborted';
    case 'timed-out':
      return 'request timed out';
    case 'connect':
      return `could not connect (${f.errno})`;
    case 'reset':
      return `connection failed${f.errno ? ` (${f.errno})` : ''}`;
    case 'said':
      return f.said;
  }
}
