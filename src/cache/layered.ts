import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/deps.js';
import { sha256Hex } from '../core/hash.js';
import type { ObjectStore } from './objects.js';
import type { CacheMeta, CacheStore, NewEntry } from './store.js';

/**
 * The local cache in front of a remote object store: reads go local first and fill the local cache
 * from the remote (read-through); writes land locally first, then upload (write-back). Remote
 * entries are `objects/<key>.img` then `objects/<key>.json`, the metadata last as the commit
 * marker, both immutable; the bytes are checked against the hash in the metadata on every read.
 * Any remote failure (5xx, 403, timeout, unreachable) turns the remote off for the rest of the
 * build with one warning: the build goes on locally. An image the remote did not take is marked
 * under `upload-pending/` and uploaded by the next build, so nothing paid for is only local forever.
 */

export interface RemoteCache extends CacheStore {
  /** Uploads what earlier builds could not; returns how many went up. */
  uploadPending(): Promise<number>;
  /** Whether the remote is still in use (false after a failure). */
  readonly online: boolean;
}

const imgName = (key: string) => `objects/${key}.img`;

/** The keys of the committed remote entries (their metadata markers), from one paged listing. */
export async function listRemoteKeys(remote: ObjectStore): Promise<Set<string>> {
  const names = await remote.list('objects/');
  return new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice('objects/'.length, -'.json'.length)));
}

const metaName = (key: string) => `objects/${key}.json`;

/**
 * `online: false`: the store was found down at start-up (already said); keep everything for later.
 * `list`: the command's one listing of the store, when something else may have made it already.
 */
export function layerCache(local: CacheStore, remote: ObjectStore, logger: Logger, options: { online?: boolean; list?: () => Promise<ReadonlySet<string>> } = {}): RemoteCache {
  const pendingDir = join(local.dir, 'upload-pending');
  let online = options.online ?? true;
  let listing: Promise<ReadonlySet<string> | undefined> | undefined;
  const list = options.list ?? (() => listRemoteKeys(remote));

  function degrade(op: string, err: unknown): undefined {
    if (online) {
      online = false;
      logger.warn(`remote cache ${remote.url} failed (${op}: ${(err as Error).message}); continuing with the local cache only, uploads resume on the next build`);
    }
    return undefined;
  }

  async function guarded<T>(op: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (!online) return undefined;
    try {
      return await fn();
    } catch (err) {
      return degrade(op, err);
    }
  }

  /** One listing instead of a HEAD per key: which entries the remote had when this build began. */
  const remoteKeys = () => (listing ??= guarded('list', list));

  async function fetchRemote(key: string): Promise<{ meta: CacheMeta; bytes: Uint8Array } | undefined> {
    return guarded('get', async () => {
      const metaObject = await remote.get(metaName(key));
      if (!metaObject) return undefined;
      let meta: CacheMeta;
      try {
        meta = JSON.parse(Buffer.from(metaObject.body).toString('utf8')) as CacheMeta;
      } catch {
        return undefined; // a corrupt marker is a miss
      }
      if (meta.key !== key) return undefined;
      const image = await remote.get(imgName(key));
      if (!image || image.body.length !== meta.bytes || sha256Hex(image.body) !== meta.sha256) {
        logger.warn(`remote cache entry ${key.slice(0, 12)} does not match its hash; treated as a miss`);
        return undefined;
      }
      return { meta, bytes: image.body };
    });
  }

  async function upload(meta: CacheMeta, bytes: Uint8Array): Promise<boolean> {
    const done = await guarded('put', async () => {
      // The hash was checked when the local entry was written; the marker goes last.
      await remote.put(imgName(meta.key), bytes);
      await remote.put(metaName(meta.key), `${JSON.stringify(meta, null, 2)}\n`);
      return true;
    });
    return done === true;
  }

  const entryOf = (meta: CacheMeta): NewEntry => ({ key: meta.key, provider: meta.provider, model: meta.model, taskId: meta.taskId, cost: meta.cost, seed: meta.seed });

  return {
    dir: local.dir,
    get online() {
      return online;
    },
    async peek(key) {
      const meta = await local.peek(key);
      if (meta) return meta;
      const keys = await remoteKeys();
      if (!keys?.has(key)) return undefined;
      const found = await guarded('get', async () => remote.get(metaName(key)));
      if (!found) return undefined;
      try {
        return JSON.parse(Buffer.from(found.body).toString('utf8')) as CacheMeta;
      } catch {
        return undefined;
      }
    },
    async read(key) {
      const hit = await local.read(key);
      if (hit) return hit;
      const fetched = await fetchRemote(key);
      if (!fetched) return undefined;
      // Filled locally so the next build, and this build's other readers, stay off the network.
      const meta = await local.write(entryOf(fetched.meta), fetched.bytes);
      return { meta, bytes: fetched.bytes };
    },
    async write(entry, bytes) {
      const meta = await local.write(entry, bytes);
      if (!(await upload(meta, bytes))) {
        await mkdir(pendingDir, { recursive: true });
        await writeFile(join(pendingDir, meta.key), '');
      }
      return meta;
    },
    async uploadPending() {
      const keys = await readdir(pendingDir).catch(() => [] as string[]);
      let sent = 0;
      for (const key of keys) {
        if (!online) break;
        const entry = await local.read(key);
        if (entry && !(await upload(entry.meta, entry.bytes))) break;
        await rm(join(pendingDir, key), { force: true });
        if (entry) sent++;
      }
      return sent;
    },
  };
}
