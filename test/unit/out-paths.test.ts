import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPressroomTemp, sweepTempFiles, tempNameFor } from '../../src/fs/atomic.js';
import { asWriteError, WriteError } from '../../src/fs/write-error.js';
import { createOutGuard, isPlannedDeliveryFile, previousManifestProblem } from '../../src/post/out-paths.js';
import { tempDir } from '../helpers/tmp.js';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('pressroom-outpaths-');
});
afterAll(() => tmp.cleanup());

describe('temporary names', () => {
  it('are hidden, next to the target, and recognised', () => {
    const temp = tempNameFor('/x/out/demo/en-US/hero-square.png');
    expect(dirname(temp)).toBe('/x/out/demo/en-US');
    expect(basename(temp)).toMatch(/^\.hero-square\.png\.pressroom-tmp-\d+-[0-9a-f]{12}$/);
    expect(isPressroomTemp(basename(temp))).toBe(true);
  });

  it.each(['notes.tmp-1', 'hero.png.tmp-0123456789ab', '.hero.png.pressroom-tmp-1-0123', 'hero.png.pressroom-tmp-1-0123456789ab', '.x.pressroom-tmp-1-0123456789abc', '.x.pressroom-tmp-0123456789ab'])('%s is not ours', (name) => {
    expect(isPressroomTemp(name)).toBe(false);
  });

  it("the sweep removes only dead writers' temporary files of ours, in subfolders too", async () => {
    const dir = join(tmp.dir, 'sweep');
    mkdirSync(join(dir, 'en-US'), { recursive: true });
    const dead = join(dir, 'en-US', '.a.png.pressroom-tmp-111-0123456789ab');
    const live = join(dir, '.b.png.pressroom-tmp-222-0123456789ab');
    const users = join(dir, 'notes.tmp-1');
    for (const f of [dead, live, users]) writeFileSync(f, 'x');
    expect(await sweepTempFiles(dir, (pid) => pid === 222)).toBe(1);
    expect([dead, live, users].map(existsSync)).toEqual([false, true, true]);
  });
});

describe('previous manifest validation', () => {
  const asset = { variant: 'hero', locale: 'de-DE', size: 'story', format: 'png', file: 'de-DE/hero-story.png', bytes: 10, sha256: 'a'.repeat(64), recipe: 'r', generation: { key: 'k' } };
  const manifest = (assets: unknown[], pages: unknown[] = [{ file: 'contact-sheet.png', sha256: 'b' }]) => ({ campaign: 'aqua', assets, failures: [], contactSheet: { recipe: 'x', pages } });

  it('trusts a manifest Pressroom wrote', () => {
    expect(previousManifestProblem(manifest([asset, { ...asset, format: 'jpeg', file: 'de-DE/hero-story.jpg' }], [{ file: 'contact-sheet-2.png', sha256: 'c' }]), 'aqua')).toBeUndefined();
  });

  it.each([
    ['../../victim.txt'],
    ['/etc/passwd'],
    ['de-DE/../../victim.png'],
    ['de-DE/hero-story.jpg'], // the wrong extension for its format
    ['en-US/hero-story.png'], // another cell's file
    ['de-DE/sub/hero-story.png'],
  ])('refuses an entry naming %s', (file) => {
    expect(previousManifestProblem(manifest([{ ...asset, file }]), 'aqua')).toMatch(/^assets\[0\]\.file/);
  });

  it('refuses ids that could climb out, another campaign, odd pages and non-objects', () => {
    expect(previousManifestProblem(manifest([{ ...asset, locale: '..', file: '../hero-story.png' }]), 'aqua')).toBeDefined();
    expect(previousManifestProblem(manifest([asset]), 'other')).toMatch(/belongs to campaign "aqua"/);
    expect(previousManifestProblem(manifest([asset], [{ file: '../../victim.txt', sha256: 'b' }]), 'aqua')).toMatch(/contactSheet\.pages\[0\]/);
    expect(previousManifestProblem('unreadable', 'aqua')).toBe('not a JSON object');
    expect(previousManifestProblem(manifest([{ ...asset, sha256: 'short' }]), 'aqua')).toMatch(/sha256/);
  });

  it('isPlannedDeliveryFile matches the plan\'s own shape', () => {
    expect(isPlannedDeliveryFile({ file: 'zh-Hant-TW/hero_2-square.webp', locale: 'zh-Hant-TW', variant: 'hero_2', size: 'square', format: 'webp' })).toBe(true);
    expect(isPlannedDeliveryFile({ file: 'x/y-z.png', locale: 'x', variant: 'y', size: 'z', format: 'constructor' })).toBe(false);
  });
});

describe('out guard', () => {
  it('resolves planned files inside outDir and refuses folders that link outside', async () => {
    const outDir = join(tmp.dir, 'out', 'aqua');
    const elsewhere = join(tmp.dir, 'elsewhere');
    mkdirSync(join(outDir, 'en-US'), { recursive: true });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(outDir, 'de-DE'));
    symlinkSync(join(outDir, 'en-US'), join(outDir, 'fr-FR'));
    const guard = createOutGuard(outDir);
    expect(await guard('en-US/hero-square.png')).toBe(join(outDir, 'en-US', 'hero-square.png'));
    expect(await guard('es-ES/hero-square.png')).toBe(join(outDir, 'es-ES', 'hero-square.png'));
    // A link to another folder inside outDir would deliver fr-FR's file over en-US's.
    expect(await guard('fr-FR/hero-square.png')).toBeUndefined();
    expect(await guard('de-DE/hero-square.png')).toBeUndefined();
    expect(await guard('../victim.txt')).toBeUndefined();
    expect(await guard('/etc/passwd')).toBeUndefined();
    expect(await guard('')).toBeUndefined();
  });

  it('refuses everything when outDir itself is a link, even to a real campaign folder', async () => {
    const real = join(tmp.dir, 'real-campaign');
    mkdirSync(join(real, 'en-US'), { recursive: true });
    mkdirSync(join(tmp.dir, 'out2'));
    symlinkSync(real, join(tmp.dir, 'out2', 'aqua'));
    const guard = createOutGuard(join(tmp.dir, 'out2', 'aqua'));
    expect(await guard('en-US/hero-square.png')).toBeUndefined();
    expect(await guard('manifest.json')).toBeUndefined();
    expect(await guard('thumbs/abc.webp')).toBeUndefined();
  });

  it('lets out/ itself be a link: the campaign folder inside its target is real', async () => {
    const disk = join(tmp.dir, 'big-disk');
    mkdirSync(join(disk, 'aqua', 'en-US'), { recursive: true });
    symlinkSync(disk, join(tmp.dir, 'out3'));
    const guard = createOutGuard(join(tmp.dir, 'out3', 'aqua'));
    expect(await guard('en-US/hero-square.png')).toBe(join(tmp.dir, 'out3', 'aqua', 'en-US', 'hero-square.png'));
    expect(await guard('de-DE/hero-square.png')).toBe(join(tmp.dir, 'out3', 'aqua', 'de-DE', 'hero-square.png'));
  });

  it('checks the nearest existing folder when the target folder is not there yet', async () => {
    const outDir = join(tmp.dir, 'out4', 'aqua');
    const elsewhere = join(tmp.dir, 'elsewhere4');
    mkdirSync(outDir, { recursive: true });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(outDir, 'candidates'));
    const guard = createOutGuard(outDir);
    // candidates/new/ does not exist: creating it would create it inside `elsewhere`.
    expect(await guard('candidates/new/x.webp')).toBeUndefined();
    expect(await guard('fresh/new/x.webp')).toBe(join(outDir, 'fresh', 'new', 'x.webp'));
    // A folder that is a link is refused as a target too (thumbs/ read and cleaned through it).
    expect(await guard('candidates')).toBeUndefined();
  });
});

describe('write errors', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: something, open '/x/.a.png.pressroom-tmp-0123456789ab'`), { code });

  it.each([
    ['ENOSPC', 'E_DISK_FULL', 'disk full'],
    ['EDQUOT', 'E_DISK_FULL', 'disk quota exceeded'],
    ['EIO', 'E_IO', 'I/O error'],
    ['EROFS', 'E_WRITE', 'read-only file system'],
    ['EMFILE', 'E_WRITE', 'EMFILE'],
  ])('%s is %s: "%s writing <target>"', (code, stable, words) => {
    const err = asWriteError(errno(code), '/x/a.png') as WriteError;
    expect(err).toBeInstanceOf(WriteError);
    expect(err.code).toBe(stable);
    expect(err.describe('out/aqua/a.png')).toBe(`${words} writing out/aqua/a.png`);
  });

  it('leaves errors that are not the file system\'s alone', () => {
    const bug = new TypeError('x is undefined');
    expect(asWriteError(bug, '/x/a.png')).toBe(bug);
  });
});
