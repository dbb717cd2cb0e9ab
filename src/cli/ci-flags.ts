import type { Problem } from '../core/errors.js';

export interface CiFlags {
  readonly maxCost?: number;
  readonly check?: boolean;
  readonly report?: 'markdown';
  readonly summary?: string;
  readonly dryRun?: boolean;
  /** Bytes. */
  readonly maxSize?: number;
}

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** The flags CI uses (--max-cost, --check, --report, --summary), checked like the others: E_USAGE naming the flag. */
export function ciFlags(
  v: { readonly 'max-cost'?: string; readonly check?: boolean; readonly report?: string; readonly summary?: string; readonly 'dry-run'?: boolean; readonly 'max-size'?: string },
  problems: Problem[],
): CiFlags {
  const flags: { -readonly [K in keyof CiFlags]: CiFlags[K] } = {};
  if (v['max-cost'] !== undefined) {
    const n = Number(v['max-cost'].replace(/^\$/, ''));
    if (v['max-cost'].trim() === '' || !Number.isFinite(n) || n < 0) {
      problems.push({ code: 'E_USAGE', path: '--max-cost', message: `expected an amount in USD, 0 or more, but received ${JSON.stringify(v['max-cost'])}` });
    } else flags.maxCost = n;
  }
  if (v.check) flags.check = true;
  if (v['dry-run']) flags.dryRun = true;
  if (v['max-size'] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v['max-size'].trim());
    if (m) flags.maxSize = Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
    else problems.push({ code: 'E_USAGE', path: '--max-size', message: `expected a size like 500MB or 2GB but received ${JSON.stringify(v['max-size'])}` });
  }
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
