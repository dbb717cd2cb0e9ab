import type { ResolvedCampaign } from '../core/campaign.js';
import { reported, type ReportedError } from '../core/outcome.js';
import type { CampaignPlan } from '../core/results.js';
import { totalEstimate } from './summary.js';

/** Over by more than rounding; an unknown estimate cannot be shown to fit, so it is over too. */
const over = (estimate: number | null, limit: number) => estimate === null || estimate > limit + 1e-9;

/**
 * Plans over a limit (a campaign's `budget:`, or --max-cost over the whole build) as E_BUDGET
 * errors naming the estimate. An unknown estimate cannot be shown to fit, so it is refused too.
 */
export function budgetErrors(plans: readonly CampaignPlan[], campaigns: readonly ResolvedCampaign[], maxCost: number | undefined, rel: (file: string) => string): ReportedError[] {
  const errors: ReportedError[] = [];
  for (const plan of plans) {
    if (plan.budget === undefined || !over(plan.estimatedCost, plan.budget)) continue;
    const campaign = campaigns.find((c) => c.name === plan.name);
    const where = campaign ? { file: rel(campaign.file), line: campaign.locations['budget']?.line, col: campaign.locations['budget']?.col, field: 'budget' } : { field: 'budget' };
    const facts = { kind: 'campaign', campaign: plan.name, generations: plan.toGenerate, model: plan.model, provider: plan.provider, estimate: plan.estimatedCost, budget: plan.budget } as const;
    errors.push(reported('E_BUDGET', facts, where));
  }
  const estimate = totalEstimate(plans);
  if (maxCost !== undefined && over(estimate, maxCost)) {
    const generations = plans.reduce((n, p) => n + p.toGenerate, 0);
    errors.push(reported('E_BUDGET', { kind: 'build', generations, estimate, maxCost }, { field: '--max-cost' }));
  }
  return errors;
}
