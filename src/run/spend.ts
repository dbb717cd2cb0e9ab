/**
 * What a build has spent against a limit, shared by the jobs that draw on it: checked before each
 * submit, added to as generations report their cost. A campaign's budget sits under the build's
 * --max-cost; spending in the campaign counts against both.
 *
 * Limits are in USD. A cost the provider reports in USD counts as reported; any other cost
 * (RunningHub's `consumeMoney`, which names no unit and is recorded as credits) or none at all
 * counts at the price table's USD estimate for the model, since credits have no rate to dollars
 * that Pressroom could know.
 */
export interface SpendLimit {
  /** USD, or undefined for no limit here (a parent may still have one). */
  readonly limit?: number;
  /** True once this limit or a parent's is reached: submit nothing new. */
  reached(): boolean;
  /** A generation's cost in `currency`; anything but USD, or no cost, counts at the known price. */
  add(cost: number | undefined, currency?: string): void;
  spent(): number;
  /** The limit that stopped this build, where one did. */
  stoppedBy(): { readonly limit: number; readonly spent: number } | undefined;
}

export const SPEND_CURRENCY = 'USD';

export function createSpendLimit(options: { readonly limit?: number; readonly price?: number; readonly parent?: SpendLimit } = {}): SpendLimit {
  let spent = 0;
  const own = () => options.limit !== undefined && spent >= options.limit - 1e-9;
  const self: SpendLimit = {
    limit: options.limit,
    reached: () => own() || (options.parent?.reached() ?? false),
    add(cost, currency) {
      const amount = cost !== undefined && currency === SPEND_CURRENCY ? cost : (options.price ?? 0);
      spent = Math.round((spent + amount) * 1e6) / 1e6;
      options.parent?.add(amount, SPEND_CURRENCY);
    },
    spent: () => spent,
    stoppedBy: () => (own() ? { limit: options.limit!, spent } : options.parent?.stoppedBy()),
  };
  return self;
}
