import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import { DEFAULT_JOB_TIMEOUT_MS, resolveSettings, type SettingsOptions } from '../../src/commands/settings.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-settings-'));
  mkdirSync(join(root, 'proj'));
  writeFileSync(join(root, 'proj', '.env'), 'RUNWARE_API_KEY=from-file\nPRESSROOM_CACHE_DIR=env-cache\nPRESSROOM_LOG=debug\n');
  writeFileSync(join(root, 'outside.env'), 'SECRET=topsecret\n');
});
afterAll(() => cleanup());

/** A project folder holding only `.env` as `setup` leaves it. */
function project(name: string, setup: (dotenv: string) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  setup(join(dir, '.env'));
  return dir;
}

async function problems(options: SettingsOptions, cwd = root): Promise<readonly Problem[]> {
  const err = await resolveSettings(options, cwd).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).problems;
}

describe('resolveSettings', () => {
  it('defaults: project root is cwd, out/ and .pressroom/cache under it, quiet, not live', async () => {
    const s = await resolveSettings({}, root);
    expect(s).toMatchObject({ cwd: root, projectRoot: root, outRoot: join(root, 'out'), cacheDir: join(root, '.pressroom/cache'), force: false, json: false, logLevel: 'warn', live: false, color: false, jobTimeoutMs: DEFAULT_JOB_TIMEOUT_MS, filter: {} });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('environment over .env over defaults; flags over all of them', async () => {
    const cwd = join(root, 'proj');
    const fromEnv = await resolveSettings({ cwd, env: { RUNWARE_API_KEY: 'from-env', PRESSROOM_POLL_INTERVAL_MS: '25', PRESSROOM_HTTP_TIMEOUT_MS: '3000', PRESSROOM_CLAIM_STALE_MS: '60000' } }, '/ignored');
    expect(fromEnv.env['RUNWARE_API_KEY']).toBe('from-env');
    expect(fromEnv.cacheDir).toBe(join(cwd, 'env-cache'));
    expect(fromEnv).toMatchObject({ logLevel: 'debug', pollIntervalMs: 25, httpTimeoutMs: 3000, claimStaleMs: 60_000 });
    const fromFlags = await resolveSettings({ cwd, cacheDir: 'flag-cache', outRoot: '/abs/out', logLevel: 'error', pollIntervalMs: 5, env: { PRESSROOM_POLL_INTERVAL_MS: '25' } }, '/ignored');
    expect(fromFlags).toMatchObject({ cacheDir: join(cwd, 'flag-cache'), outRoot: '/abs/out', logLevel: 'error', pollIntervalMs: 5 });
  });

  it('a progress bar only on a terminal outside CI; colour unless NO_COLOR', async () => {
    const tty = { write: () => true, isTTY: true };
    expect(await resolveSettings({ stderr: tty, env: {} }, root)).toMatchObject({ live: true, color: true });
    expect(await resolveSettings({ stderr: tty, env: { CI: 'true', NO_COLOR: '' } }, root)).toMatchObject({ live: false, color: false });
  });
});

describe('environment variables are checked before anything runs', () => {
  it.each([
    ['PRESSROOM_POLL_INTERVAL_MS', 'abc', /whole number of milliseconds, at least 10 .* but received "abc"/],
    ['PRESSROOM_POLL_INTERVAL_MS', '-100', /at least 10/],
    ['PRESSROOM_POLL_INTERVAL_MS', '0.001', /at least 10/],
    ['PRESSROOM_POLL_INTERVAL_MS', '5', /at least 10/],
    ['PRESSROOM_CLAIM_STALE_MS', 'abc', /at least 10000/],
    ['PRESSROOM_CLAIM_STALE_MS', '1', /at least 10000 .*heartbeats.* but received "1"/],
    ['PRESSROOM_HTTP_TIMEOUT_MS', 'fast', /at least 100 /],
    ['PRESSROOM_WEBHOOK_POLL_MS', '1', /at least 1000/],
    ['PRESSROOM_LOG', 'verbose', /expected one of debug, info, warn, error but received "verbose"/],
    ['PRESSROOM_CACHE_ENDPOINT', 'notaurl', /the store endpoint.*but received "notaurl"/],
    ['PRESSROOM_CACHE_ENDPOINT', 'http://127.0.0.1:9000/../admin', /no query, fragment or \. \/ \.\. segments/],
    ['PRESSROOM_CACHE_URL', 's3://bucket/../other-bucket/x', /s3:\/\/bucket\/prefix/],
    ['PRESSROOM_CACHE_URL', 'https://bucket/prefix', /s3:\/\/bucket\/prefix/],
    ['PRESSROOM_WEBHOOK_URL', 'hooks.example.com', /public http\(s\) base URL/],
    ['PRESSROOM_WEBHOOK_LISTEN', 'localhost', /host:port/],
    ['RUNNINGHUB_BASE_URL', 'file:///etc/passwd', /the runninghub API base URL.*but received "file:\/\/\/etc\/passwd"/],
    ['RUNWARE_BASE_URL', 'https://api.runware.ai/v1?x=1', /the runware API base URL/],
    ['RUNCOMFY_BASE_URL', 'ftp://model-api.runcomfy.net/v1', /the runcomfy API base URL/],
  ])('%s=%s is refused by name', async (name, value, message) => {
    const found = await problems({ env: { [name]: value } });
    expect(found).toEqual([expect.objectContaining({ code: 'E_USAGE', path: name })]);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.file).toBeUndefined();
  });

  it('accepts the values the emulators and the README use', async () => {
    const env = {
      PRESSROOM_POLL_INTERVAL_MS: '10',
      PRESSROOM_HTTP_TIMEOUT_MS: '3000',
      PRESSROOM_CLAIM_STALE_MS: '10000',
      PRESSROOM_LOG: 'info',
      PRESSROOM_CACHE_URL: 's3://assets-cache/pressroom',
      PRESSROOM_CACHE_ENDPOINT: 'http://127.0.0.1:9000',
      RUNNINGHUB_BASE_URL: 'https://www.runninghub.cn/openapi/v2',
      RUNWARE_BASE_URL: 'http://127.0.0.1:4010/v1/',
      PRESSROOM_CHROMIUM: '/usr/bin/chromium',
      PRESSROOM_UPDATE_GOLDEN: '1',
    };
    expect(await resolveSettings({ env }, root)).toMatchObject({ pollIntervalMs: 10, cacheUrl: 's3://assets-cache/pressroom', cacheEndpoint: 'http://127.0.0.1:9000', logLevel: 'info' });
  });

  it('never echoes a base URL that carries credentials', async () => {
    const found = await problems({ env: { RUNWARE_BASE_URL: 'https://user:sk-live-5ecret@api.runware.ai/v1' } });
    expect(found[0]!.message).toMatch(/without a user or password/);
    expect(found[0]!.message).not.toContain('sk-live-5ecret');
  });

  it('reports every bad variable at once, a bad one from .env at its line', async () => {
    const dir = project('bad-dotenv', (file) => writeFileSync(file, '# settings\nRUNWARE_API_KEY=k\n\nexport PRESSROOM_LOG=verbose\nPRESSROOM_CLAIM_STALE_MS=1\n'));
    const found = await problems({ env: { PRESSROOM_POLL_INTERVAL_MS: 'abc', PRESSROOM_CLAIM_STALE_MS: '60000' } }, dir);
    // The process environment overrides .env's PRESSROOM_CLAIM_STALE_MS: only the value used is checked.
    expect(found.map((p) => [p.path, p.file, p.line])).toEqual([
      ['PRESSROOM_LOG', join(dir, '.env'), 4],
      ['PRESSROOM_POLL_INTERVAL_MS', undefined, undefined],
    ]);
  });

  it('a PRESSROOM_ name one typo from a known one is refused with the name it meant', async () => {
    const found = await problems({ env: { PRESSROOM_POLL_INTERVAL: '25' } });
    expect(found[0]).toMatchObject({ path: 'PRESSROOM_POLL_INTERVAL', message: expect.stringMatching(/did you mean PRESSROOM_POLL_INTERVAL_MS\?/) });
  });

  it('checks --cache and --cache-endpoint as their variables', async () => {
    const found = await problems({ env: {}, cacheUrl: 's3://b/../x', cacheEndpoint: 'notaurl' });
    expect(found.map((p) => p.path)).toEqual(['--cache', '--cache-endpoint']);
  });
});

describe('.env is read like every project file', () => {
  it.each([
    ['a FIFO (would hang every command)', (f: string) => execFileSync('mkfifo', [f]), /environment file \.env is not a regular file/],
    ['a link to /dev/zero (would grow without end)', (f: string) => symlinkSync('/dev/zero', f), /environment file \.env is outside the project/],
    ['a link to a file outside the project', (f: string) => symlinkSync(join(root, 'outside.env'), f), /environment file \.env is outside the project/],
    ['over 64 KiB', (f: string) => writeFileSync(f, `A=${'x'.repeat(70_000)}\n`), /environment file \.env is 68 KiB; the limit is 64 KiB/],
    ['a folder', (f: string) => mkdirSync(f), /environment file \.env is a folder/],
    ['not UTF-8', (f: string) => writeFileSync(f, Buffer.from([0x41, 0x3d, 0xff, 0x0a])), /environment file \.env is not valid UTF-8/],
  ])('%s: refused, naming .env', async (what, setup, message) => {
    const dir = project(`dotenv-${what.replace(/[^a-z0-9]+/gi, '-')}`, setup);
    const found = await problems({ env: {} }, dir);
    expect(found).toEqual([expect.objectContaining({ file: join(dir, '.env') })]);
    expect(found[0]!.code).toMatch(/^E_(PATH|ENCODING)$/);
    expect(found[0]!.message).toMatch(message);
  });

  it('a link to a hidden folder inside the project is refused; to a plain file inside, read', async () => {
    const hidden = project('dotenv-to-git', (f) => {
      mkdirSync(join(f, '..', '.git'));
      writeFileSync(join(f, '..', '.git', 'config'), 'A=1\n');
      symlinkSync('.git/config', f);
    });
    expect((await problems({ env: {} }, hidden))[0]!.message).toMatch(/hidden file or inside a hidden folder/);
    const plain = project('dotenv-to-config', (f) => {
      mkdirSync(join(f, '..', 'config'));
      writeFileSync(join(f, '..', 'config', 'env'), 'RUNWARE_API_KEY=linked\n');
      symlinkSync('config/env', f);
    });
    expect((await resolveSettings({ env: {} }, plain)).env['RUNWARE_API_KEY']).toBe('linked');
  });

  it('no .env is no problem', async () => {
    const dir = project('no-dotenv', () => undefined);
    expect((await resolveSettings({ env: { A: '1' } }, dir)).env['A']).toBe('1');
  });
});
