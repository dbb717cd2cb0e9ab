import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, sweepTempFiles, writeFileAtomic } from '../../src/fs/atomic.js';
import { pidAlive } from '../../src/fs/liveness.js';
import { checkWritableFolder, linkProblem } from '../../src/fs/preflight.js';
import { asWriteError, WriteError, writeOutputFile } from '../../src/fs/write-error.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The file-system guards, each through its public function: what a write may create, what a sweep
 * may delete, which folders a build may write to, and which failures count as a file not written.
 * Codes and effects on disk are asserted, never message words.
 */

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('writeFileAtomic makes only the folders on the way to its target', () => {
  it('a folder that cannot be made for any reason but ENOENT stops the write: nothing is written', async () => {
    const target = join(dir, 'a', 'b', 'file.txt');
    // Only the recursive call fails: one folder at a time would succeed, and must not be tried.
    const fs: AtomicWriteFs = { open, rename, rm, mkdir: async (path, options) => (options.recursive ? Promise.reject(errno('EIO')) : mkdir(path, options)) };
    await expect(writeFileAtomic(target, 'data', fs)).rejects.toMatchObject({ code: 'EIO' });
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('after an ENOENT it makes each folder from the root down to the target, and no other', async () => {
    const target = join(dir, 'a', 'b', 'file.txt');
    const made: string[] = [];
    const fs: AtomicWriteFs = {
      open,
      rename,
      rm,
      mkdir: async (path, options) => {
        if (options.recursive) throw errno('ENOENT');
        made.push(path);
        return mkdir(path, options);
      },
    };
    await writeFileAtomic(target, 'data', fs);
    expect(readFileSync(target, 'utf8')).toBe('data');
    expect(made.at(-1)).toBe(dirname(target));
    // Every folder tried lies on the way to the target: nothing made beside it, nor in the cwd.
    for (const path of made) expect(`${dirname(target)}${sep}`.startsWith(`${path === sep ? '' : path}${sep}`)).toBe(true);
  });
});

describe('sweepTempFiles deletes only files', () => {
  it('a folder or a link named like a dead writer\'s temporary file is left alone, and what the link points to', async () => {
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'not ours');
    const swept = join(dir, 'cache');
    mkdirSync(join(swept, '.k.img.pressroom-tmp-111-aaaaaaaaaaaa'), { recursive: true });
    writeFileSync(join(swept, '.k.img.pressroom-tmp-111-aaaaaaaaaaaa', 'inside'), 'x');
    symlinkSync(outside, join(swept, '.k.json.pressroom-tmp-111-bbbbbbbbbbbb'));
    writeFileSync(join(swept, '.k2.img.pressroom-tmp-111-cccccccccccc'), 'a dead writer\'s file');
    expect(await sweepTempFiles(swept, () => false)).toBe(1);
    expect(readdirSync(swept).sort()).toEqual(['.k.img.pressroom-tmp-111-aaaaaaaaaaaa', '.k.json.pressroom-tmp-111-bbbbbbbbbbbb']);
    expect(readFileSync(outside, 'utf8')).toBe('not ours');
  });
});

describe('pidAlive', () => {
  it('is true for a running process (also one of another user) and false once it has exited', async () => {
    expect(pidAlive(process.pid)).toBe(true);
    // pid 1 runs always; as a normal user kill(1, 0) answers EPERM, which still means alive.
    expect(pidAlive(1)).toBe(true);
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid!;
    await new Promise((resolve) => child.on('exit', resolve));
    expect(pidAlive(pid)).toBe(false);
  });
});

describe('checkWritableFolder', () => {
  const SOURCE = '--out';
  const refused = (path: string) => ({ code: 'E_OUTPUT_DIR', file: path, path: SOURCE });

  it('creates a missing folder and leaves nothing in it', async () => {
    const target = join(dir, 'a', 'b');
    expect(await checkWritableFolder(target, SOURCE)).toBeUndefined();
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a file where the folder should be, and a file on the way to it', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(await checkWritableFolder(join(dir, 'file'), SOURCE)).toMatchObject(refused(join(dir, 'file')));
    expect(await checkWritableFolder(join(dir, 'file', 'sub'), SOURCE)).toMatchObject(refused(join(dir, 'file', 'sub')));
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x');
  });

  it('with create: false, refuses a missing folder or a file without creating anything', async () => {
    expect(await checkWritableFolder(join(dir, 'missing'), SOURCE, { create: false })).toMatchObject(refused(join(dir, 'missing')));
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    writeFileSync(join(dir, 'file'), 'x');
    expect(await checkWritableFolder(join(dir, 'file'), SOURCE, { create: false })).toMatchObject(refused(join(dir, 'file')));
  });

  it('refuses a folder in which no file can be created (the probe write), leaving no probe anywhere', async () => {
    // /proc/self is a folder even root cannot create files in, as on a read-only mount.
    expect(await checkWritableFolder('/proc/self', SOURCE)).toMatchObject(refused('/proc/self'));
    expect(await checkWritableFolder('/proc/self', SOURCE, { create: false })).toMatchObject(refused('/proc/self'));
    expect(readdirSync(process.cwd()).filter((n) => n.includes('pressroom-tmp'))).toEqual([]);
  });

  it('refuses a link when asked to (its target untouched), follows it otherwise', async () => {
    const target = join(dir, 'target');
    mkdirSync(target);
    const link = join(dir, 'link');
    symlinkSync(target, link);
    expect(await checkWritableFolder(link, SOURCE, { refuseLink: true })).toMatchObject(refused(link));
    expect(await linkProblem(link, SOURCE)).toMatchObject(refused(link));
    expect(await linkProblem(target, SOURCE)).toBeUndefined();
    expect(await checkWritableFolder(target, SOURCE, { refuseLink: true })).toBeUndefined();
    expect(await checkWritableFolder(link, SOURCE)).toBeUndefined();
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('asWriteError: which failures are a file not written', () => {
  const path = '/somewhere/file.png';

  it.each([
    ['ENOSPC', 'E_DISK_FULL'],
    ['EDQUOT', 'E_DISK_FULL'],
    ['EIO', 'E_IO'],
    ['EROFS', 'E_WRITE'],
    ['EACCES', 'E_WRITE'],
    ['EPERM', 'E_WRITE'],
    ['ENOTDIR', 'E_WRITE'],
    ['EISDIR', 'E_WRITE'],
    ['EBADF', 'E_WRITE'],
  ])('%s is %s, naming the target and keeping the errno as its cause', (code, expected) => {
    const cause = errno(code);
    const err = asWriteError(cause, path);
    expect(err).toBeInstanceOf(WriteError);
    expect(err).toMatchObject({ code: expected, path, cause });
  });

  it('anything that is not an errno (a programming error, a Node ERR_ code, no code) passes through unchanged', () => {
    for (const err of [errno('ERR_INVALID_ARG_TYPE'), errno('ERR_FS_EISDIR'), new Error('plain'), Object.assign(new Error('n'), { code: 5 })]) {
      expect(asWriteError(err, path)).toBe(err);
    }
    const already = new WriteError('E_DISK_FULL', 'disk full', '/other');
    expect(asWriteError(already, path)).toBe(already);
  });

  it('writeOutputFile fails as a WriteError naming its target, and writes nothing there', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'sub', 'out.png');
    await expect(writeOutputFile(target, 'data')).rejects.toMatchObject({ code: 'E_WRITE', path: target });
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x');
  });
});
