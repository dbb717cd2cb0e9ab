import type { ModelTable } from '../kit/models.js';

/** positivePrompt 1..2000 characters (docs/providers/runware.md, `imageInference` request fields). */
const PROMPT = { min: 1, max: 2000 } as const;

/**
 * Runware's Seedream models by AIR id. Prices in USD: 4.5 is the `cost` Runware reports in every
 * example of its Seedream 4.5 page; 4.0 and 5.0-lite follow ByteDance's list prices, which Runware
 * passes through. The real cost of each task comes back with `includeCost`.
 */
export const RUNWARE_MODELS: ModelTable = {
  'seedream-4.0': { wire: 'bytedance:5@0', promptLimits: PROMPT, maxReferences: 14, price: { amount: 0.03, currency: 'USD' } },
  'seedream-4.5': { wire: 'bytedance:seedream@4.5', promptLimits: PROMPT, maxReferences: 14, price: { amount: 0.04, currency: 'USD' } },
  'seedream-5-lite': { wire: 'bytedance:seedream@5.0-lite', promptLimits: PROMPT, maxReferences: 14, price: { amount: 0.035, currency: 'USD' } },
};
