import type { ModelData, ModelTable } from '../kit/models.js';

/** RunningHub's Seedream models (docs/providers/runninghub.md: Endpoints, Request body, Limits). */
export interface RunningHubModel extends ModelData {
  /** The registry form's bounds per side, on top of Seedream's pixel and aspect rules. */
  readonly sides: { readonly width: readonly [number, number]; readonly height: readonly [number, number] };
}

/** The registry's maxLength for `prompt`. */
const PROMPT = { min: 1, max: 2000 } as const;

/**
 * Prices are estimates in USD: BytePlus ModelArk list prices for 4.0 ($0.03) and 4.5 ($0.04),
 * 5.0-lite assumed at $0.035. RunningHub bills its own wallet; the `usage.consumeMoney` of a task
 * replaces them in the build report, recorded as credits since it names no currency.
 */
export const RUNNINGHUB_MODELS: ModelTable<RunningHubModel> = {
  'seedream-4.0': {
    wire: 'seedream-v4',
    sides: { width: [512, 8192], height: [512, 8192] },
    promptLimits: PROMPT,
    maxReferences: 10,
    price: { amount: 0.03, currency: 'USD' },
  },
  'seedream-4.5': {
    wire: 'seedream-v4.5',
    sides: { width: [512, 8192], height: [512, 8192] },
    promptLimits: PROMPT,
    maxReferences: 10,
    price: { amount: 0.04, currency: 'USD' },
  },
  'seedream-5-lite': {
    wire: 'seedream-v5-lite',
    sides: { width: [1600, 4704], height: [1344, 4096] },
    promptLimits: PROMPT,
    maxReferences: 10,
    price: { amount: 0.035, currency: 'USD' },
  },
};
