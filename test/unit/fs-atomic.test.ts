import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepTempFiles, writeFileAtomic, writeFileAtomicSync } from '../../src/fs/atomic.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('pressroom-atomic-'));
});
afterEach(() => cleanup());

describe('writeFileAtomic', () => {
  it('creates missing folders, replaces the old file whole, and leaves no temporary file', async () => {
    const path = join(dir, 'a/b/file.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, new Uint8Array([110, 101, 119]));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['file.json']);
  });

  it('keeps the old file and cleans up when the rename fails', async () => {
    const path = join(dir, 'target');
    mkdirSync(path); // a folder where the file should go: rename refuses
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });

  it('sync twin does the same', () => {
    const path = join(dir, 'c/conf.xml');
    writeFileAtomicSync(path, '<x/>');
    writeFileAtomicSync(path, '<y/>');
    expect(readFileSync(path, 'utf8')).toBe('<y/>');
    expect(readdirSync(join(dir, 'c'))).toEqual(['conf.xml']);
    mkdirSync(join(dir, 'd'));
    expect(() => writeFileAtomicSync(join(dir, 'd'), 'x')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['c', 'd']);
  });
});

describe('sweepTempFiles', () => {
  it('removes temporary files at any depth and nothing else; counts them', async () => {
    mkdirSync(join(dir, 'deep/er'), { recursive: true });
    writeFileSync(join(dir, '.a.png.pressroom-tmp-999999999-0123456789ab'), 'x');
    writeFileSync(join(dir, 'deep/er/.m.json.pressroom-tmp-999999999-ffffffffffff'), 'x');
    writeFileSync(join(dir, 'deep/keep.png'), 'x');
    expect(await sweepTempFiles(dir, () => false)).toBe(2);
    expect(readdirSync(dir, { recursive: true }).map(String).sort()).toEqual(['deep', 'deep/er', 'deep/keep.png']);
  });

  it('returns 0 for a folder that does not exist', async () => {
    expect(await sweepTempFiles(join(dir, 'missing'))).toBe(0);
  });
});
