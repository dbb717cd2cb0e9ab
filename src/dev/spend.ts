/**
 * What a `pressroom dev` session may spend. Nothing without consent: a paid generation needs
 * --max-cost (for the whole session) or the campaign's `budget:` (for that campaign, over the
 * session), and what was spent counts against both for as long as dev runs. The local provider
 * and cached images cost nothing and never come here.
 */
import type { BudgetFacts } from '../core/job-facts.js';

export interface SpendBook {
  /** USD the session may still spend on the campaign, or why it may not (the catalogue's E_BUDGET facts). */
  allowance(campaign: string, budget: number | undefined): { readonly usd: number } | { readonly refused: BudgetFacts };
  add(campaign: string, usd: number): void;
  /** USD spent in this session, on one campaign or on all. */
  spent(campaign?: string): number;
  readonly maxCost?: number;
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

export function createSpendBook(maxCost: number | undefined): SpendBook {
  const byCampaign = new Map<string, number>();
  let total = 0;
  return {
    maxCost,
    allowance(campaign, budget) {
      if (maxCost === undefined && budget === undefined) {
        return { refused: { kind: 'dev-consent', campaign } };
      }
      const limits: number[] = [];
      if (maxCost !== undefined) limits.push(maxCost - total);
      if (budget !== undefined) limits.push(budget - (byCampaign.get(campaign) ?? 0));
      const usd = round(Math.min(...limits));
      if (usd <= 1e-9) {
        const session = maxCost !== undefined && maxCost - total <= 1e-9;
        return { refused: session ? { kind: 'dev-spent', limit: 'max-cost', usd: maxCost, spent: total } : { kind: 'dev-spent', limit: 'budget', campaign, usd: budget ?? 0, spent: byCampaign.get(campaign) ?? 0 } };
      }
      return { usd };
    },
    add(campaign, usd) {
      if (!(usd > 0)) return;
      byCampaign.set(campaign, round((byCampaign.get(campaign) ?? 0) + usd));
      total = round(total + usd);
    },
    spent: (campaign) => (campaign === undefined ? total : (byCampaign.get(campaign) ?? 0)),
  };
}
