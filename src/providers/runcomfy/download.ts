import { ProviderError } from '../../core/errors.js';
import { withRetry } from '../../http/retry.js';
import { fromTransport, PROVIDER, readRetry, type Session, taskLabel } from './call.js';
import { categoryForStatus } from './classify.js';
import { timeLeft } from '../kit/deadline.js';

/** Result images are single JPEG/PNG files; anything past this is not one. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export type Download = { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 'expired'; readonly status: number };

/**
 * Fetches a result image. The API key is never sent: the URL is a CDN link, possibly on another
 * host. An answer of 403/404/410 means the link expired (the caller asks for a fresh result);
 * other failures are retried as reads.
 */
export async function downloadResult(s: Session, url: string, taskId: string): Promise<Download> {
  assertFetchable(s, url, taskId);
  return withRetry(async () => {
    let res;
    try {
      res = await s.ctx.http.request({ method: 'GET', url, signal: s.ctx.signal, timeoutCapMs: timeLeft(s.ctx), maxBytes: MAX_IMAGE_BYTES, maxRedirects: MAX_REDIRECTS });
    } catch (err) {
      throw fromTransport(err, 'download', taskId);
    }
    if (res.status === 403 || res.status === 404 || res.status === 410) return { kind: 'expired', status: res.status };
    if (res.status !== 200) {
      const category = categoryForStatus(res.status);
      throw new ProviderError(
        { provider: PROVIDER, category: category === 'rate_limit' || category === 'transient' ? category : 'transient', taskId, httpStatus: res.status },
        `${PROVIDER}: downloading the result of ${taskLabel(taskId)} answered HTTP ${res.status}; retried with backoff, re-run to resume if it persists`,
      );
    }
    if (!looksLikeImage(res.body)) {
      throw new ProviderError(
        { provider: PROVIDER, category: 'transient', taskId, httpStatus: res.status },
        `${PROVIDER}: the result of ${taskLabel(taskId)} is not a PNG, JPEG or WebP image (${res.body.byteLength} bytes); retried`,
      );
    }
    return { kind: 'bytes', bytes: res.body };
  }, readRetry(s, taskId));
}

/** Plain http only on the API's own origin (emulators); result links elsewhere must be https. */
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

function looksLikeImage(bytes: Uint8Array): boolean {
  const b = bytes;
  if (b.length < 12) return false;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const webp = Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP';
  return png || jpeg || webp;
}
