import { InputError } from '../core/errors.js';
import type { Generation } from '../core/generation.js';
import { candidateKey, candidateRequests, type MultipleResults } from './candidates.js';

/**
 * campaigns/<campaign>/approved.lock: which image a reviewer approved for each cell, committed to
 * git. JSON with sorted keys and one field per line, so a review shows up as a small diff.
 */
export const APPROVALS_FILE = 'approved.lock';
const LOCK_VERSION = 1;

export interface Approval {
  /** The generation key the approved image was made from: a changed prompt, model or seed changes it. */
  readonly key: string;
  /**
   * sha256 of the approved image: the delivered file for candidate 0 (what the gallery showed
   * delivered), the generated image in the cache for candidates 1..N-1 (shown, never delivered).
   */
  readonly sha256: string;
  /** Which candidate (0 = the cell's own generation). */
  readonly pick: number;
  /** For pick >= 1: how many candidates were made, which its key depends on. */
  readonly of?: number;
}

export interface ApprovalLock {
  readonly campaign: string;
  /** Cell id `variant/locale/size` -> approval. */
  readonly cells: Readonly<Record<string, Approval>>;
}

export const approvalCellId = (c: { readonly variant: string; readonly locale: string; readonly size: string }) => `${c.variant}/${c.locale}/${c.size}`;

export function serialiseApprovals(lock: ApprovalLock): string {
  const cells = Object.fromEntries(
    Object.keys(lock.cells)
      .sort()
      .map((id) => {
        const a = lock.cells[id]!;
        return [id, { key: a.key, ...(a.pick > 0 && a.of !== undefined ? { of: a.of } : {}), pick: a.pick, sha256: a.sha256 }];
      }),
  );
  return `${JSON.stringify({ version: LOCK_VERSION, campaign: lock.campaign, cells }, null, 2)}\n`;
}

const HEX = /^[0-9a-f]{16,64}$/;

/** The lock file's text, checked; every problem names the file and the cell. */
export function parseApprovals(text: string, file: string, campaign: string): ApprovalLock {
  const fail = (message: string, path?: string) => new InputError([{ code: 'E_APPROVALS', file, message, ...(path ? { path } : {}) }]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(`not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('expected an object with version, campaign and cells');
  const v = value as Record<string, unknown>;
  if (v['version'] !== LOCK_VERSION) throw fail(`expected version ${LOCK_VERSION} but received ${JSON.stringify(v['version'])}`, 'version');
  if (v['campaign'] !== campaign) throw fail(`written for campaign ${JSON.stringify(v['campaign'])}, not ${JSON.stringify(campaign)}`, 'campaign');
  const rawCells = v['cells'];
  if (typeof rawCells !== 'object' || rawCells === null || Array.isArray(rawCells)) throw fail('expected an object of cells', 'cells');
  const cells: Record<string, Approval> = {};
  for (const [id, raw] of Object.entries(rawCells as Record<string, unknown>)) {
    const a = raw as Record<string, unknown> | null;
    const key = a?.['key'];
    const sha256 = a?.['sha256'];
    const pick = a?.['pick'] ?? 0;
    const of = a?.['of'];
    if (id.split('/').length !== 3) throw fail('expected a cell id variant/locale/size', `cells.${id}`);
    if (typeof key !== 'string' || !HEX.test(key) || typeof sha256 !== 'string' || !HEX.test(sha256) || typeof pick !== 'number' || !Number.isInteger(pick) || pick < 0) {
      throw fail('expected key and sha256 as hex and pick as a whole number', `cells.${id}`);
    }
    if (pick > 0 && (typeof of !== 'number' || !Number.isInteger(of) || of <= pick)) throw fail(`expected of (how many candidates were made) above pick ${pick}`, `cells.${id}.of`);
    cells[id] = { key, sha256, pick, ...(pick > 0 ? { of: of as number } : {}) };
  }
  return { campaign, cells };
}

export interface FrozenProblem {
  readonly cell: string;
  readonly reason: 'unapproved' | 'changed';
  /** The key the approved pick has today. */
  readonly key: string;
  /** The key a build without candidates delivers today (the "new" image of a diff). */
  readonly generationKey: string;
  readonly approvedKey?: string;
}

const cellIdOf = (cell: Generation['cells'][number]) => approvalCellId({ variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id });

/** The key of what a cell's approval picked, as the campaign makes it today. */
const pickedKey = (gen: Generation, approval: Approval, multiple: MultipleResults) =>
  candidateKey(gen, approval.pick, approval.of ?? 1, multiple) ?? gen.key;

/** Every cell of the plan that has no approval, or whose approved pick's key is not the approved one. */
export function frozenProblems(lock: ApprovalLock | undefined, generations: readonly Generation[], multiple: MultipleResults): FrozenProblem[] {
  const problems: FrozenProblem[] = [];
  for (const gen of generations) {
    for (const cell of gen.cells) {
      const id = cellIdOf(cell);
      const approved = lock?.cells[id];
      if (!approved) {
        problems.push({ cell: id, reason: 'unapproved', key: gen.key, generationKey: gen.key });
        continue;
      }
      const key = pickedKey(gen, approved, multiple);
      if (approved.key !== key) problems.push({ cell: id, reason: 'changed', key, generationKey: gen.key, approvedKey: approved.key });
    }
  }
  return problems.sort((a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}

/**
 * The generations a frozen build delivers: each cell from the image its approval picked. Cells of
 * one generation that picked different candidates become one generation per picked image.
 */
export function frozenGenerations(lock: ApprovalLock | undefined, generations: readonly Generation[], multiple: MultipleResults): Generation[] {
  return generations.flatMap((gen) => {
    const byKey = new Map<string, { gen: Generation; cells: Generation['cells'][number][] }>();
    for (const cell of gen.cells) {
      const approved = lock?.cells[cellIdOf(cell)];
      const pick = approved?.pick ?? 0;
      const key = approved ? pickedKey(gen, approved, multiple) : gen.key;
      let group = byKey.get(key);
      if (!group) {
        // The request that made candidate `pick` (one per candidate, or one for all of them).
        const requests = pick === 0 ? undefined : candidateRequests(gen, approved!.of ?? 1, multiple).generations;
        const request = requests ? (requests[requests.length === 1 ? 0 : pick - 1] ?? gen).request : gen.request;
        byKey.set(key, (group = { gen: pick === 0 ? gen : { key, request, cells: [] }, cells: [] }));
      }
      group.cells.push(cell);
    }
    return [...byKey.values()].map((g) => ({ ...g.gen, cells: g.cells }));
  });
}
