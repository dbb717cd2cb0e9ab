import type { ResolvedCampaign } from '../core/campaign.js';
import { messageOf, type FactsOf } from '../core/errors.js';
import type { Cell, Generation } from '../core/generation.js';
import type { AssetEntry } from '../core/results.js';
import { approvalCellId, type Approval, type ApprovalLock } from './approval-lock.js';
import { deliveryChanges, deliveryPlanOf, type DeliveryPlan } from './approved-delivery.js';
import { candidateKey, candidateRequests, type MultipleResults } from './candidates.js';

export { APPROVALS_FILE, approvalCellId, approvalsFileOf, parseApprovals, serialiseApprovals, type Approval, type ApprovalLock } from './approval-lock.js';

/**
 * What approvals mean for a plan: which cells are not as approved (the `--frozen` check, `diff`,
 * the gallery's outline) and which image each cell is delivered from (a picked candidate sticks
 * while its key holds, in every build).
 */

export interface FrozenProblem {
  readonly cell: string;
  readonly reason: 'unapproved' | 'changed';
  /** The key the approved pick has today. */
  readonly key: string;
  /** The key a build without approvals delivers today (the cell's own generation). */
  readonly generationKey: string;
  readonly approvedKey?: string;
  /** What changed, in words: the generated image, or the delivered file's recipe (copy, layout, format...). */
  readonly changes: readonly string[];
  /** The delivery of the approved pick's image as the campaign makes it today (absent when the image itself changed). */
  readonly plan?: DeliveryPlan;
}

type GenCell = Generation['cells'][number];
export const cellIdOf = (cell: Cell) => approvalCellId({ variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id });

/** The key of what a cell's approval picked, as the campaign makes it today. */
const pickedKey = (gen: Generation, approval: Approval, multiple: MultipleResults) => candidateKey(gen, approval.pick, approval.of ?? 1, multiple) ?? gen.key;

const short = (key: string) => key.slice(0, 12);
const imageChanged = (approved: string, now: string) => `the generated image changed (prompt, model, seed, size or references: approved generation ${short(approved)}, now ${short(now)})`;

/** How an approval stands against the campaign today: holds, or what changed. */
export function approvalStatus(campaign: ResolvedCampaign, gen: Generation, cell: GenCell, approved: Approval, multiple: MultipleResults): FrozenProblem | undefined {
  const id = cellIdOf(cell);
  const key = pickedKey(gen, approved, multiple);
  const base = { cell: id, reason: 'changed' as const, key, generationKey: gen.key, approvedKey: approved.key };
  if (approved.key !== key) {
    return { ...base, changes: [imageChanged(approved.key, key)] };
  }
  // A version 1 lock approved the generation only: the bytes check at delivery covers its pick 0.
  if (!approved.delivered) return undefined;
  const plan = deliveryPlanOf(campaign, cell, key);
  const changes = deliveryChanges(approved.delivered, plan);
  return changes.length > 0 ? { ...base, changes, plan } : undefined;
}

/** Every cell of the plan that has no approval, or whose approved image or delivered file is not what the campaign makes today. */
export function frozenProblems(lock: ApprovalLock | undefined, campaign: ResolvedCampaign, generations: readonly Generation[], multiple: MultipleResults): FrozenProblem[] {
  const problems: FrozenProblem[] = [];
  for (const gen of generations) {
    for (const cell of gen.cells) {
      const approved = lock?.cells[cellIdOf(cell)];
      const problem = approved ? approvalStatus(campaign, gen, cell, approved, multiple) : { cell: cellIdOf(cell), reason: 'unapproved' as const, key: gen.key, generationKey: gen.key, changes: [] };
      if (problem) problems.push(problem);
    }
  }
  return problems.sort((a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}

/** One problem as the catalogue's facts: the same words in a frozen build's errors, a plain build's notes and diff. */
export function unapprovedFacts(campaign: string, p: FrozenProblem): FactsOf<'E_UNAPPROVED'> {
  return p.reason === 'unapproved' ? { kind: 'not-approved', campaign, cell: p.cell } : { kind: 'changed', campaign, cell: p.cell, changes: p.changes };
}

export const describeProblem = (campaign: string, p: FrozenProblem): string => messageOf('E_UNAPPROVED', unapprovedFacts(campaign, p));

export interface PickedGenerations {
  /** The generations to deliver: each cell from the candidate its approval picked where that still holds. */
  readonly generations: readonly Generation[];
  /** Keys of picked candidates: delivered from the cache, never generated again. */
  readonly fromCache: ReadonlySet<string>;
  /** Cells approved with a pick whose image changed since: delivered from their own generation, and why. */
  readonly lapsed: readonly FrozenProblem[];
}

/**
 * The generations a build delivers (plain or frozen): a cell approved with `--pick k` is delivered
 * from candidate k as long as the candidate the campaign makes today has the approved key. Cells
 * of one generation that picked different candidates become one generation per picked image.
 */
export function pickedGenerations(lock: ApprovalLock | undefined, generations: readonly Generation[], multiple: MultipleResults): PickedGenerations {
  const fromCache = new Set<string>();
  const lapsed: FrozenProblem[] = [];
  const delivered = generations.flatMap((gen) => {
    const byKey = new Map<string, { gen: Generation; cells: GenCell[] }>();
    for (const cell of gen.cells) {
      const approved = lock?.cells[cellIdOf(cell)];
      const picked = approved && approved.pick > 0 ? pickedKey(gen, approved, multiple) : gen.key;
      const holds = approved !== undefined && approved.pick > 0 && picked === approved.key;
      if (approved && approved.pick > 0 && !holds) {
        lapsed.push({ cell: cellIdOf(cell), reason: 'changed', key: picked, generationKey: gen.key, approvedKey: approved.key, changes: [imageChanged(approved.key, picked)] });
      }
      const key = holds ? picked : gen.key;
      let group = byKey.get(key);
      if (!group) {
        let made = gen;
        if (holds) {
          // The request that made candidate `pick` (one per candidate, or one for all of them).
          const requests = candidateRequests(gen, approved.of ?? 1, multiple).generations;
          made = { key, request: (requests[requests.length === 1 ? 0 : approved.pick - 1] ?? gen).request, cells: [] };
          fromCache.add(key);
        }
        byKey.set(key, (group = { gen: made, cells: [] }));
      }
      group.cells.push(cell);
    }
    // Not `{ ...g.gen, cells }`: a literal starting with a spread gets a hidden class per generation (render/prompts.ts).
    return [...byKey.values()].map((g): Generation => Object.assign({}, g.gen, { cells: g.cells }));
  });
  return { generations: delivered, fromCache, lapsed };
}

/**
 * Whether a delivered file is the one its cell's approval covers: the approved file, cut from the
 * approved image (a version 1 lock: the approved file of pick 0, the approved image of a pick).
 */
export function deliversApproved(approval: Approval | undefined, asset: { readonly sha256: string; readonly generation: { readonly key: string } }): boolean {
  if (!approval) return false;
  if (approval.delivered) return approval.delivered.sha256 === asset.sha256 && approval.key === asset.generation.key;
  return approval.pick === 0 ? approval.sha256 === asset.sha256 : approval.key === asset.generation.key;
}

/**
 * What the gallery outlines as approved: each delivered cell whose file is its approved one, and
 * each candidate of a cell whose approval picked it and would deliver today what was approved (a
 * pick not yet built).
 */
export function approvalMarks(
  lock: ApprovalLock | undefined,
  campaign: ResolvedCampaign,
  allCells: readonly Cell[],
  assets: readonly AssetEntry[],
): { readonly approvedCells: ReadonlySet<string>; readonly approvedCandidates: ReadonlyMap<string, ReadonlySet<string>> } {
  const cellsById = new Map(allCells.map((c) => [cellIdOf(c), c]));
  const approvedCells = new Set<string>();
  const approvedCandidates = new Map<string, Set<string>>();
  for (const a of assets) {
    const cell = approvalCellId(a);
    const approval = lock?.cells[cell];
    if (deliversApproved(approval, a)) {
      approvedCells.add(cell);
      continue;
    }
    const planned = cellsById.get(cell);
    const pending = (a.candidates ?? []).filter(
      (c) => approval?.key === c.key && (!approval.delivered || (planned !== undefined && deliveryPlanOf(campaign, planned, c.key).recipe === approval.delivered.recipe)),
    );
    if (pending.length > 0) approvedCandidates.set(cell, new Set(pending.map((c) => c.key)));
  }
  return { approvedCells, approvedCandidates };
}

/** Approved cells whose diff pictures stay after a build: changed since approval, or left out of it (nothing is known about them here). */
export function cellsStillDiffering(lock: ApprovalLock | undefined, campaign: ResolvedCampaign, generations: readonly Generation[], multiple: MultipleResults): string[] {
  const changed = new Set(frozenProblems(lock, campaign, generations, multiple).filter((c) => c.reason === 'changed').map((c) => c.cell));
  const built = new Set(generations.flatMap((g) => g.cells.map(cellIdOf)));
  return Object.keys(lock?.cells ?? {}).filter((cell) => changed.has(cell) || !built.has(cell));
}
