import type { Claim } from '../cache/claims.js';
import type { Journal } from './journal.js';

/**
 * The journal as seen under a remote claim: a task id a runner on another machine started (found
 * in the claim it took over) counts as this generation's prior attempt, so the provider resumes
 * it; and a task id this runner gets is written into the claim as well as the local journal.
 */
export function journalUnderClaim(journal: Journal, key: string, provider: string, claim: Claim): Journal {
  if (!claim.noteTask) return journal;
  const from = claim.tookOverFrom;
  const inherited = from?.taskId && from.provider === provider ? { key, provider, taskId: from.taskId, unanswered: false } : undefined;
  const prior = (k: string) => journal.prior(k) ?? (k === key ? inherited : undefined);
  return {
    ...journal,
    prior,
    forJob(k, p) {
      const own = journal.forJob(k, p);
      const before = own.prior ?? (k === key && inherited ? { taskId: inherited.taskId } : undefined);
      return {
        prior: before,
        submitting: own.submitting,
        async submitted(taskId) {
          await own.submitted(taskId);
          await claim.noteTask?.(p, taskId);
        },
      };
    },
  };
}
