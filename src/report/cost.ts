import type { ModelId, PriceTable } from '../core/campaign.js';
import type { AssetEntry, CampaignPlan, PlannedCampaign } from '../core/results.js';
import { roundCost, totalCostOf } from './manifest.js';

/**
 * The cost rules, in one place: what a model's image costs (the campaign's `prices:` over the
 * provider's table), and that a price or a bill nobody knows is unknown, never free. The estimate
 * of a plan, the manifest's total and the spend limits all read them.
 */

export interface Price {
  /** USD per image; undefined when neither table knows the model. */
  readonly usd?: number;
  readonly source: CampaignPlan['priceSource'];
}

export function priceOf(campaign: { readonly model: ModelId; readonly prices?: PriceTable }, providerPrices: Readonly<Partial<Record<ModelId, number>>>): Price {
  const override = campaign.prices?.[campaign.model];
  if (override !== undefined) return { usd: override, source: 'campaign' };
  const listed = providerPrices[campaign.model];
  return listed !== undefined ? { usd: listed, source: 'provider' } : { source: 'unknown' };
}

/** USD for this many images; null at an unknown price, unless there is nothing to pay for. */
export function costOf(images: number, price: Price): number | null {
  if (price.usd === undefined) return images === 0 ? 0 : null;
  return roundCost(images * price.usd);
}

/** A plan, priced: each request and the campaign's estimate (review candidates are images paid for too). */
export function pricedPlan(planned: PlannedCampaign, price: Price): CampaignPlan {
  const { requests, budget, ...counts } = planned;
  const images = requests.reduce((n, r) => n + r.images, 0);
  return {
    ...counts,
    price: price.usd ?? null,
    priceSource: price.source,
    estimatedCost: costOf(images, price),
    ...(budget !== undefined ? { budget } : {}),
    requests: requests.map((r) => ({ key: r.key, cells: r.cells, images: r.images, estimatedCost: price.usd === undefined ? null : costOf(r.images, price), ...(r.candidate ? { candidate: r.candidate } : {}) })),
  };
}

/**
 * What a campaign's delivered assets cost, each generation counted once. A provider that reported
 * no cost is unknown (null), not free; the local renderer (`free`) and an empty campaign cost 0.
 */
export function manifestCost(assets: readonly AssetEntry[], free: boolean): number | null {
  return totalCostOf(assets) ?? (free || assets.length === 0 ? 0 : null);
}
