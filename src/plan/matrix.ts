import { InputError, problem, type Problem } from '../core/errors.js';
import type { ResolvedCampaign } from '../core/campaign.js';
import type { Cell, MatrixFilter } from '../core/generation.js';




function pick<T>(all: readonly T[], wanted: readonly string[] | undefined, id: (t: T) => string, flag: string, file: string, problems: Problem[]): readonly T[] {
  if (!wanted || wanted.length === 0) return all;
  const byId = new Map(all.map((t) => [id(t).toLowerCase(), t]));
  const chosen: T[] = [];
  for (const w of wanted) {
    const hit = byId.get(w.toLowerCase());
    if (hit) chosen.push(hit);
    else problems.push(problem('E_USAGE', { kind: 'no-such', dimension: flag.slice(2), value: w, where: 'in this campaign', choices: all.map(id) }, { file, path: flag }));
  }
  // Keep the manifest's order whatever order the flag listed.
  return all.filter((t) => chosen.includes(t));
}

/** The cells to build, in manifest order: variant, then locale, then size. */
export function buildMatrix(campaign: ResolvedCampaign, filter: MatrixFilter = {}): readonly Cell[] {
  const problems: Problem[] = [];
  const variants = pick(campaign.variants, filter.variants, (v) => v.id, '--variant', campaign.file, problems);
  const locales = pick(campaign.locales, filter.locales, (l) => l.tag, '--locale', campaign.file, problems);
  const sizes = pick(campaign.sizes, filter.sizes, (s) => s.id, '--size', campaign.file, problems);
  if (problems.length > 0) throw new InputError(problems);
  const cells: Cell[] = [];
  for (const variant of variants) for (const locale of locales) for (const size of sizes) cells.push({ variant, locale, size });
  return cells;
}
