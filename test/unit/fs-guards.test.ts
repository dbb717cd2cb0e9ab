import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AtomicWriteFs, sweepTempFiles, writeFileAtomic } from '../../src/fs/atomic.js';
import { pidAlive } from '../../src/fs/liveness.js';
import { checkWritableFolder, linkProblem, preflightBuild, preflightPlan, preflightReview } from '../../src/fs/preflight.js';
import { InputError, problem } from '../../src/core/errors.js';
import type { FolderFacts } from '../../src/core/project-facts.js';
import { asWriteError, errnoWords, WriteError, writeOutputFile } from '../../src/fs/write-error.js';
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

describe('what each folder refusal says (the facts behind the message, from the catalogue)', () => {
  const said = (file: string, facts: FolderFacts, path = '--out') => problem('E_OUTPUT_DIR', facts, { file, path });
  const errnoOf = async (attempt: () => Promise<unknown>) => attempt().then(() => expect.unreachable(), errnoWords);

  it('a file where the folder should be; a file on the way, named; a missing folder not created; a probe refused; a link, with its target', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(await checkWritableFolder(join(dir, 'file'), '--out')).toEqual(said(join(dir, 'file'), { kind: 'not-folder' }));
    expect(await checkWritableFolder(join(dir, 'file', 'a', 'b'), '--out')).toEqual(said(join(dir, 'file', 'a', 'b'), { kind: 'parent-file', parent: join(dir, 'file') }));
    const missing = join(dir, 'missing');
    expect(await checkWritableFolder(missing, '--out', { create: false })).toEqual(said(missing, { kind: 'cannot-read', reason: await errnoOf(() => stat(missing)) }));
    const probeRefused = await errnoOf(async () => (await open('/proc/self/probe', 'wx')).close());
    expect(await checkWritableFolder('/proc/self', '--out', { create: false })).toEqual(said('/proc/self', { kind: 'not-writable', reason: probeRefused }));
    mkdirSync(join(dir, 'target'));
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(await checkWritableFolder(join(dir, 'link'), '--out', { refuseLink: true })).toEqual(said(join(dir, 'link'), { kind: 'link', target: join(dir, 'target') }));
  });

  const refusedWith = async (run: Promise<void>) => {
    const err = await run.then(() => expect.unreachable(), (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  };

  it('preflightBuild names the flag or variable each folder came from, and checks every campaign folder', async () => {
    writeFileSync(join(dir, 'cache'), 'x');
    mkdirSync(join(dir, 'out'));
    symlinkSync(join(dir, 'out'), join(dir, 'out', 'b'));
    const problems = await refusedWith(preflightBuild(['a', 'b'], { outRoot: join(dir, 'out'), cacheDir: join(dir, 'cache'), sources: { out: 'PRESSROOM_OUT', cacheDir: 'PRESSROOM_CACHE_DIR' } }));
    expect(problems).toEqual([
      said(join(dir, 'cache'), { kind: 'not-folder' }, 'PRESSROOM_CACHE_DIR'),
      said(join(dir, 'out', 'b'), { kind: 'link', target: join(dir, 'out') }, 'PRESSROOM_OUT'),
    ]);
    expect(existsSync(join(dir, 'out', 'a'))).toBe(true);
    // Without sources, the flags are named.
    expect(await refusedWith(preflightBuild(['b'], { outRoot: join(dir, 'out'), cacheDir: join(dir, 'cache') }))).toEqual([
      said(join(dir, 'cache'), { kind: 'not-folder' }, '--cache-dir'),
      said(join(dir, 'out', 'b'), { kind: 'link', target: join(dir, 'out') }, '--out'),
    ]);
  });

  it('preflightBuild checks the folders already in the cache without creating any, and campaigns only under a usable out/', async () => {
    mkdirSync(join(dir, 'cache', 'objects'), { recursive: true });
    expect(await preflightBuild(['a'], { outRoot: join(dir, 'out'), cacheDir: join(dir, 'cache') })).toBeUndefined();
    expect(readdirSync(join(dir, 'cache'))).toEqual(['objects']);
    expect(readdirSync(join(dir, 'cache', 'objects'))).toEqual([]);
    writeFileSync(join(dir, 'out-file'), 'x');
    expect(await refusedWith(preflightBuild(['a'], { outRoot: join(dir, 'out-file'), cacheDir: join(dir, 'cache') }))).toEqual([said(join(dir, 'out-file'), { kind: 'not-folder' })]);
  });

  it('preflightPlan creates no cache folder, and refuses one that is a file, by its source', async () => {
    expect(await preflightPlan({ cacheDir: join(dir, 'none') })).toBeUndefined();
    expect(existsSync(join(dir, 'none'))).toBe(false);
    writeFileSync(join(dir, 'cache'), 'x');
    expect(await refusedWith(preflightPlan({ cacheDir: join(dir, 'cache'), sources: { cacheDir: 'PRESSROOM_CACHE_DIR' } }))).toEqual([said(join(dir, 'cache'), { kind: 'not-folder' }, 'PRESSROOM_CACHE_DIR')]);
    expect(await refusedWith(preflightPlan({ cacheDir: join(dir, 'cache') }))).toEqual([said(join(dir, 'cache'), { kind: 'not-folder' }, '--cache-dir')]);
  });

  it('preflightReview refuses a campaign folder that is a link, by its source, and passes real folders', async () => {
    mkdirSync(join(dir, 'out', 'a'), { recursive: true });
    symlinkSync(join(dir, 'out', 'a'), join(dir, 'out', 'b'));
    expect(await preflightReview(['a'], { outRoot: join(dir, 'out') })).toBeUndefined();
    expect(await refusedWith(preflightReview(['a', 'b'], { outRoot: join(dir, 'out'), sources: { out: 'PRESSROOM_OUT' } }))).toEqual([said(join(dir, 'out', 'b'), { kind: 'link', target: join(dir, 'out', 'a') }, 'PRESSROOM_OUT')]);
    expect(await refusedWith(preflightReview(['b'], { outRoot: join(dir, 'out') }))).toEqual([said(join(dir, 'out', 'b'), { kind: 'link', target: join(dir, 'out', 'a') })]);
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

  it('errnoWords: a known errno in the words a write failure gives, an unknown one as its code, anything else by its message', () => {
    const full = asWriteError(errno('ENOSPC'), path) as WriteError;
    expect(errnoWords(errno('ENOSPC'))).toBe(full.reason);
    expect(full.reason).not.toBe('ENOSPC');
    expect(errnoWords(errno('EWEIRD'))).toBe('EWEIRD');
    expect(errnoWords(new Error('boom'))).toBe('boom');
    expect(errnoWords('plain text')).toBe('plain text');
    expect(errnoWords(undefined)).toBe('undefined');
  });

  it('describeUnder names a file under the folder the way the reader knows it, any other file by its own path', () => {
    const err = (file: string) => new WriteError('E_DISK_FULL', 'disk full', file);
    const under = join(dir, 'build', 'deliveries');
    expect(err(join(under, 'en-US', 'a.png')).describeUnder(under, 'out/demo')).toBe(err('out/demo/en-US/a.png').describe('out/demo/en-US/a.png'));
    expect(err(join(dir, 'build', 'other.png')).describeUnder(under, 'out/demo')).toBe(err('x').describe(join(dir, 'build', 'other.png')));
    expect(err(under).describeUnder(under, 'out/demo')).toBe(err('x').describe(under));
    expect(err('relative/a.png').describeUnder(under, 'out/demo')).toBe(err('x').describe('relative/a.png'));
    // A folder whose name starts with two dots is still under it; the folder's sibling is not.
    expect(err(join(under, '..drafts', 'a.png')).describeUnder(under, 'out/demo')).toBe(err('x').describe('out/demo/..drafts/a.png'));
    expect(err(join(dir, 'build', 'deliveries-old', 'a.png')).describeUnder(under, 'out/demo')).toBe(err('x').describe(join(dir, 'build', 'deliveries-old', 'a.png')));
  });

  it('writeOutputFile fails as a WriteError naming its target, and writes nothing there', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'sub', 'out.png');
    await expect(writeOutputFile(target, 'data')).rejects.toMatchObject({ code: 'E_WRITE', path: target });
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x');
  });
});
