import { InputError } from '../core/errors.js';
import type { Generation } from '../core/generation.js';

/**
 * campaigns/<campaign>/approved.lock: which image a reviewer approved for each cell, committed to
 * git. JSON with sorted keys and one field per line, so a review shows up as a small diff.
 */
export const APPROVALS_FILE = 'approved.lock';
const LOCK_VERSION = 1;

export interface Approval {
  /** The generation key the approved image was made from: a changed prompt, model or seed changes it. */
  readonly key: string;
  /** sha256 of the delivered file that was approved. */
  readonly sha256: string;
  /** Which candidate (0 = the cell's own seed). */
  readonly pick: number;
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
        return [id, { key: a.key, pick: a.pick, sha256: a.sha256 }];
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
    if (id.split('/').length !== 3) throw fail('expected a cell id variant/locale/size', `cells.${id}`);
    if (typeof key !== 'string' || !HEX.test(key) || typeof sha256 !== 'string' || !HEX.test(sha256) || typeof pick !== 'number' || !Number.isInteger(pick) || pick < 0) {
      throw fail('expected key and sha256 as hex and pick as a whole number', `cells.${id}`);
    }
    cells[id] = { key, sha256, pick };
  }
  return { campaign, cells };
}

export interface FrozenProblem {
  readonly cell: string;
  readonly reason: 'unapproved' | 'changed';
  readonly key: string;
  readonly approvedKey?: string;
}

/** Every cell of the plan that has no approval, or whose generation key is not the approved one. */
export function frozenProblems(lock: ApprovalLock | undefined, generations: readonly Generation[]): FrozenProblem[] {
  const problems: FrozenProblem[] = [];
  for (const gen of generations) {
    for (const cell of gen.cells) {
      const id = approvalCellId({ variant: cell.variant.id, locale: cell.locale.tag, size: cell.size.id });
      const approved = lock?.cells[id];
      if (!approved) problems.push({ cell: id, reason: 'unapproved', key: gen.key });
      else if (approved.key !== gen.key) problems.push({ cell: id, reason: 'changed', key: gen.key, approvedKey: approved.key });
    }
  }
  return problems.sort((a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}
