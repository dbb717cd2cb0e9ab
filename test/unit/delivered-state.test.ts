import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeliveredState, writeDeliveredState } from '../../src/post/delivered-state.js';
import { tempDir } from '../helpers/tmp.js';

/** The stamps a build leaves in the cache folder for the next one: what it reads back, in which formats. */
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pressroom-state-')));
afterEach(() => cleanup());

const stamps = new Map([
  ['fr-FR/hero-square.jpg', { size: 2048, mtimeMs: 1_700_000_000_123.456 }],
  ['en-US/hero-square.jpg', { size: 1024, mtimeMs: 1_700_000_000_000 }],
]);

describe('delivered state', () => {
  it('reads back what it wrote, the finish record included, as rows sorted by file', async () => {
    const path = join(dir, 'delivered', 'demo.json');
    const finish = { digest: 'd'.repeat(64), files: new Map([['manifest.json', { size: 10, mtimeMs: 5 }]]) };
    await writeDeliveredState(path, { stamps, finish });
    expect(await readDeliveredState(path)).toEqual({ stamps, finish });
    const json = JSON.parse(readFileSync(path, 'utf8')) as { v: number; files: unknown[] };
    expect(json.v).toBe(3);
    expect(json.files).toEqual([
      ['en-US/hero-square.jpg', 1024, 1_700_000_000_000],
      ['fr-FR/hero-square.jpg', 2048, 1_700_000_000_123.456],
    ]);
  });

  it('reads the format before it (files keyed by name), so an upgrade rehashes nothing', async () => {
    const path = join(dir, 'v2.json');
    writeFileSync(path, JSON.stringify({ v: 2, files: { 'en-US/hero-square.jpg': [1024, 1_700_000_000_000] }, finish: { digest: 'x', files: { 'index.html': [3, 4] } } }));
    const state = await readDeliveredState(path);
    expect(state.stamps).toEqual(new Map([['en-US/hero-square.jpg', { size: 1024, mtimeMs: 1_700_000_000_000 }]]));
    expect(state.finish).toEqual({ digest: 'x', files: new Map([['index.html', { size: 3, mtimeMs: 4 }]]) });
  });

  it('is empty for another version, a damaged file or none, and skips rows that are not stamps', async () => {
    const path = join(dir, 's.json');
    for (const text of ['{', JSON.stringify({ v: 1, files: {} }), JSON.stringify({ v: 3, files: null }), '']) {
      writeFileSync(path, text);
      expect((await readDeliveredState(path)).stamps.size, text).toBe(0);
    }
    expect((await readDeliveredState(join(dir, 'none.json'))).stamps.size).toBe(0);
    writeFileSync(path, JSON.stringify({ v: 3, files: [['a.jpg', 1, 2], ['b.jpg', '1', 2], [3, 1, 2], 'c.jpg', ['d.jpg', 1]] }));
    expect([...(await readDeliveredState(path)).stamps.keys()]).toEqual(['a.jpg']);
  });

  it('leaves the file as it is when the stamps are the same (a no-op writes nothing)', async () => {
    const path = join(dir, 'same.json');
    await writeDeliveredState(path, { stamps });
    const before = statSync(path);
    await writeDeliveredState(path, { stamps: new Map([...stamps].reverse()) });
    expect(statSync(path).ino).toBe(before.ino);
    await writeDeliveredState(path, { stamps: new Map([['en-US/hero-square.jpg', { size: 1, mtimeMs: 1 }]]) });
    expect(statSync(path).ino).not.toBe(before.ino);
  });
});
