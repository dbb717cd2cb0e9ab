import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_BYTES, decodeText, readProjectFile, readProjectText } from '../../src/manifest/project-file.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
let outside: string;
let cleanups: (() => Promise<void>)[] = [];
beforeEach(async () => {
  const a = await tempDir('pressroom-project-file-');
  const b = await tempDir('pressroom-outside-');
  root = a.dir;
  outside = b.dir;
  cleanups = [a.cleanup, b.cleanup];
});
afterEach(async () => {
  for (const c of cleanups) await c();
});

const limits = { maxBytes: 100, shown: 'x.hbs', what: 'template' };

describe('readProjectFile', () => {
  it('reads a regular file inside the project', async () => {
    await writeFile(join(root, 'x.hbs'), 'hello');
    const read = await readProjectFile(join(root, 'x.hbs'), root, limits);
    expect(read).toMatchObject({ file: join(root, 'x.hbs') });
    expect('bytes' in read && read.bytes.toString()).toBe('hello');
  });

  it('accepts exactly the cap and refuses one byte more, before reading', async () => {
    await writeFile(join(root, 'x.hbs'), 'a'.repeat(100));
    expect(await readProjectFile(join(root, 'x.hbs'), root, limits)).toHaveProperty('bytes');
    await writeFile(join(root, 'x.hbs'), 'a'.repeat(101));
    expect(await readProjectFile(join(root, 'x.hbs'), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/limit is 100 bytes/) });
  });

  it('refuses a file outside the project, directly and through a symlink', async () => {
    await writeFile(join(outside, 'secret.hbs'), 'secret');
    expect(await readProjectFile(join(outside, 'secret.hbs'), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/outside the project/) });
    await symlink(join(outside, 'secret.hbs'), join(root, 'link.hbs'));
    expect(await readProjectFile(join(root, 'link.hbs'), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/through a symlink/) });
  });

  it('follows a symlink that stays inside the project', async () => {
    await mkdir(join(root, 'shared'));
    await writeFile(join(root, 'shared/real.hbs'), 'ok');
    await symlink('shared/real.hbs', join(root, 'link.hbs'));
    expect(await readProjectFile(join(root, 'link.hbs'), root, limits)).toHaveProperty('bytes');
  });

  it('refuses hidden files and folders (.env, .git)', async () => {
    await writeFile(join(root, '.env'), 'KEY=v');
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git/config.hbs'), 'x');
    for (const path of ['.env', '.git/config.hbs']) {
      expect(await readProjectFile(join(root, path), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/hidden/) });
    }
  });

  it('refuses a FIFO without blocking, and a folder', async () => {
    execFileSync('mkfifo', [join(root, 'pipe.hbs')]);
    expect(await readProjectFile(join(root, 'pipe.hbs'), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/not a regular file/) });
    await mkdir(join(root, 'dir.hbs'));
    expect(await readProjectFile(join(root, 'dir.hbs'), root, limits)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/is a folder/) });
  });

  it('reports a missing file without a code of its own (the caller names it)', async () => {
    const read = await readProjectFile(join(root, 'nope.hbs'), root, limits);
    expect(read).toEqual({ facts: { what: 'template', shown: 'x.hbs', refused: 'missing' }, problem: 'template not found: x.hbs', missing: true });
  });

  it('reads the one hidden file asked for by name (.env), never a hidden folder or another hidden file behind a link', async () => {
    const env = { maxBytes: 100, shown: '.env', what: 'environment file', hiddenFile: true };
    await writeFile(join(root, '.env'), 'A=1');
    expect(await readProjectFile(join(root, '.env'), root, { ...env, hiddenFile: false })).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/hidden file/) });
    expect(await readProjectFile(join(root, '.env'), root, env)).toMatchObject({ file: join(root, '.env') });
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git', '.env'), 'A=1');
    expect(await readProjectFile(join(root, '.git', '.env'), root, env)).toMatchObject({ code: 'E_PATH' });
    await writeFile(join(root, '.npmrc'), '//registry/:_authToken=x');
    await mkdir(join(root, 'sub'));
    await symlink('../.npmrc', join(root, 'sub', '.env'));
    expect(await readProjectFile(join(root, 'sub', '.env'), root, env)).toMatchObject({ code: 'E_PATH', problem: expect.stringMatching(/resolves to \.npmrc/) });
  });

  it('has a template cap of 256 KiB', () => {
    expect(MAX_TEMPLATE_BYTES).toBe(262_144);
  });
});

describe('decodeText', () => {
  it('drops a UTF-8 BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFhé', 'utf8'))).toEqual({ text: 'hé' });
  });

  it('decodes UTF-16 LE and BE with a BOM', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo', 'utf16le')]))).toEqual({ text: 'héllo' });
    const be = Buffer.from('hé', 'utf16le').swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text: 'hé' });
  });

  it('names the byte offset, line and column of the first invalid byte', () => {
    expect(decodeText(Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xe9, 0x64]))).toEqual({ offset: 4, line: 2, col: 3 });
  });

  it('counts a BOM and multi-byte characters before the bad byte, and skips a genuine U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFF\uFFFDé\n', 'utf8'), Buffer.from([0x78, 0xff])]);
    // BOM 3 + U+FFFD 3 + é 2 + newline 1 + x 1 = byte 10, line 2, column 2.
    expect(decodeText(bytes)).toEqual({ offset: 10, line: 2, col: 2 });
  });

  it('readProjectText refuses invalid UTF-8 with E_ENCODING', async () => {
    await writeFile(join(root, 'x.hbs'), Buffer.from([0x41, 0xc3]));
    expect(await readProjectText(join(root, 'x.hbs'), root, limits)).toMatchObject({ code: 'E_ENCODING', line: 1, col: 2, problem: expect.stringMatching(/not valid UTF-8 \(byte 1\)/) });
  });
});
