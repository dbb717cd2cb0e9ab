import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';
import { virtualTime } from '../helpers/virtual-time.js';

/**
 * Guards a build applies before it pays, through the CLI in this process: a claim another machine
 * holds is waited for until its heartbeat is older than the default stale age (3 minutes, as the
 * README says), and an out/<campaign> that is not a folder is refused before anything runs.
 */

const KEY = 'sk-claims-guards-0001';
const CAMPAIGN = `provider: runware
template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "HELLO", copy: "World." } }
sizes: [{ id: square, width: 1080, height: 1080 }]
`;
/** The default stale age, as documented. */
const STALE_MS = 3 * 60_000;
/** A whole second, which the file system stores exactly. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

let emulator: AnyEmulator;
let project: { dir: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  emulator = await EMULATORS.runware({ apiKey: KEY, latencyMs: 10 });
  project = await makeProject({ launch: CAMPAIGN }, '{{scene}}: "{{headline}}"');
});
afterEach(async () => {
  await emulator.close();
  await project.cleanup();
});

/** The build's clock, starting at `start` and moved only by its own waits. */
function timeFrom(start: number) {
  const t = virtualTime();
  return { clock: { now: () => start + t.clock.now() }, sleep: t.sleep };
}
const submits = () => emulator.requests.filter((r) => r.route === 'submit').length;
const manifestOf = (out: string) => JSON.parse(readFileSync(join(project.dir, out, 'launch', 'manifest.json'), 'utf8')) as CampaignManifest;

describe('a claim held by a build on another machine, at the default stale age', () => {
  it('is waited for while its heartbeat is at most 3 minutes old, and taken over after', async () => {
    // The generation's key, from a build into a cache and out/ of its own.
    expect((await cli(project.dir, ['build', '--cache-dir', '.first', '--out', 'first'], emulatorEnv(emulator, KEY))).code).toBe(0);
    const key = manifestOf('first').assets[0]!.generation.key;
    const paid = submits();
    const claims = join(project.dir, '.pressroom', 'cache', 'claims');
    mkdirSync(claims, { recursive: true });
    const claim = join(claims, `${key}.claim`);
    writeFileSync(claim, JSON.stringify({ pid: 4242, host: 'another-machine', startedAt: T0, token: 'theirs' }));
    utimesSync(claim, new Date(T0), new Date(T0));

    // 100 s old, and the job's deadline 60 s later: still live all the while. Nothing is paid.
    const waited = await cli(project.dir, ['build', '--json', '--job-timeout', '60'], emulatorEnv(emulator, KEY), timeFrom(T0 + 100_000));
    expect(waited.code).toBe(1);
    expect(manifestOf('out').failures.map((f) => f.error.code)).toEqual(['E_PROVIDER_TIMEOUT']);
    expect(submits()).toBe(paid);
    expect(JSON.parse(readFileSync(claim, 'utf8'))).toMatchObject({ token: 'theirs' });

    // Just under the stale age when the build starts: it waits, then takes the claim over and pays once.
    const taken = await cli(project.dir, ['build', '--json', '--job-timeout', '60'], emulatorEnv(emulator, KEY), timeFrom(T0 + STALE_MS - 1_000));
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout).campaigns[0]).toMatchObject({ generated: 1, failed: 0 });
    expect(submits()).toBe(paid + 1);
    expect(existsSync(claim)).toBe(false);
  });
});

describe('out/<campaign> that is not a folder', () => {
  it.each([
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path])],
    ['a file', (path: string) => writeFileSync(path, 'notes')],
  ])('%s is refused before anything is paid, and left as it was', async (_what, make) => {
    mkdirSync(join(project.dir, 'out'), { recursive: true });
    const path = join(project.dir, 'out', 'launch');
    make(path);
    const r = await cli(project.dir, ['build', '--json'], emulatorEnv(emulator, KEY));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code)).toEqual(['E_OUTPUT_DIR']);
    expect(submits()).toBe(0);
    expect(existsSync(path)).toBe(true);
  });
});
