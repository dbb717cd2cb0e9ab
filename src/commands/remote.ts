import type { Claims } from '../cache/claims.js';
import { layerCache, type RemoteCache } from '../cache/layered.js';
import { parseCacheUrl } from '../cache/objects.js';
import type { ObjectStore } from '../cache/objects.js';
import { combineClaims, openRemoteClaims, probeConditionalWrites } from '../cache/remote-claims.js';
import type { CacheStore } from '../cache/store.js';
import type { Logger } from '../core/deps.js';

/**
 * Wires the remote cache when one is configured: the S3 module (and the AWS SDK) is imported only
 * here, only then. The store is probed once for conditional writes; without them, claims stay
 * local and the README's shard partitioning plus the workflow's `concurrency:` group keep runners
 * from paying twice.
 */

export interface RemoteSettings {
  readonly url: string;
  readonly endpoint?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tests inject a store (any ObjectStore); otherwise S3 through the AWS SDK. */
  readonly store?: ObjectStore;
}

export interface RemoteWiring {
  readonly cache: RemoteCache;
  readonly claims: Claims;
}

/** The configured store: the injected one, else S3 (the AWS SDK is imported now, not before). */
export async function openRemoteStore(remote: RemoteSettings): Promise<ObjectStore> {
  if (remote.store) return remote.store;
  const location = parseCacheUrl(remote.url);
  // Settings checked the URL already; a bad one here is a bug.
  if (!location) throw new Error(`not an s3:// cache URL: ${remote.url}`);
  const { openS3Store } = await import('../cache/s3.js');
  return openS3Store({ location, endpoint: remote.endpoint, env: remote.env });
}

export async function wireRemote(
  remote: RemoteSettings,
  local: CacheStore,
  localClaims: Claims,
  deps: { logger: Logger; pid: number; host: string; staleMs: number; now: () => number; sharded?: boolean; isAlive?: (pid: number) => boolean },
): Promise<RemoteWiring> {
  const store = await openRemoteStore(remote);
  const cache = layerCache(local, store, deps.logger);
  const probe = await probeConditionalWrites(store);
  if (probe === 'unavailable') {
    deps.logger.warn(`remote cache ${store.url} is unreachable; building with the local cache only`);
    return { cache: layerCache(local, store, deps.logger, { online: false }), claims: localClaims };
  }
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
