import type { CacheUrl, ObjectStore } from './objects.js';

/**
 * An ObjectStore over @aws-sdk/client-s3. The SDK is imported here, dynamically, and this module
 * itself is imported only when a remote cache is configured: a local build never loads it.
 */

export interface S3Options {
  readonly location: CacheUrl;
  /** Non-AWS stores (R2, MinIO, Ceph...): their endpoint; path-style addressing is used then. */
  readonly endpoint?: string;
  /** The environment the standard AWS variables are read from (region, keys, endpoint). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Per request: a slow store degrades to the local cache rather than stalling the build. */
  readonly requestTimeoutMs?: number;
  /** Pages one listing may take before it is given up as endless. */
  readonly maxListPages?: number;
}

/** 10,000 pages of 1,000 names: ten million objects, five times the million-cell cache of docs/scale.md. */
export const MAX_LIST_PAGES = 10_000;

export class RemoteStoreError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export async function openS3Store(options: S3Options): Promise<ObjectStore> {
  const s3 = await import('@aws-sdk/client-s3');
  const { env, location } = options;
  const endpoint = options.endpoint ?? env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  const keyId = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  const client = new s3.S3Client({
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // From Settings.env (which includes .env), not the SDK's own reading of process.env.
    ...(keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret, sessionToken: env['AWS_SESSION_TOKEN'] } } : {}),
    // One retry: the cache layer degrades on failure, a build never waits on a sick store.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000 },
  });
  // The handler's own requestTimeout is an idle-socket timeout that a trickling or late answer
  // defeats: each request, retries included, gets one deadline of its own.
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const deadline = () => ({ abortSignal: AbortSignal.timeout(timeoutMs) });
  const base = location.prefix ? `${location.prefix}/` : '';
  const url = `s3://${location.bucket}/${location.prefix}`;

  const fail = (op: string, name: string, err: unknown): never => {
    const status = statusOf(err);
    // The SDK's message never carries credentials; the key name is a content hash.
    throw new RemoteStoreError(`${op} ${url}/${name}: ${status ? `HTTP ${status}` : (err as Error).name ?? 'error'}`, status);
  };

  return {
    url,
    async get(name) {
      try {
        const out = await client.send(new s3.GetObjectCommand({ Bucket: location.bucket, Key: base + name }), deadline());
        const body = await out.Body?.transformToByteArray();
        return body ? { body, etag: out.ETag } : undefined;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        return fail('GET', name, err);
      }
    },
    async put(name, body, condition) {
      try {
        const out = await client.send(
          new s3.PutObjectCommand({
            Bucket: location.bucket,
            Key: base + name,
            Body: typeof body === 'string' ? Buffer.from(body) : body,
            ...(condition?.ifNoneMatch ? { IfNoneMatch: condition.ifNoneMatch } : {}),
            ...(condition?.ifMatch ? { IfMatch: condition.ifMatch } : {}),
          }),
          deadline(),
        );
        return { written: true, etag: out.ETag };
      } catch (err) {
        const status = statusOf(err);
        if (condition && (status === 412 || status === 409)) return { written: false };
        return fail('PUT', name, err);
      }
    },
    async delete(name) {
      try {
        await client.send(new s3.DeleteObjectCommand({ Bucket: location.bucket, Key: base + name }), deadline());
      } catch (err) {
        if (statusOf(err) !== 404) fail('DELETE', name, err);
      }
    },
    async list(prefix) {
      const names: string[] = [];
      // A store that answers "truncated" forever (the same token, tokens in a cycle, or new ones
      // without end) would hold `plan` in a loop: a token seen before, or too many pages, ends it.
      const seen = new Set<string>();
      const maxPages = options.maxListPages ?? MAX_LIST_PAGES;
      const endless = (why: string) => new RemoteStoreError(`LIST ${url}/${prefix}: ${why}; the listing was given up`);
      let token: string | undefined;
      for (let page = 1; ; page++) {
        let out;
        try {
          out = await client.send(new s3.ListObjectsV2Command({ Bucket: location.bucket, Prefix: base + prefix, ContinuationToken: token }), deadline());
        } catch (err) {
          return fail('LIST', prefix, err);
        }
        for (const o of out.Contents ?? []) if (o.Key) names.push(o.Key.slice(base.length));
        if (!out.IsTruncated) return names;
        token = out.NextContinuationToken;
        if (!token) throw endless(`page ${page} says there is more but gives no continuation token`);
        if (seen.has(token)) throw endless(`page ${page} hands back a continuation token the store gave before (an endless listing)`);
        if (page >= maxPages) throw endless(`still truncated after ${maxPages} pages`);
        seen.add(token);
      }
    },
  };
}
