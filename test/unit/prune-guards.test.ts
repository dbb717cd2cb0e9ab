import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keysInUse, listCacheObjects, planPrune, removeCacheObjects, type CacheObject, type KeepReason } from '../../src/cache/prune.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `pressroom prune` deletes paid-for images: which files count as cache entries, which keys a
 * running build still needs, and what a size limit lets go (the oldest unreferenced first, never
 * one with a reason to stay).
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const key = (c: string) => c.repeat(32);
/** An entry of `bytes` bytes (image plus marker), last written at `mtimeMs`. */
function entry(k: string, imageBytes: number, mtimeMs: number, files: ('img' | 'json')[] = ['img', 'json']) {
  const folder = join(dir, 'objects', k.slice(0, 2));
  mkdirSync(folder, { recursive: true });
  for (const ext of files) {
    const file = join(folder, `${k}.${ext}`);
    writeFileSync(file, Buffer.alloc(ext === 'img' ? imageBytes : 10));
    utimesSync(file, new Date(mtimeMs), new Date(mtimeMs));
  }
}

describe('listCacheObjects', () => {
  it('lists each entry once with the size of its files and its newest mtime; anything else under objects/ is not an entry', async () => {
    entry(key('a1'), 100, 1_000_000);
    entry(key('b2'), 50, 2_000_000, ['img']);
    utimesSync(join(dir, 'objects', 'a1', `${key('a1')}.json`), new Date(3_000_000), new Date(3_000_000));
    writeFileSync(join(dir, 'objects', 'a1', 'notes.txt'), 'a user file');
    writeFileSync(join(dir, 'objects', 'a1', `.${key('a1')}.img.pressroom-tmp-1-aaaaaaaaaaaa`), 'partial');
    writeFileSync(join(dir, 'objects', 'a1', 'abc.img'), 'a short name');
    mkdirSync(join(dir, 'objects', 'a1', `${key('c3')}.img`));
    const objects = await listCacheObjects(dir);
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    expect(Object.keys(byKey).sort()).toEqual([key('a1'), key('b2')]);
    expect(byKey[key('a1')]).toMatchObject({ bytes: 110, mtimeMs: 3_000_000 });
    expect([...byKey[key('a1')]!.files].sort()).toEqual([`${key('a1')}.img`, `${key('a1')}.json`].map((n) => join(dir, 'objects', 'a1', n)));
    expect(byKey[key('b2')]).toMatchObject({ bytes: 50, mtimeMs: 2_000_000 });
  });

  it('an empty or missing cache has no entries', async () => {
    expect(await listCacheObjects(join(dir, 'nowhere'))).toEqual([]);
  });
});

describe('keysInUse', () => {
  it('a key is in use while it has a claim (or a take-over marker) or any journal names it, the legacy journal too', async () => {
    mkdirSync(join(dir, 'claims'), { recursive: true });
    writeFileSync(join(dir, 'claims', `${key('a1')}.claim`), '{}');
    writeFileSync(join(dir, 'claims', `${key('b2')}.claim.takeover-123`), '');
    mkdirSync(join(dir, 'journal'), { recursive: true });
    writeFileSync(join(dir, 'journal', '1-ab@h.jsonl'), `{"k":"${key('c3')}","e":"submitted","p":"runware","t":"t1"}\n`);
    writeFileSync(join(dir, 'journal.jsonl'), `{"k":"${key('d4')}","e":"submitting","p":"runware"}\n`);
    const inUse = await keysInUse(dir);
    expect([key('a1'), key('b2'), key('c3'), key('d4')].map(inUse)).toEqual([true, true, true, true]);
    expect(inUse(key('e5'))).toBe(false);
  });

  it('nothing is in use in a cache without claims or journals', async () => {
    expect((await keysInUse(dir))(key('a1'))).toBe(false);
  });
});

describe('planPrune', () => {
  const obj = (c: string, bytes: number, mtimeMs: number): CacheObject => ({ key: key(c), bytes, mtimeMs, files: [] });
  const objects = [obj('a1', 100, 3), obj('b2', 100, 1), obj('c3', 100, 2), obj('d4', 100, 0), obj('e5', 100, 4)];
  const reasons: Record<string, KeepReason> = { [key('d4')]: 'in-use', [key('e5')]: 'referenced' };
  const why = (k: string) => reasons[k];
  const keys = (list: readonly CacheObject[]) => list.map((o) => o.key);

  it('without a limit removes every entry without a reason to stay, and tallies what stays by reason', () => {
    const plan = planPrune(objects, why);
    expect(keys(plan.remove).sort()).toEqual([key('a1'), key('b2'), key('c3')]);
    expect(keys(plan.keep).sort()).toEqual([key('d4'), key('e5')]);
    expect(plan.keptBecause).toEqual({
      referenced: { entries: 1, bytes: 100 },
      delivered: { entries: 0, bytes: 0 },
      approved: { entries: 0, bytes: 0 },
      'in-use': { entries: 1, bytes: 100 },
      unreferenced: { entries: 0, bytes: 0 },
    });
  });

  it('with a limit removes the oldest unreferenced entries until the cache fits, exactly at the limit included', () => {
    const plan = planPrune(objects, why, 300);
    expect(keys(plan.remove)).toEqual([key('b2'), key('c3')]);
    expect(plan.keptBecause.unreferenced).toEqual({ entries: 1, bytes: 100 });
    expect(keys(planPrune(objects, why, 301).remove)).toEqual([key('b2'), key('c3')]);
    expect(keys(planPrune(objects, why, 299).remove)).toEqual([key('b2'), key('c3'), key('a1')]);
    expect(planPrune(objects, why, 500).remove).toEqual([]);
  });

  it('never removes an entry with a reason to stay, however far over the limit that leaves the cache', () => {
    const plan = planPrune(objects, why, 0);
    expect(keys(plan.remove).sort()).toEqual([key('a1'), key('b2'), key('c3')]);
    expect(keys(plan.keep).sort()).toEqual([key('d4'), key('e5')]);
  });
});

describe('removeCacheObjects', () => {
  it('removes exactly the files of the entries given, a file already gone included', async () => {
    entry(key('a1'), 10, 1_000);
    entry(key('b2'), 10, 1_000);
    const [a] = (await listCacheObjects(dir)).filter((o) => o.key === key('a1'));
    await removeCacheObjects([{ ...a!, files: [...a!.files, join(dir, 'objects', 'a1', `${key('a1')}.gone`)] }]);
    expect(readdirSync(join(dir, 'objects', 'a1'))).toEqual([]);
    expect(readdirSync(join(dir, 'objects', 'b2')).sort()).toEqual([`${key('b2')}.img`, `${key('b2')}.json`]);
  });
});
