import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { spawnCli } from '../helpers/child.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Pressroom deletes and overwrites only what its own plan names inside out/<campaign>, whatever a
 * previous manifest.json claims, and refuses an unusable --out or --cache-dir before paying.
 */
const CAMPAIGN = `template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales:
  en-US: { headline: "Hello", copy: "Copy" }
  de-DE: { headline: "Hallo", copy: "Text" }
sizes: [{ id: thumb, width: 320, height: 320 }]
`;
const TEMPLATE = '{{scene}}: "{{headline}}" in {{language}}';

describe('a doctored manifest.json in out/<campaign>', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let outside: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await makeProject({ demo: CAMPAIGN }, TEMPLATE);
    outside = await tempDir('pressroom-outside-');
  });
  afterAll(async () => {
    await project.cleanup();
    await outside.cleanup();
  });
  const manifestFile = () => join(project.dir, 'out', 'demo', 'manifest.json');
  const manifest = () => JSON.parse(readFileSync(manifestFile(), 'utf8')) as CampaignManifest;

  it('deletes nothing outside out/<campaign>: the victim stays byte for byte', async () => {
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const victim = join(project.dir, 'victim.txt');
    const victimBytes = 'precious, not a delivery\n';
    writeFileSync(victim, victimBytes);
    const m = manifest();
    // A stale entry (no longer planned) pointing out of the folder, and a contact-sheet page too.
    const doctored = {
      ...m,
      assets: [...m.assets, { ...m.assets[0]!, size: 'gone', file: '../../victim.txt' }],
      contactSheet: { ...m.contactSheet, pages: [{ file: '../../victim.txt', sha256: m.contactSheet.pages[0]!.sha256 }] },
    };
    writeFileSync(manifestFile(), JSON.stringify(doctored));

    const run = await cli(project.dir, ['build']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/out\/demo\/manifest\.json ignored \(assets\[2\]\.file "\.\.\/\.\.\/victim\.txt" is not a file Pressroom delivers/);
    expect(readFileSync(victim, 'utf8')).toBe(victimBytes);
    // The build still delivers everything and writes a clean manifest.
    const after = manifest();
    expect(after.assets.map((a) => a.file).sort()).toEqual(['de-DE/hero-thumb.png', 'en-US/hero-thumb.png']);
    expect(after.contactSheet.pages.map((p) => p.file)).toEqual(['contact-sheet.png']);
  });

  it('never deletes or writes through a locale folder that links outside out/<campaign>', async () => {
    // A well-shaped stale entry whose folder is a symbolic link to somewhere else.
    const target = join(outside.dir, 'hero-thumb.png');
    writeFileSync(target, 'not ours');
    symlinkSync(outside.dir, join(project.dir, 'out', 'demo', 'fr-FR'));
    const m = manifest();
    writeFileSync(manifestFile(), JSON.stringify({ ...m, assets: [...m.assets, { ...m.assets[0]!, locale: 'fr-FR', file: 'fr-FR/hero-thumb.png' }] }));
    const run = await cli(project.dir, ['build']);
    expect(run.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('not ours');
    expect(manifest().assets.some((a) => a.locale === 'fr-FR')).toBe(false);
  });

  it('refuses to write a planned file through a locale folder that links outside', async () => {
    // de-DE becomes a link to a folder outside; its delivery fails as data, the other locale is fine.
    const deDir = join(project.dir, 'out', 'demo', 'de-DE');
    const { renameSync } = await import('node:fs');
    renameSync(deDir, join(project.dir, 'de-DE-moved'));
    symlinkSync(outside.dir, deDir);
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(1);
    expect(readFileSync(join(outside.dir, 'hero-thumb.png'), 'utf8')).toBe('not ours');
    const failures = manifest().failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ locale: 'de-DE', error: { code: 'E_UNSAFE_PATH' } });
    expect(failures[0]!.error.message).toContain('out/demo/de-DE/hero-thumb.png');
  });
});

describe('--out and --cache-dir checked before any provider call', () => {
  const KEY = 'preflight-key';
  let emulator: AnyEmulator;
  let project: { dir: string; cleanup: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await EMULATORS.runware({ apiKey: KEY, latencyMs: 5 });
    project = await makeProject({ demo: `provider: runware\n${CAMPAIGN}` }, TEMPLATE);
    env = emulatorEnv(emulator, KEY);
    writeFileSync(join(project.dir, 'a-file'), 'in the way');
  });
  afterAll(async () => {
    await emulator.close();
    await project.cleanup();
  });

  async function refused(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const child = spawnCli(['build', ...args], project.dir, { ...env, ...extraEnv });
    const { code } = await child.exited;
    expect(code).toBe(2);
    expect(child.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(emulator.submits()).toBe(0);
    return child.stderr;
  }

  it('a file where the --out folder should be', async () => {
    expect(await refused(['--out', 'a-file'])).toMatch(/^a-file {2}--out {2}expected a folder but this is a file$/m);
  });

  it('an --out path under a file', async () => {
    expect(await refused(['--out', 'a-file/deliveries'])).toMatch(/^a-file\/deliveries {2}--out {2}cannot create this folder: .*a-file is a file, not a folder$/m);
  });

  it('a file where out/<campaign> should be', async () => {
    mkdirSync(join(project.dir, 'out2'));
    writeFileSync(join(project.dir, 'out2', 'demo'), 'in the way');
    expect(await refused(['--out', 'out2'])).toMatch(/^out2\/demo {2}--out {2}expected a folder but this is a file$/m);
  });

  it('a --cache-dir that is a file, and PRESSROOM_CACHE_DIR named when it came from there', async () => {
    expect(await refused(['--cache-dir', 'a-file'])).toMatch(/^a-file {2}--cache-dir {2}expected a folder/m);
    expect(await refused([], { PRESSROOM_CACHE_DIR: 'a-file/cache' })).toMatch(/^a-file\/cache {2}PRESSROOM_CACHE_DIR {2}cannot create this folder/m);
  });

  it.skipIf(process.getuid?.() === 0)('a folder without write permission (not as root: root writes anyway)', async () => {
    const locked = join(project.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    try {
      expect(await refused(['--out', 'locked'])).toMatch(/locked {2}--out {2}.*(not writable|cannot create).*permission denied/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('a folder mounted read-only: found by the probe write alone (root included), before any provider call', async (ctx) => {
    // Everything else passes on a read-only mount (the folders exist and are folders): only the probe file tells.
    const dir = join(project.dir, 'ro-out');
    mkdirSync(join(dir, 'demo'), { recursive: true });
    try {
      execFileSync('mount', ['--bind', dir, dir], { stdio: 'ignore' });
    } catch {
      ctx.skip();
    }
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
      expect(await refused(['--out', 'ro-out'])).toMatch(/^ro-out {2}--out {2}this folder is not writable \(read-only file system\)$/m);
      expect(await refused(['--cache-dir', 'ro-out'])).toMatch(/^ro-out {2}--cache-dir {2}this folder is not writable \(read-only file system\)$/m);
    } finally {
      execFileSync('umount', [dir]);
    }
  });

  it('plan checks the cache folder only when it exists', async () => {
    const plan = await cli(project.dir, ['plan', '--cache-dir', 'a-file'], env);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/a-file {2}--cache-dir {2}expected a folder/);
    const fresh = await cli(project.dir, ['plan', '--cache-dir', 'no-cache-yet'], env);
    expect(fresh.code).toBe(0);
    expect(existsSync(join(project.dir, 'no-cache-yet'))).toBe(false);
  });

  it('a usable --out builds, and leaves no probe behind', async () => {
    const run = await cli(project.dir, ['build', '--out', 'fine'], env);
    expect(run.code).toBe(0);
    expect(readdirSync(join(project.dir, 'fine', 'demo')).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('symbolic links under out/', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  let victim: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    project = await makeProject({ demo: CAMPAIGN }, TEMPLATE);
    victim = await tempDir('pressroom-victim-');
  });
  afterEach(async () => {
    await project.cleanup();
    await victim.cleanup();
  });
  const victimFiles = () => Object.fromEntries(readdirSync(victim.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')]));

  it('out/<campaign> that is a link: build, approve and diff refuse it (exit 2, naming it); its target is untouched', async () => {
    // What the issue found overwritten and deleted through the link.
    for (const f of ['index.html', 'manifest.json', 'contact-sheet.png', 'contact-sheet-2.png', 'en-US/hero-thumb.png']) {
      mkdirSync(dirname(join(victim.dir, f)), { recursive: true });
      writeFileSync(join(victim.dir, f), `someone else's ${f}`);
    }
    const before = victimFiles();
    mkdirSync(join(project.dir, 'out'));
    symlinkSync(victim.dir, join(project.dir, 'out', 'demo'));
    for (const command of [['build'], ['build', '--force'], ['approve', 'demo'], ['diff', 'demo']]) {
      const run = await cli(project.dir, command);
      expect({ command, code: run.code }).toEqual({ command, code: 2 });
      expect(run.stderr).toMatch(/^out\/demo {2}--out {2}is a symbolic link \(to .*\); Pressroom never writes or deletes through a link/m);
    }
    expect(victimFiles()).toEqual(before);
  });

  it('out/ itself may be a link (a larger disk): the campaigns are built inside its target', async () => {
    symlinkSync(victim.dir, join(project.dir, 'out'));
    const run = await cli(project.dir, ['build']);
    expect(run.code).toBe(0);
    expect(existsSync(join(victim.dir, 'demo', 'en-US', 'hero-thumb.png'))).toBe(true);
    expect(existsSync(join(victim.dir, 'demo', 'manifest.json'))).toBe(true);
  });

  it('a locale folder linking to another locale inside out/<campaign> is refused, not delivered over it', async () => {
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    const out = join(project.dir, 'out', 'demo');
    const german = readFileSync(join(out, 'de-DE', 'hero-thumb.png'));
    rmSync(join(out, 'en-US'), { recursive: true });
    symlinkSync(join(out, 'de-DE'), join(out, 'en-US'));
    const run = await cli(project.dir, ['build', '--force']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/E_UNSAFE_PATH|not writing out\/demo\/en-US\/hero-thumb\.png/);
    expect(readFileSync(join(out, 'de-DE', 'hero-thumb.png'))).toEqual(german);
  });

  it('thumbs/ and candidates/ that link outside are neither written, read nor cleaned', async () => {
    writeFileSync(join(victim.dir, 'keep.webp'), 'not a thumbnail of ours');
    const before = victimFiles();
    const out = join(project.dir, 'out', 'demo');
    mkdirSync(out, { recursive: true });
    symlinkSync(victim.dir, join(out, 'thumbs'));
    symlinkSync(victim.dir, join(out, 'candidates'));
    const run = await cli(project.dir, ['build', '--candidates', '2']);
    expect(run.code).toBe(0);
    expect(victimFiles()).toEqual(before);
    // The gallery falls back to the full files.
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('en-US/hero-thumb.png');
  });
});

describe('stale deliveries', () => {
  it('a removed size takes its own files with it, and nothing else', async () => {
    const project = await makeProject({ demo: CAMPAIGN.replace('sizes: [{ id: thumb, width: 320, height: 320 }]', 'sizes: [{ id: thumb, width: 320, height: 320 }, { id: wide, width: 400, height: 200 }]') }, TEMPLATE);
    try {
      expect((await cli(project.dir, ['build'])).code).toBe(0);
      const locale = join(project.dir, 'out', 'demo', 'en-US');
      expect(existsSync(join(locale, 'hero-wide.png'))).toBe(true);
      writeFileSync(join(locale, 'hero-wide.png.bak'), 'a user copy');
      writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), CAMPAIGN);
      expect((await cli(project.dir, ['build'])).code).toBe(0);
      expect(readdirSync(locale).sort()).toEqual(['hero-thumb.png', 'hero-wide.png.bak']);
      expect(existsSync(join(project.dir, 'out', 'demo', 'de-DE', 'hero-wide.png'))).toBe(false);
    } finally {
      await project.cleanup();
    }
  });

  it('a removed locale takes its folder with it, unless something else is in it', async () => {
    const three = CAMPAIGN.replace('  de-DE: { headline: "Hallo", copy: "Text" }', '  de-DE: { headline: "Hallo", copy: "Text" }\n  it-IT: { headline: "Ciao", copy: "Testo" }');
    const project = await makeProject({ demo: three }, TEMPLATE);
    const out = (...p: string[]) => join(project.dir, 'out', 'demo', ...p);
    try {
      expect((await cli(project.dir, ['build'])).code).toBe(0);
      expect(existsSync(out('it-IT', 'hero-thumb.png'))).toBe(true);
      writeFileSync(out('de-DE', 'notes.txt'), 'a reviewer note');
      writeFileSync(join(project.dir, 'campaigns', 'demo', 'campaign.yaml'), CAMPAIGN.replace('  de-DE: { headline: "Hallo", copy: "Text" }\n', ''));
      expect((await cli(project.dir, ['build'])).code).toBe(0);
      expect(readdirSync(out()).filter((n) => /^[a-z]{2}-[A-Z]{2}$/.test(n)).sort()).toEqual(['de-DE', 'en-US']);
      expect(readdirSync(out('de-DE'))).toEqual(['notes.txt']);
    } finally {
      await project.cleanup();
    }
  });
});
