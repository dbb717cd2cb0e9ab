import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JOB_TIMEOUT_MS, resolveSettings } from '../../src/commands/settings.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-settings-'));
  mkdirSync(join(root, 'proj'));
  writeFileSync(join(root, 'proj', '.env'), 'RUNWARE_API_KEY=from-file\nPRESSROOM_CACHE_DIR=env-cache\nPRESSROOM_LOG=debug\n');
});
afterAll(() => cleanup());

describe('resolveSettings', () => {
  it('defaults: project root is cwd, out/ and .pressroom/cache under it, quiet, not live', () => {
    const s = resolveSettings({}, root);
    expect(s).toMatchObject({ cwd: root, projectRoot: root, outRoot: join(root, 'out'), cacheDir: join(root, '.pressroom/cache'), force: false, json: false, logLevel: 'warn', live: false, color: false, jobTimeoutMs: DEFAULT_JOB_TIMEOUT_MS, filter: {} });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('environment over .env over defaults; flags over all of them', () => {
    const cwd = join(root, 'proj');
    const fromEnv = resolveSettings({ cwd, env: { RUNWARE_API_KEY: 'from-env', PRESSROOM_POLL_INTERVAL_MS: '25', PRESSROOM_HTTP_TIMEOUT_MS: 'soon' } }, '/ignored');
    expect(fromEnv.env['RUNWARE_API_KEY']).toBe('from-env');
    expect(fromEnv.cacheDir).toBe(join(cwd, 'env-cache'));
    expect(fromEnv.logLevel).toBe('debug');
    expect(fromEnv.pollIntervalMs).toBe(25);
    expect(fromEnv.httpTimeoutMs).toBeUndefined();
    const fromFlags = resolveSettings({ cwd, cacheDir: 'flag-cache', outRoot: '/abs/out', logLevel: 'error', pollIntervalMs: 5, env: { PRESSROOM_POLL_INTERVAL_MS: '25' } }, '/ignored');
    expect(fromFlags).toMatchObject({ cacheDir: join(cwd, 'flag-cache'), outRoot: '/abs/out', logLevel: 'error', pollIntervalMs: 5 });
  });

  it('a progress bar only on a terminal outside CI; colour unless NO_COLOR', () => {
    const tty = { write: () => true, isTTY: true };
    expect(resolveSettings({ stderr: tty, env: {} }, root)).toMatchObject({ live: true, color: true });
    expect(resolveSettings({ stderr: tty, env: { CI: 'true', NO_COLOR: '' } }, root)).toMatchObject({ live: false, color: false });
  });

  it('ignores an unknown log level', () => {
    expect(resolveSettings({ env: { PRESSROOM_LOG: 'loud' } }, root).logLevel).toBe('warn');
  });
});
