import type { CampaignPlan } from '../core/results.js';
import { totalEstimate, usd } from '../report/summary.js';
import { reported, type ReportedError } from './outcome.js';
import type { PreparedCampaign } from './prepare.js';

/**
 * Plans over a limit (a campaign's `budget:`, or --max-cost over the whole build) as E_BUDGET
 * errors naming the estimate. An unknown estimate cannot be shown to fit, so it is refused too.
 */
export function budgetErrors(plans: readonly CampaignPlan[], prepared: readonly PreparedCampaign[], maxCost: number | undefined, rel: (file: string) => string): ReportedError[] {
  const errors: ReportedError[] = [];
  for (const plan of plans) {
    if (plan.budget === undefined) continue;
    const campaign = prepared.find((p) => p.campaign.name === plan.name)?.campaign;
    const where = campaign ? { file: rel(campaign.file), line: campaign.locations['budget']?.line, col: campaign.locations['budget']?.col, field: 'budget' } : { field: 'budget' };
    const over = overBy(plan.estimatedCost, plan.budget, `${plan.name}: ${plan.toGenerate} generation(s) of ${plan.model} on ${plan.provider}`);
    if (over) errors.push(reported('E_BUDGET', `${over} its budget of ${usd(plan.budget)}`, where));
  }
  if (maxCost !== undefined) {
    const due = plans.reduce((n, p) => n + p.toGenerate, 0);
    const over = overBy(totalEstimate(plans), maxCost, `this build: ${due} generation(s)`);
    if (over) errors.push(reported('E_BUDGET', `${over} --max-cost ${usd(maxCost)}`, { field: '--max-cost' }));
  }
  return errors;
}

function overBy(estimate: number | null, limit: number, what: string): string | undefined {
  if (estimate === null) return `${what}, estimated cost unknown (no price for the model; set prices: in the campaign), cannot be held to`;
  if (estimate > limit + 1e-9) return `${what}, estimated ${usd(estimate)}, is over`;
  return undefined;
}
