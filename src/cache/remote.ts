import type { Logger } from '../core/deps.js';
import { errorOf } from '../core/errors.js';
import type { Claims } from './claims.js';
import { layerCache, listRemoteKeys, type RemoteCache } from './layered.js';
import { parseCacheUrl, type ObjectStore } from './objects.js';
import { combineClaims, openRemoteClaims, probeConditionalWrites } from './remote-claims.js';
import { openCacheStore, type CacheStore } from './store.js';

/**
 * The cache of one command, opened once: the local store, and the remote store behind it when one
 * is configured. The S3 module (and the AWS SDK) is imported only when the remote is first used.
 * The remote is listed at most once per command, whoever asks first (a plan's estimate, a build's
 * reads); a build then probes it once for conditional writes: without them, claims stay local and
 * the README's shard partitioning plus the workflow's `concurrency:` group keep runners from paying twice.
 */

export interface RemoteSettings {
  readonly url: string;
  readonly endpoint?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tests inject a store (any ObjectStore); otherwise S3 through the AWS SDK. */
  readonly store?: ObjectStore;
}

export interface CacheStores {
  readonly local: CacheStore;
  readonly remote?: {
    readonly url: string;
    /** The store, opened on first use. */
    open(): Promise<ObjectStore>;
    /** Keys of the committed remote entries, from one paged listing made on first use; rejects when it cannot be listed. */
    keys(): Promise<ReadonlySet<string>>;
  };
}

export function openCacheStores(cacheDir: string, remote?: RemoteSettings): CacheStores {
  const local = openCacheStore(cacheDir);
  if (!remote) return { local };
  let store: Promise<ObjectStore> | undefined;
  let listing: Promise<ReadonlySet<string>> | undefined;
  const open = () => (store ??= openRemoteStore(remote));
  return { local, remote: { url: remote.url, open, keys: () => (listing ??= open().then(listRemoteKeys)) } };
}

/** The configured store: the injected one, else S3 (the AWS SDK is imported now, not before). */
async function openRemoteStore(remote: RemoteSettings): Promise<ObjectStore> {
  if (remote.store) return remote.store;
  const location = parseCacheUrl(remote.url);
  // Settings checked the URL already; a bad one here is a bug.
  if (!location) throw errorOf('E_INTERNAL', { said: `not an s3:// cache URL: ${remote.url}` });
  const { openS3Store } = await import('./s3.js');
  return openS3Store({ location, endpoint: remote.endpoint, env: remote.env });
}

/**
 * Whether a key is cached, for a plan: the local entry, else the remote's listing (made only on a
 * local miss; no request per key). Each key is looked at once however many campaigns share it. A
 * listing that fails is said once, and the counts are the local cache's.
 */
export function cachedLookup(stores: CacheStores, warn?: (message: string) => void): (key: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>();
  const { remote } = stores;
  let listed: Promise<ReadonlySet<string>> | undefined;
  const remoteKeys = (r: NonNullable<CacheStores['remote']>) =>
    (listed ??= r.keys().catch((err: unknown) => {
      warn?.(`remote cache ${r.url} could not be listed (${(err as Error)?.message ?? String(err)}); cached counts are the local cache's only`);
      return new Set<string>();
    }));
  const lookUp = async (key: string) => (await stores.local.peek(key)) !== undefined || (remote !== undefined && (await remoteKeys(remote)).has(key));
  return (key) => {
    let hit = seen.get(key);
    if (!hit) seen.set(key, (hit = lookUp(key)));
    return hit;
  };
}

export interface CacheWiring {
  readonly cache: CacheStore | RemoteCache;
  readonly claims: Claims;
}

/** A build's cache: the local store, or the remote behind it (probed, earlier uploads sent) with claims across machines where it can. */
export async function wireCache(
  stores: CacheStores,
  localClaims: Claims,
  deps: { logger: Logger; pid: number; host: string; staleMs: number; now: () => number; sharded?: boolean; isAlive?: (pid: number) => boolean },
): Promise<CacheWiring> {
  const { local, remote } = stores;
  if (!remote) return { cache: local, claims: localClaims };
  const store = await remote.open();
  const list = remote.keys;
  const probe = await probeConditionalWrites(store);
  if (probe === 'unavailable') {
    deps.logger.warn(`remote cache ${store.url} is unreachable; building with the local cache only`);
    return { cache: layerCache(local, store, deps.logger, { online: false, list }), claims: localClaims };
  }
  const cache = layerCache(local, store, deps.logger, { list });
  const sent = await cache.uploadPending();
  if (sent > 0) deps.logger.info(`uploaded ${sent} image(s) an earlier build kept locally`);
  if (probe === 'ignored') {
    deps.logger.warn(
      `remote cache ${store.url} ignores conditional writes (If-None-Match): no cross-machine claims; use --shard and a workflow concurrency group so runners do not build the same images`,
    );
    return { cache, claims: localClaims };
  }
  return { cache, claims: combineClaims(localClaims, openRemoteClaims(store, deps)) };
}
