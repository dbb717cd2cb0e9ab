import type { Problem } from '../core/errors.js';

/** The flags CI uses (--max-cost, --check, --report, --summary), checked like the others: E_USAGE naming the flag. */
export function ciFlags(
  v: { readonly 'max-cost'?: string; readonly check?: boolean; readonly report?: string; readonly summary?: string },
  problems: Problem[],
): { maxCost?: number; check?: boolean; report?: 'markdown'; summary?: string } {
  const flags: { maxCost?: number; check?: boolean; report?: 'markdown'; summary?: string } = {};
  if (v['max-cost'] !== undefined) {
    const n = Number(v['max-cost'].replace(/^\$/, ''));
    if (v['max-cost'].trim() === '' || !Number.isFinite(n) || n < 0) {
      problems.push({ code: 'E_USAGE', path: '--max-cost', message: `expected an amount in USD, 0 or more, but received ${JSON.stringify(v['max-cost'])}` });
    } else flags.maxCost = n;
  }
  if (v.check) flags.check = true;
  if (v.report !== undefined) {
    if (v.report === 'markdown') flags.report = 'markdown';
    else problems.push({ code: 'E_USAGE', path: '--report', message: `expected markdown but received ${JSON.stringify(v.report)}` });
  }
  if (v.summary !== undefined) {
    if (v.summary.trim() === '') problems.push({ code: 'E_USAGE', path: '--summary', message: 'expected a file path but received an empty string' });
    else flags.summary = v.summary;
  }
  return flags;
}
