/**
 * The remote cache's view of an object store: a flat namespace of immutable objects under one
 * prefix. `s3.ts` implements it over @aws-sdk/client-s3 (loaded only when a remote cache is set);
 * tests may inject any other implementation.
 */

export interface StoredObject {
  readonly body: Uint8Array;
  readonly etag?: string;
}

export interface PutCondition {
  /** Create only: the store answers 412 (here: false) when the object exists. */
  readonly ifNoneMatch?: '*';
  /** Replace only the version with this ETag (a claim taken over). */
  readonly ifMatch?: string;
}

export interface ObjectStore {
  /** Where it points, for messages (never credentials). */
  readonly url: string;
  get(name: string): Promise<StoredObject | undefined>;
  /** True when written; false when a condition failed (412). */
  put(name: string, body: Uint8Array | string, condition?: PutCondition): Promise<{ written: boolean; etag?: string }>;
  delete(name: string): Promise<void>;
  /** Every object name under `prefix` (relative to the store's own prefix), paged by the store. */
  list(prefix: string): Promise<string[]>;
}

export interface CacheUrl {
  readonly bucket: string;
  /** Without leading or trailing slashes; '' for the bucket root. */
  readonly prefix: string;
}

/** `s3://bucket/prefix` -> its parts; undefined when it is not such a URL. */
export function parseCacheUrl(url: string): CacheUrl | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m) return undefined;
  return { bucket: m[1] as string, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}
