import type { AssetEntry, CampaignManifest, CampaignPlan, FailureEntry } from '../core/results.js';
import type { PromptedCell } from '../core/generation.js';
import { sha256Hex } from '../core/hash.js';
import { approvalCellId, cellIdOf, deliversApproved, frozenProblems } from '../plan/approvals.js';
import { thumbnailFile } from '../post/thumbnails.js';
import type { DevCampaign } from './types.js';

/**
 * What the review page shows of a campaign, as plain data: one entry per cell of the matrix with
 * its delivered file, its candidates, whether it is approved and what a paid generation of it would
 * cost. The page renders it; the server sends the cells that changed after each save.
 */

export interface ShotView {
  /** Candidate k (0: the delivered file). */
  readonly pick: number;
  /** Thumbnail and full picture, relative to the campaign's page. */
  readonly src: string;
  readonly full: string;
  /** This is the image the cell delivers now. */
  readonly delivered: boolean;
  /** The approval covers this image (delivered: its delivered file is the approved one). */
  readonly approved: boolean;
}

export type CellState = 'delivered' | 'needs-generation' | 'failed' | 'missing';

export interface CellView {
  readonly id: string;
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  readonly state: CellState;
  readonly width: number;
  readonly height: number;
  readonly prompt: string;
  /** The copy set over the picture, per layer (or the locale's headline when there are no layers). */
  readonly texts: readonly { readonly field: string; readonly text: string }[];
  /** Candidate 0 (the delivered file) first, then the review candidates, each composed as delivered. */
  readonly shots: readonly ShotView[];
  readonly sha256?: string;
  /** Its delivered file is the approved one. */
  readonly approved: boolean;
  /** The pick approved.lock holds for the cell, whatever it delivers today. */
  readonly approvedPick?: number;
  /** Changed since approval, in words (the same as diff and build --frozen). */
  readonly changes?: readonly string[];
  /** A paid generation this cell waits for: its estimated cost and how many cells share it. */
  readonly generation?: { readonly estimatedCost: number | null; readonly cells: number };
  readonly error?: { readonly code: string; readonly message: string };
}

export interface CampaignView {
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  /** Generations cost money here: they wait for the page's generate button and a budget. */
  readonly paid: boolean;
  readonly budget?: number;
  readonly totalCost?: number | null;
  readonly variants: readonly string[];
  readonly sizes: readonly { readonly id: string; readonly width: number; readonly height: number }[];
  /** The rows: a copy edit changes cells, never these. */
  readonly locales: readonly { readonly tag: string; readonly language: string; readonly direction: 'ltr' | 'rtl' }[];
  readonly cells: readonly CellView[];
}

const PREVIEW = '_preview';

/** The composed preview of candidate `pick` of a cell, versioned by what composes it (its image, the cell's recipe). */
export function previewPath(pick: number, cell: { readonly variant: string; readonly locale: string; readonly size: string }, version: string, full = false): string {
  const parts = [PREVIEW, String(pick), cell.variant, cell.locale, `${cell.size}.webp`].map(encodeURIComponent).join('/');
  return `${parts}?v=${version}${full ? '&full=1' : ''}`;
}

/** Parsed back: undefined when `parts` (after the campaign) is not a preview path. */
export function parsePreviewPath(parts: readonly string[]): { readonly pick: number; readonly cell: string } | undefined {
  if (parts.length !== 5 || parts[0] !== PREVIEW || !/^[0-9]{1,2}$/.test(parts[1]!) || !parts[4]!.endsWith('.webp')) return undefined;
  return { pick: Number(parts[1]), cell: `${parts[2]}/${parts[3]}/${parts[4]!.slice(0, -'.webp'.length)}` };
}

const href = (file: string) => file.split('/').map(encodeURIComponent).join('/');

/**
 * The images a reviewer chooses from, each by its candidate number: 0 the cell's own generation,
 * then the review candidates. The one delivered shows the delivered file; the others are composed
 * on demand exactly as delivery would deliver them.
 */
function shotsOf(asset: AssetEntry, ownKey: string, approval: { readonly key: string; readonly pick: number } | undefined, deliveredApproved: boolean): ShotView[] {
  const keys = [{ pick: 0, key: ownKey }, ...(asset.candidates ?? []).map((c) => ({ pick: c.pick, key: c.key }))];
  return keys.map(({ pick, key }): ShotView => {
    const delivered = key === asset.generation.key;
    if (delivered) return { pick, delivered, src: href(thumbnailFile(asset.sha256)), full: href(asset.file), approved: deliveredApproved };
    const version = sha256Hex(`${asset.recipe}:${key}`).slice(0, 16);
    return { pick, delivered, src: previewPath(pick, asset, version), full: previewPath(pick, asset, version, true), approved: approval?.pick === pick && approval.key === key };
  });
}

/** The copy a cell carries: its layers as drawn, else the fields its layers will set, else the headline. */
function textsOf(dc: DevCampaign, asset: AssetEntry | undefined, cell: PromptedCell): { field: string; text: string }[] {
  if (asset?.layers && asset.layers.length > 0) return asset.layers.map((l) => ({ field: l.field, text: l.text }));
  const strings = cell.locale.strings;
  const fields = dc.campaign.text ? (dc.campaign.text.bySize[cell.size.id] ?? []).map((l) => l.field) : ['headline'];
  return fields.flatMap((field) => (typeof strings[field] === 'string' ? [{ field, text: strings[field] as string }] : []));
}

export function campaignView(dc: DevCampaign, manifest: CampaignManifest | undefined, plan: CampaignPlan | undefined): CampaignView {
  const { campaign } = dc;
  const assets = new Map((manifest?.assets ?? []).map((a) => [approvalCellId(a), a]));
  const failures = new Map<string, FailureEntry>((manifest?.failures ?? []).map((f) => [approvalCellId(f), f]));
  const due = new Map<string, { estimatedCost: number | null; cells: number }>();
  for (const r of plan?.requests ?? []) {
    if (r.candidate) continue;
    for (const c of r.cells) due.set(approvalCellId(c), { estimatedCost: r.estimatedCost, cells: r.cells.length });
  }
  const lock = dc.approvals;
  const ownKeys = new Map(dc.generations.flatMap((g) => g.cells.map((c) => [cellIdOf(c), g.key] as const)));
  const changed = new Map(
    frozenProblems(lock, campaign, dc.generations, dc.provider.multipleResults)
      .filter((p) => p.reason === 'changed')
      .map((p) => [p.cell, p.changes]),
  );
  const cells = dc.cells.map((cell): CellView => {
    const id = cellIdOf(cell);
    const asset = assets.get(id);
    const failure = failures.get(id);
    const approval = lock?.cells[id];
    const approved = asset !== undefined && deliversApproved(approval, asset);
    const generation = due.get(id);
    const state: CellState = asset ? 'delivered' : generation ? 'needs-generation' : failure ? 'failed' : 'missing';
    const changes = changed.get(id);
    return {
      id,
      variant: cell.variant.id,
      locale: cell.locale.tag,
      size: cell.size.id,
      state,
      width: cell.size.width,
      height: cell.size.height,
      prompt: cell.prompt,
      texts: textsOf(dc, asset, cell),
      shots: asset ? shotsOf(asset, ownKeys.get(id) ?? asset.generation.key, approval, approved) : [],
      approved,
      ...(asset ? { sha256: asset.sha256 } : {}),
      ...(approval ? { approvedPick: approval.pick } : {}),
      ...(changes && changes.length > 0 ? { changes } : {}),
      ...(!asset && generation ? { generation } : {}),
      ...(!asset && failure && !generation ? { error: { code: failure.error.code, message: failure.error.message } } : {}),
    };
  });
  return {
    name: campaign.name,
    provider: dc.provider.name,
    model: campaign.model,
    paid: dc.provider.cpuBound !== true,
    ...(campaign.budget !== undefined ? { budget: campaign.budget } : {}),
    ...(manifest?.totalCost !== undefined ? { totalCost: manifest.totalCost } : {}),
    variants: [...new Set(dc.cells.map((c) => c.variant.id))],
    sizes: [...new Map(dc.cells.map((c) => [c.size.id, { id: c.size.id, width: c.size.width, height: c.size.height }])).values()],
    locales: campaign.locales
      .filter((l) => dc.cells.some((c) => c.locale.tag === l.tag))
      .map((l) => ({ tag: l.tag, language: l.language, direction: l.direction })),
    cells,
  };
}

/** What the page must redraw: nothing, some cells, or the whole campaign (its rows, columns or header changed). */
export function changesBetween(before: CampaignView | undefined, after: CampaignView): { readonly whole: true } | { readonly whole: false; readonly cells: readonly CellView[] } {
  if (!before) return { whole: true };
  const { cells: a, ...headA } = before;
  const { cells: b, ...headB } = after;
  if (JSON.stringify(headA) !== JSON.stringify(headB) || a.length !== b.length || a.some((c, i) => c.id !== b[i]!.id)) return { whole: true };
  return { whole: false, cells: b.filter((c, i) => JSON.stringify(c) !== JSON.stringify(a[i])) };
}
