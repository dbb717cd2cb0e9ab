import { Blob } from 'node:buffer';
import type { Reference } from '../../core/campaign.js';
import type { ReferenceLimitFacts } from '../../core/input-facts.js';
import { classifyRunningHub, errorCodeOf, runningHubError } from './classify.js';
import { requestTimeout, retrying } from './retry.js';
import type { ProviderContext } from '../types.js';
import { RUNNINGHUB_MODELS } from './models.js';

/** RunningHub's reference limits (docs/providers/runninghub.md: Request body, Limits) and how local files reach it (Upload). */

/** The same for every model (models.ts). */
export const MAX_REFERENCES = RUNNINGHUB_MODELS['seedream-4.5']!.maxReferences;
export const MAX_REFERENCE_BYTES = 10 * 1024 * 1024;
/** The official skill inlines files up to this size as data URIs and uploads larger ones. */
export const INLINE_LIMIT_BYTES = 5 * 1024 * 1024;
const ACCEPTED_MIME = new Set(['image/png', 'image/jpeg']);
/** Uploaded URLs live about a day; reuse one for a good deal less than that. */
const UPLOAD_REUSE_MS = 6 * 60 * 60 * 1000;

function describe(ref: Reference, index: number): string {
  return `reference ${index + 1} (${ref.kind === 'file' ? ref.path : ref.url})`;
}

export function checkRunningHubReferences(references: readonly Reference[]): ReferenceLimitFacts[] {
  const provider = 'RunningHub';
  const problems: ReferenceLimitFacts[] = [];
  if (references.length > MAX_REFERENCES) problems.push({ provider, kind: 'count', count: references.length, max: MAX_REFERENCES });
  references.forEach((ref, i) => {
    const entry = describe(ref, i);
    if (ref.kind === 'url') {
      if (!/^https?:\/\//i.test(ref.url)) problems.push({ provider, kind: 'url-scheme', entry, httpsOnly: false });
      return;
    }
    if (!ACCEPTED_MIME.has(ref.mime)) problems.push({ provider, kind: 'mime', entry, mime: ref.mime, accepted: 'PNG or JPEG' });
    if (ref.bytes.length > MAX_REFERENCE_BYTES) problems.push({ provider, kind: 'bytes', entry, bytes: ref.bytes.length, max: MAX_REFERENCE_BYTES });
  });
  return problems;
}

export interface UploadTarget {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Uploaded files by content hash, shared by the jobs of one provider instance. */
export type UploadCache = Map<string, { readonly url: Promise<string>; readonly at: number }>;

/** The `imageUrls` entries for `references`: URLs as given, small files inline, large ones uploaded. */
export async function referenceUrls(
  references: readonly Reference[],
  target: UploadTarget,
  cache: UploadCache,
  ctx: ProviderContext,
): Promise<string[]> {
  const urls: string[] = [];
  for (const ref of references) {
    if (ref.kind === 'url') urls.push(ref.url);
    else if (ref.bytes.length <= INLINE_LIMIT_BYTES) urls.push(`data:${ref.mime};base64,${Buffer.from(ref.bytes).toString('base64')}`);
    else urls.push(await uploadOnce(ref, target, cache, ctx));
  }
  return urls;
}

function uploadOnce(ref: Extract<Reference, { kind: 'file' }>, target: UploadTarget, cache: UploadCache, ctx: ProviderContext): Promise<string> {
  const cached = cache.get(ref.sha256);
  if (cached && ctx.clock.now() - cached.at < UPLOAD_REUSE_MS) return cached.url;
  const url = upload(ref, target, ctx);
  cache.set(ref.sha256, { url, at: ctx.clock.now() });
  // A failed upload must not be handed to the next job.
  url.catch(() => cache.delete(ref.sha256));
  return url;
}

async function upload(ref: Extract<Reference, { kind: 'file' }>, target: UploadTarget, ctx: ProviderContext): Promise<string> {
  const ext = ref.mime === 'image/png' ? 'png' : 'jpg';
  // Uploading twice only costs storage, so the upload is retried like a read.
  return retrying(ctx, 'read', 3, undefined, async () => {
    // undici's own FormData: the client sends through undici, whose body types are its own.
    const { FormData } = await import('undici');
    const form = new FormData();
    form.append('file', new Blob([ref.bytes], { type: ref.mime }), `reference.${ext}`);
    const res = await ctx.http.request({
      method: 'POST',
      url: `${target.baseUrl}/media/upload/binary`,
      headers: target.headers,
      body: form,
      signal: ctx.signal,
      timeoutMs: requestTimeout(ctx, 120_000),
    });
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(res.body).toString('utf8'));
    } catch (cause) {
      const details = { ...classifyRunningHub(res.status, undefined, res.headers), category: 'transient' as const };
      throw runningHubError(details, { stage: 'upload', next: 'the answer was not JSON; retried', cause });
    }
    const data = (body as { data?: { download_url?: unknown } } | null)?.data;
    if (res.status < 300 && errorCodeOf(body) === undefined && typeof data?.download_url === 'string') return data.download_url;
    throw runningHubError(classifyRunningHub(res.status, body, res.headers), { stage: `upload of ${ref.path}`, body });
  });
}
