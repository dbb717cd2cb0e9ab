import type { ResolvedCampaign } from '../core/campaign.js';
import { problem, type Problem } from '../core/errors.js';
import type { MatrixFilter } from '../core/generation.js';

/**
 * --variant/--locale/--size across several campaigns: each campaign keeps the values it has, a
 * campaign with no match on some flag is skipped with a note, and only a value that no campaign
 * has is a usage error (a typo, not a campaign that simply lacks that locale).
 */

type Dimension = 'variants' | 'locales' | 'sizes';

const DIMENSIONS: readonly { readonly key: Dimension; readonly flag: string; readonly ids: (c: ResolvedCampaign) => readonly string[] }[] = [
  { key: 'variants', flag: '--variant', ids: (c) => c.variants.map((v) => v.id) },
  { key: 'locales', flag: '--locale', ids: (c) => c.locales.map((l) => l.tag) },
  { key: 'sizes', flag: '--size', ids: (c) => c.sizes.map((s) => s.id) },
];

export type CampaignFilter = { readonly kind: 'build'; readonly filter: MatrixFilter } | { readonly kind: 'skip'; readonly note: string };

/** The part of the filter this campaign has, or why it is skipped. */
export function filterForCampaign(campaign: ResolvedCampaign, filter: MatrixFilter): CampaignFilter {
  const narrowed: { -readonly [K in Dimension]?: readonly string[] } = {};
  for (const d of DIMENSIONS) {
    const wanted = filter[d.key];
    if (!wanted || wanted.length === 0) continue;
    const have = new Set(d.ids(campaign).map((id) => id.toLowerCase()));
    const kept = wanted.filter((w) => have.has(w.toLowerCase()));
    if (kept.length === 0) return { kind: 'skip', note: `${campaign.name} skipped: it has no ${d.flag.slice(2)} ${wanted.join(', ')} (it has ${d.ids(campaign).join(', ')})` };
    narrowed[d.key] = kept;
  }
  return { kind: 'build', filter: narrowed };
}

/**
 * A value no campaign has: the one filter mistake that is an error. `closest` is the manifest's
 * suggestion helper, passed in (plan sits below manifest): `de_DE` gets "did you mean `de-DE`?".
 */
export function unmatchedFilterProblems(
  campaigns: readonly ResolvedCampaign[],
  filter: MatrixFilter,
  closest: (word: string, candidates: readonly string[]) => string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  if (campaigns.length === 0) return problems;
  for (const d of DIMENSIONS) {
    const all = [...new Set(campaigns.flatMap(d.ids))];
    const known = new Set(all.map((id) => id.toLowerCase()));
    for (const w of filter[d.key] ?? []) {
      if (known.has(w.toLowerCase())) continue;
      const file = campaigns.length === 1 ? campaigns[0]!.file : undefined;
      const where = campaigns.length === 1 ? 'in this campaign' : `in any of the ${campaigns.length} campaigns`;
      const meant = closest(w, all);
      problems.push(problem('E_USAGE', { kind: 'no-such', dimension: d.flag.slice(2), value: w, where, choices: all, ...(meant !== undefined ? { meant } : {}) }, { file, path: d.flag }));
    }
  }
  return problems;
}
