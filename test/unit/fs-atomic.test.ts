import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, sweepTempFiles, writeFileAtomic } from '../../src/fs/atomic.js';
import { tempDir } from '../helpers/tmp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const ENOSPC = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

/** The real file system, recording every path opened, with one step made to fail like a full disk. */
function faultyFs(fail: 'write' | 'sync' | 'close' | 'rename' | 'none', opened: string[] = []): AtomicWriteFs {
  return {
    mkdir,
    rm,
    async open(path, flags) {
      opened.push(path);
      const handle = await open(path, flags);
      return {
        async writeFile(data) {
          if (fail === 'write') {
            await handle.writeFile(typeof data === 'string' ? data.slice(0, 3) : data.subarray(0, 3)); // a partial write first
            throw ENOSPC();
          }
          await handle.writeFile(data);
        },
        async sync() {
          if (fail === 'sync') throw ENOSPC();
          await handle.sync();
        },
        async close() {
          await handle.close();
          if (fail === 'close') throw ENOSPC();
        },
      };
    },
    async rename(from, to) {
      if (fail === 'rename') throw ENOSPC();
      await rename(from, to);
    },
  };
}

describe('writeFileAtomic', () => {
  it('says why a folder cannot be made: a read-only disk, not the ENOENT a recursive mkdir reports', async () => {
    const EROFS = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    const readOnly: AtomicWriteFs = {
      rm,
      rename,
      open,
      // What Node does on a read-only mount: the recursive call hides the reason.
      mkdir: async (path, options) => {
        if (existsSync(path)) return options.recursive ? undefined : Promise.reject(Object.assign(new Error('EEXIST'), { code: 'EEXIST' }));
        throw options.recursive ? Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${path}'`), { code: 'ENOENT' }) : EROFS;
      },
    };
    await expect(writeFileAtomic(join(dir, 'objects/5e/key.img'), 'x', readOnly)).rejects.toMatchObject({ code: 'EROFS' });
  });

  it('creates missing folders, replaces the old file whole, and leaves no temporary file', async () => {
    const path = join(dir, 'a/b/file.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, new Uint8Array([110, 101, 119]));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['file.json']);
  });

  it('writes text given in parts one after another, and keeps the old file whole when a part fails', async () => {
    const path = join(dir, 'parts.json');
    await writeFileAtomic(path, ['{"a":', '[1,2]', '}']);
    expect(readFileSync(path, 'utf8')).toBe('{"a":[1,2]}');
    const failing = (function* () {
      yield 'half of a new file';
      throw ENOSPC();
    })();
    await expect(writeFileAtomic(path, failing)).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(path, 'utf8')).toBe('{"a":[1,2]}');
    expect(readdirSync(dir)).toEqual(['parts.json']);
  });

  it('keeps the old file and cleans up when the rename fails', async () => {
    const path = join(dir, 'target');
    mkdirSync(path); // a folder where the file should go: rename refuses
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });

  it.each(['write', 'sync', 'close', 'rename'] as const)('a failing %s leaves the old file whole and no temporary file', async (step) => {
    const target = join(dir, 'entry.json');
    writeFileSync(target, 'old content');
    await expect(writeFileAtomic(target, 'new content, longer', faultyFs(step))).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(target, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['entry.json']);
  });

  it('a failure on a new file leaves no file at all', async () => {
    const target = join(dir, 'sub', 'new.img');
    await expect(writeFileAtomic(target, new Uint8Array(1000), faultyFs('write'))).rejects.toThrow(/ENOSPC/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });

  it('never opens the target itself, only a temporary file beside it', async () => {
    const target = join(dir, 'entry.json');
    const opened: string[] = [];
    await writeFileAtomic(target, 'content', faultyFs('none', opened));
    expect(opened).toHaveLength(1);
    expect(opened[0]).not.toBe(target);
    expect(basename(opened[0]!)).toMatch(/^\.entry\.json\.pressroom-tmp-\d+-[0-9a-f]{12}$/);
    expect(readFileSync(target, 'utf8')).toBe('content');
  });

  it('a process killed mid-write leaves the old file or the new one, never a mix', async () => {
    const target = join(dir, 'big.bin');
    const size = 4 * 1024 * 1024;
    writeFileSync(target, Buffer.alloc(size, 'a'));
    const atomic = fileURLToPath(new URL('../../dist/fs/atomic.js', import.meta.url));
    // Rewrites the file over and over, alternating two contents, and says when each write is done.
    const script = `const { writeFileAtomic } = await import(${JSON.stringify(atomic)});
      const bufs = [Buffer.alloc(${size}, 'b'), Buffer.alloc(${size}, 'a')];
      for (let i = 0; ; i++) { await writeFileAtomic(${JSON.stringify(target)}, bufs[i % 2]); process.stdout.write('.'); }`;
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Killed while writing again after `round + 1` writes: when, in counted writes, not in milliseconds.
      let done = 0;
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => (done += d.length) > round && resolve()));
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const bytes = readFileSync(target);
      expect(bytes.length).toBe(size);
      const first = bytes[0]!;
      expect(bytes.every((b) => b === first)).toBe(true);
    }
  });
});

describe('sweepTempFiles', () => {
  it("removes a dead writer's temporary files and leaves a live build's alone", async () => {
    mkdirSync(join(dir, 'objects', 'ab'), { recursive: true });
    writeFileSync(join(dir, 'objects', 'ab', '.k.img.pressroom-tmp-111-aaaaaaaaaaaa'), 'dead writer');
    writeFileSync(join(dir, 'objects', 'ab', '.k2.img.pressroom-tmp-222-bbbbbbbbbbbb'), 'live build mid-write');
    writeFileSync(join(dir, 'k3.json.tmp-cccc'), "another tool's file");
    writeFileSync(join(dir, 'k4.json'), 'a committed file');
    expect(await sweepTempFiles(dir, (pid) => pid === 222)).toBe(1);
    const left = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.'));
    expect(left.sort()).toEqual(['k3.json.tmp-cccc', 'k4.json', join('objects', 'ab', '.k2.img.pressroom-tmp-222-bbbbbbbbbbbb')].sort());
  });

  it('names temporary files after the writing process, so a sweep can tell', async () => {
    const seen: string[] = [];
    const fs = faultyFs('none', seen);
    await writeFileAtomic(join(dir, 'a.txt'), 'x', fs);
    expect(seen[0]).toMatch(new RegExp(`\\.a\\.txt\\.pressroom-tmp-${process.pid}-[0-9a-f]{12}$`));
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

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
