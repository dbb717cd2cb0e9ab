import type { MatrixFilter } from '../core/generation.js';
import { devProblem, type DevSession } from './session.js';
import type { ApproveChoice, DevOutcome } from './types.js';

/**
 * The page's three requests that change something, read from their JSON bodies and checked before
 * anything runs: approve (a cell with a candidate, or a row or column of cells), un-approve, and
 * generate (the only one that may spend, under the session's budget).
 */

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200 && !/[\u0000-\u001f]/.test(v);
const CELL = /^[^/]+\/[^/]+\/[^/]+$/;

const refused = (expected: string, received: unknown): DevOutcome => ({
  status: 'invalid',
  exitCode: 2,
  errors: [devProblem('E_USAGE', { kind: 'value', expected, received: typeof received === 'string' ? received : JSON.stringify(received) ?? 'nothing' }, 'request')],
});

function approveChoice(body: Record<string, unknown>): ApproveChoice | DevOutcome {
  const { cell, pick, variant, locale, size } = body;
  if (cell !== undefined) {
    if (!isText(cell) || !CELL.test(cell)) return refused('a cell as variant/locale/size', cell);
    if (pick !== undefined && !(Number.isInteger(pick) && (pick as number) >= 0 && (pick as number) <= 64)) return refused('a candidate number 0-64', pick);
    const [v, l, s] = cell.split('/') as [string, string, string];
    return { cell, ...(pick !== undefined ? { pick: pick as number } : {}), filter: { variants: [v], locales: [l], sizes: [s] } };
  }
  // A row (a locale across sizes) or a column (a size across locales) of one variant.
  if (!isText(variant) || (locale !== undefined && !isText(locale)) || (size !== undefined && !isText(size))) return refused('a variant, with a locale (a row) or a size (a column)', body);
  const filter: MatrixFilter = { variants: [variant], ...(locale !== undefined ? { locales: [locale as string] } : {}), ...(size !== undefined ? { sizes: [size as string] } : {}) };
  return { filter };
}

export async function act(session: DevSession, action: string, body: unknown): Promise<DevOutcome | undefined> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refused('a JSON object', body);
  const b = body as Record<string, unknown>;
  if (!isText(b['campaign'])) return refused('a campaign name', b['campaign']);
  const campaign = b['campaign'];
  switch (action) {
    case 'approve': {
      const choice = approveChoice(b);
      return 'status' in choice ? choice : session.approve(campaign, choice);
    }
    case 'unapprove': {
      const cells = b['cells'];
      if (!Array.isArray(cells) || cells.length === 0 || cells.length > 10_000 || !cells.every((c) => isText(c) && CELL.test(c))) return refused('a list of cells as variant/locale/size', cells);
      return session.unapprove(campaign, cells as string[]);
    }
    case 'generate': {
      const cell = b['cell'];
      if (!isText(cell) || !CELL.test(cell)) return refused('a cell as variant/locale/size', cell);
      return session.generate(campaign, cell);
    }
    default:
      return undefined;
  }
}
