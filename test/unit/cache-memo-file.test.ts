import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoFile } from '../../src/cache/memo-file.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-memo-')));
afterEach(() => cleanup());

describe('memo file', () => {
  it('keeps what was put for the next run, and writes only when something was added', async () => {
    const path = join(dir, 'fits', 'c.json');
    const one = await openMemoFile(path);
    expect(one.get('a')).toBeUndefined();
    one.put('a', [1, 2]);
    await one.save();
    const two = await openMemoFile(path);
    expect(two.get('a')).toEqual([1, 2]);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, before.replace('"format":1', '"format":1 '));
    await two.save();
    // Nothing added: the file is as it was (here: with the space).
    expect(readFileSync(path, 'utf8')).toContain('"format":1 ');
  });

  it('is empty when its file is missing, damaged or of another format, and the next save replaces it', async () => {
    const path = join(dir, 'm.json');
    for (const text of ['{', '[]', '{"format":2,"entries":{"a":1}}', '{"format":1,"entries":[1]}', '']) {
      writeFileSync(path, text);
      const memo = await openMemoFile(path);
      expect(memo.get('a'), text).toBeUndefined();
    }
    const memo = await openMemoFile(join(dir, 'none.json'));
    memo.put('b', 'x');
    await memo.save();
    expect(JSON.parse(readFileSync(join(dir, 'none.json'), 'utf8'))).toEqual({ format: 1, entries: { b: 'x' } });
  });

  it('an unwritable place is not an error: the memo is best effort', async () => {
    writeFileSync(join(dir, 'file'), 'a file where a folder should be');
    const memo = await openMemoFile(join(dir, 'file', 'm.json'));
    memo.put('a', 1);
    await expect(memo.save()).resolves.toBeUndefined();
    expect(existsSync(join(dir, 'file', 'm.json'))).toBe(false);
  });

  it('past its cap, keeps only the entries this run asked for or added', async () => {
    const path = join(dir, 'capped.json');
    const one = await openMemoFile(path, 2);
    for (const k of ['a', 'b']) one.put(k, k);
    await one.save();
    const two = await openMemoFile(path, 2);
    expect(two.get('a')).toBe('a');
    two.put('c', 'c');
    await two.save();
    // Three entries, cap two: 'b', not asked for this run, went.
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { entries: object }).entries).sort()).toEqual(['a', 'c']);
  });
});
