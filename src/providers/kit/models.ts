import type { ModelId } from '../../core/campaign.js';

/**
 * A provider's model data in one typed table: what plan checks read (prompt length, sizes,
 * references, price) and what its wire code sends. One table per provider, in its folder's
 * models.ts; the emulators keep their own, written from the same documents.
 */

export interface PromptLimits {
  readonly min: number;
  readonly max: number;
}

export interface Price {
  readonly amount: number;
  /** `USD` where documented; `credits` where the provider bills in a unit of its own. */
  readonly currency: 'USD' | 'credits';
}

export interface ModelData {
  /** The provider's own name for the model: an endpoint path, an AIR id. */
  readonly wire: string;
  /** Prompt length in characters (UTF-16 code units); absent when the provider states none. */
  readonly promptLimits?: PromptLimits;
  /** Reference images one task takes; 0 when this model takes none here. */
  readonly maxReferences: number;
  /** Per image, when known (an estimate until the provider reports the task's cost). */
  readonly price?: Price;
}

export type ModelTable<T extends ModelData = ModelData> = Readonly<Partial<Record<ModelId, T>>>;

/** The models a table offers, in ModelId order. */
export function modelsOf(table: ModelTable): ModelId[] {
  return (Object.keys(table) as ModelId[]).filter((m) => table[m] !== undefined);
}

/** USD per image for `pressroom plan`; prices in credits cannot be added to dollars and are left out. */
export function usdPrices(table: ModelTable): Partial<Record<ModelId, number>> {
  const prices: Partial<Record<ModelId, number>> = {};
  for (const m of modelsOf(table)) {
    const price = table[m]!.price;
    if (price?.currency === 'USD') prices[m] = price.amount;
  }
  return prices;
}

/** The prompt limits of `model` on `provider`, from its table; undefined where none are stated. */
export function promptLimitsFor(provider: { readonly modelTable?: ModelTable }, model: ModelId): PromptLimits | undefined {
  return provider.modelTable?.[model]?.promptLimits;
}
