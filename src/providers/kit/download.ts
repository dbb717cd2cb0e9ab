import type { ProviderError } from '../../core/errors.js';
import type { ProviderContext } from '../types.js';
import { timeLeft } from './deadline.js';

/**
 * Fetching a result image, the same for every provider: a pre-signed CDN link that gets no
 * Authorization header and expires. 403, 404 and 410 mean it has expired: the caller decides
 * whether to ask for a fresh link, resubmit or report it; nothing here retries that.
 */
export type Download = { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 'expired'; readonly status: number };

export const EXPIRED_STATUSES: ReadonlySet<number> = new Set([403, 404, 410]);
/** Result images are single PNG/JPEG/WebP files; anything past this is not one. */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

export interface DownloadSpec {
  readonly ctx: ProviderContext;
  readonly url: string;
  readonly maxBytes?: number;
  /** The provider's retry binding (kit/retry.ts with kind 'read'). */
  readonly retry: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Converts a transport failure (HttpError) into the provider's error; others pass through. */
  readonly transport: (err: unknown) => unknown;
  /** The error for an answer that is neither an image nor expired; retried when transient. */
  readonly failure: (status: number, detail: string | undefined) => ProviderError;
}

export function downloadResult(spec: DownloadSpec): Promise<Download> {
  const { ctx } = spec;
  ctx.onProgress?.({ kind: 'downloading' });
  return spec.retry(async (): Promise<Download> => {
    let res;
    try {
      res = await ctx.http.request({
        method: 'GET',
        url: spec.url,
        signal: ctx.signal,
        maxBytes: spec.maxBytes ?? MAX_RESULT_BYTES,
        maxRedirects: 3,
        timeoutCapMs: timeLeft(ctx),
      });
    } catch (err) {
      throw spec.transport(err);
    }
    if (EXPIRED_STATUSES.has(res.status)) return { kind: 'expired', status: res.status };
    if (res.status !== 200) throw spec.failure(res.status, undefined);
    if (!looksLikeImage(res.body)) throw spec.failure(res.status, `not a PNG, JPEG or WebP image (${res.body.byteLength} bytes)`);
    return { kind: 'bytes', bytes: res.body };
  });
}

export function looksLikeImage(b: Uint8Array): boolean {
  if (b.length < 12) return false;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const webp = Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP';
  return png || jpeg || webp;
}
