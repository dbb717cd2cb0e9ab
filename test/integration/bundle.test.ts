import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATORS, emulatorEnv } from '../helpers/emulators/index.js';
import { makeProject } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * build, plan and validate run from the bundle (tools/bundle.mjs: dist/bundle/, one CommonJS file
 * and V8 code caches, loaded by src/cli/code-cache.ts). Copied with the executable and what it loads
 * before the bundle (that loader, the kept-outcome check of src/cli/replay.ts) only, without the rest of dist/ (tsc's modules), into a package of its own, the bundle must
 * still do every kind of work: read a campaign, read the package's files, make pixels in the
 * arena-capped child the executable starts (itself again), call each provider, write out/. A
 * bundled module that reached back into dist/<stage>/, or read a shipped file at the wrong
 * depth, fails here; so does a package the bundle cannot load as it is bundled.
 */
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));

let pkg: { dir: string; cleanup: () => Promise<void> };
let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  pkg = await tempDir('pressroom-bundle-');
  for (const f of ['bin.js', 'cli/code-cache.js', 'cli/replay.js', 'cache/replay.js', 'core/package-file.js']) {
    mkdirSync(dirname(join(pkg.dir, 'dist', f)), { recursive: true });
    cpSync(join(repo, 'dist', f), join(pkg.dir, 'dist', f));
  }
  cpSync(join(repo, 'dist', 'bundle'), join(pkg.dir, 'dist', 'bundle'), { recursive: true });
  for (const f of ['package.json', 'schema']) cpSync(join(repo, f), join(pkg.dir, f), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(pkg.dir, 'node_modules'));
  project = await makeProject();
});
afterAll(async () => {
  await project?.cleanup();
  await pkg?.cleanup();
});

const bin = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = project.dir) =>
  run(process.execPath, [join(pkg.dir, 'dist', 'bin.js'), ...args], { cwd, env: { PATH: process.env['PATH'], CI: 'true', ...env }, timeout: 120_000 });

describe('the bundled CLI, alone', () => {
  it('loads with the code cache of each bundled command, which V8 takes', async () => {
    const loader = join(pkg.dir, 'dist', 'cli', 'code-cache.js');
    for (const command of ['build', 'plan', 'validate']) {
      const script = `import(${JSON.stringify(loader)}).then((m) => { const b = m.loadBundledCli([${JSON.stringify(command)}], {}); console.log(typeof b.cli.main, b.cache); })`;
      const { stdout } = await run(process.execPath, ['-e', script], { cwd: project.dir });
      expect(stdout.trim(), command).toBe('function used');
    }
    // Other commands are not bundled: the executable imports dist/cli.js for them.
    const other = `import(${JSON.stringify(loader)}).then((m) => console.log(String(m.loadBundledCli(['--help'], {}))))`;
    expect((await run(process.execPath, ['-e', other])).stdout.trim()).toBe('undefined');
  });

  it('validates and plans', async () => {
    expect(JSON.parse((await bin(['validate', '--json'])).stdout)).toMatchObject({ status: 'ok', valid: true, campaigns: [{ name: 'demo', assets: 9 }] });
    const planned = JSON.parse((await bin(['plan', '--json'])).stdout) as { status: string; campaigns: { toGenerate: number }[] };
    expect(planned).toMatchObject({ status: 'ok', campaigns: [{ name: 'demo', assets: 9 }] });
    expect(planned.campaigns[0]!.toGenerate).toBeGreaterThan(0);
  });

  it('builds (pixels made in the child it starts), delivers, and re-runs as a no-op', async () => {
    const toGenerate = (JSON.parse((await bin(['plan', '--json'])).stdout) as { campaigns: { toGenerate: number }[] }).campaigns[0]!.toGenerate;
    const built = await bin(['build', '--json']);
    expect(JSON.parse(built.stdout)).toMatchObject({ status: 'ok', campaigns: [{ name: 'demo', assets: 9, generations: { billed: toGenerate } }] });
    const square = join(project.dir, 'out', 'demo', 'de-DE', 'hero-square.jpg');
    expect(existsSync(square)).toBe(true);
    expect(await sharp(square).metadata()).toMatchObject({ width: 1080, height: 1080, format: 'jpeg' });
    // The finish reads the package's version (its code identity): a no-op skips it.
    expect(JSON.parse((await bin(['build', '--json'])).stdout)).toMatchObject({ status: 'ok', campaigns: [{ generated: 0, cached: 9 }] });
  });

  // Each adapter's HTTP client (undici, loaded on demand) as the bundle loads it, against the provider's emulator.
  it.each(['runninghub', 'runware', 'runcomfy'] as const)('builds through %s (emulated) and delivers every cell', async (provider) => {
    const emulator = await EMULATORS[provider]({ apiKey: 'bundle-key', latencyMs: 20 });
    const own = await makeProject();
    try {
      const built = await bin(['build', '--json', '--provider', provider, '--size', 'thumb'], emulatorEnv(emulator, 'bundle-key'), own.dir);
      expect(JSON.parse(built.stdout)).toMatchObject({ status: 'ok', campaigns: [{ name: 'demo', assets: 3, failed: 0 }] });
      expect(emulator.requests.filter((r) => r.route === 'submit').length).toBeGreaterThan(0);
      for (const locale of ['en-US', 'de-DE', 'ar-SA']) expect(existsSync(join(own.dir, 'out', 'demo', locale, 'hero-thumb.jpg'))).toBe(true);
    } finally {
      await emulator.close();
      await own.cleanup();
    }
  });
});

describe('the executable', () => {
  it('reads the files the package ships for the commands it does not bundle: version, schema, help', async () => {
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
    const real = (args: string[]) => run(process.execPath, [join(repo, 'dist', 'bin.js'), ...args], { cwd: project.dir });
    expect((await real(['--version'])).stdout.trim()).toBe(version);
    expect((await real(['schema'])).stdout).toBe(readFileSync(join(repo, 'schema', 'campaign.schema.json'), 'utf8'));
    expect((await real(['--help'])).stdout).toMatch(/build \[paths\.\.\.\]/);
  });
});
