import { ProviderError } from '../../core/errors.js';
import { downloadResult as download, type Download } from '../kit/download.js';
import { fromTransport, PROVIDER, retrying, type Session, taskLabel } from './call.js';
import { categoryForStatus } from './classify.js';

export type { Download };

/**
 * Fetches a result image through the shared download (kit/download.ts); the API key is never
 * sent. Plain http is allowed only on the API's own origin (emulators).
 */
export function downloadResult(s: Session, url: string, taskId: string): Promise<Download> {
  assertFetchable(s, url, taskId);
  return download({
    ctx: s.ctx,
    url,
    retry: (fn) => retrying(s, 'read', taskId, fn),
    transport: (err) => fromTransport(err, 'download', taskId),
    failure: (status, detail) => {
      const category = categoryForStatus(status);
      return new ProviderError(
        { provider: PROVIDER, category: category === 'rate_limit' || category === 'transient' ? category : 'transient', taskId, httpStatus: status },
        detail
          ? `${PROVIDER}: the result of ${taskLabel(taskId)} is ${detail}; retried`
          : `${PROVIDER}: downloading the result of ${taskLabel(taskId)} answered HTTP ${status}; retried with backoff, re-run to resume if it persists`,
      );
    },
  });
}

function assertFetchable(s: Session, url: string, taskId: string): void {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const ok = parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && parsed.origin === new URL(s.baseUrl).origin);
  if (!ok) {
    throw new ProviderError(
      { provider: PROVIDER, category: 'unknown', taskId },
      `${PROVIDER}: the result of ${taskLabel(taskId)} points at a non-https URL; not fetched — re-run, or report it`,
    );
  }
}
