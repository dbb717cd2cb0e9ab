import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheRejectedError, openCacheStore, type FileWriter } from '../../src/cache/store.js';
import { writeFileAtomic } from '../../src/fs/atomic.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const entry = (key: string) => ({ key, provider: 'runware' as const, model: 'seedream-4.5' as const, taskId: 't1', cost: 0.04 });
const key = 'ab'.repeat(32);

describe('cache store', () => {
  it('stores image bytes with their decoded size and reads them back verified', async () => {
    const store = openCacheStore(dir);
    const png = await makeImage(64, 48);
    const meta = await store.write(entry(key), png);
    expect(meta).toMatchObject({ width: 64, height: 48, format: 'png', bytes: png.length, cost: 0.04 });
    const hit = await store.read(key);
    expect(Buffer.from(hit!.bytes).equals(png)).toBe(true);
    expect(await store.peek(key)).toEqual(meta);
  });

  it('refuses bytes that are not an image and stores nothing', async () => {
    const store = openCacheStore(dir);
    await expect(store.write(entry(key), new TextEncoder().encode('<html>expired</html>'))).rejects.toBeInstanceOf(CacheRejectedError);
    expect(await store.peek(key)).toBeUndefined();
  });

  it('treats a truncated or edited entry as a miss and drops it', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(key), await makeImage(64, 48));
    const image = join(dir, 'objects', key.slice(0, 2), `${key}.img`);
    const bytes = readFileSync(image);
    writeFileSync(image, bytes.subarray(0, bytes.length - 10));
    expect(await store.read(key)).toBeUndefined();
    expect(await store.peek(key)).toBeUndefined();
  });

  it('leaves no temporary files behind', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(key), await makeImage(8, 8));
    const files = readdirSync(join(dir, 'objects', key.slice(0, 2)));
    expect(files.sort()).toEqual([`${key}.img`, `${key}.json`]);
  });

  it('stores no secrets: only the fields it is given', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(key), await makeImage(8, 8));
    const meta = readFileSync(join(dir, 'objects', key.slice(0, 2), `${key}.json`), 'utf8');
    expect(Object.keys(JSON.parse(meta)).sort()).toEqual(['bytes', 'cost', 'format', 'height', 'key', 'model', 'provider', 'sha256', 'taskId', 'width']);
  });

  it('treats an image edited at the same length as a miss and drops it', async () => {
    const store = openCacheStore(dir);
    await store.write(entry(key), await makeImage(64, 48));
    const image = join(dir, 'objects', key.slice(0, 2), `${key}.img`);
    const bytes = readFileSync(image);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    writeFileSync(image, bytes);
    expect(await store.read(key)).toBeUndefined();
    expect(await store.peek(key)).toBeUndefined();
  });

  it('writes the commit marker after the image: a failure in between leaves no committed entry', async () => {
    const written: string[] = [];
    const failOnMarker: FileWriter = async (path, data) => {
      if (path.endsWith('.json')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      written.push(path);
      await writeFileAtomic(path, data);
    };
    const store = openCacheStore(dir, failOnMarker);
    await expect(store.write(entry(key), await makeImage(8, 8))).rejects.toThrow(/ENOSPC/);
    expect(written).toEqual([join(dir, 'objects', key.slice(0, 2), `${key}.img`)]);
    expect(await store.peek(key)).toBeUndefined();
    expect(await openCacheStore(dir).read(key)).toBeUndefined();
  });

  it('writes no marker when the image itself could not be written', async () => {
    const attempted: string[] = [];
    const failOnImage: FileWriter = async (path) => {
      attempted.push(path);
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    };
    await expect(openCacheStore(dir, failOnImage).write(entry(key), await makeImage(8, 8))).rejects.toThrow(/EIO/);
    expect(attempted.every((p) => p.endsWith('.img'))).toBe(true);
    expect(await openCacheStore(dir).peek(key)).toBeUndefined();
  });
});
