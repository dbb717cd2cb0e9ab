import type { ProviderContext } from '../types.js';

type Deadline = Pick<ProviderContext, 'deadline' | 'clock'>;

/** A request sent at the deadline itself (the poll that ends the wait) still gets this long. */
const LAST_REQUEST_MS = 1_000;

/**
 * The time left before the job's deadline, as a cap on a request's timeout (`timeoutCapMs`).
 * Without it a provider that accepts the connection and never answers holds the job for the
 * HTTP client's whole timeout past --job-timeout.
 */
export function timeLeft(ctx: Deadline): number {
  return Math.max(LAST_REQUEST_MS, ctx.deadline - ctx.clock.now());
}

/** A request timeout of `limit`, never outliving the job's deadline. */
export function requestTimeout(ctx: Deadline, limit: number): number {
  return Math.min(limit, timeLeft(ctx));
}
