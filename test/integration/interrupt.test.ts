import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignManifest } from '../../src/core/results.js';
import { BIN, CLI, spawnCli } from '../helpers/child.js';
import { EmulatorClock } from '../helpers/emulators/clock.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { makeProject } from '../helpers/project.js';

// Twelve aspect ratios and a template that names the size: twelve separate generations.
const sizes = Array.from({ length: 12 }, (_, i) => `  - { id: s${i}, width: ${400 + i * 40}, height: 400 }`).join('\n');
const CAMPAIGN = `provider: runninghub
template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "HELLO", copy: "World." } }
sizes:
${sizes}
`;

const KEY = 'interrupt-test-key';
let project: { dir: string; cleanup: () => Promise<void> };
let emulator: AnyEmulator;
let env: NodeJS.ProcessEnv;
/** Moves with the traffic until the fourth submit arrives: that task waits until the test lets time run. */
let holdFourth = true;
let submitsBefore = 0;
const submits = () => emulator?.requests.filter((r) => /text-to-image$/.test(r.path)).length ?? 0;
const clock = new (class extends EmulatorClock {
  override tick(): void {
    if (!holdFourth || submits() - submitsBefore < 4) super.tick();
  }
})();
beforeAll(async () => {
  project = await makeProject({ demo: CAMPAIGN }, '{{scene}} at {{size.aspect}}: "{{headline}}"');
  emulator = await EMULATORS.runninghub({ apiKey: KEY, latencyMs: 50, clock });
  env = emulatorEnv(emulator, KEY);
});
afterAll(async () => {
  await emulator.close();
  await project.cleanup();
});

describe('Ctrl-C', () => {
  it.each([
    ['cli.js, signal to the process', CLI, false],
    ['the bin, signal to the bin only', BIN, false],
    ['the bin, signal to the whole group as a terminal sends it', BIN, true],
  ] as const)('%s: stops submitting, keeps finished work, exits 130, and a re-run continues', async (_name, entry, group) => {
    const { rmSync } = await import('node:fs');
    rmSync(join(project.dir, 'out'), { recursive: true, force: true });
    rmSync(join(project.dir, '.pressroom'), { recursive: true, force: true });
    // Three generations finish; the fourth is held in flight, so the press always lands mid-build.
    holdFourth = true;
    submitsBefore = submits();
    const child = spawnCli(['build', '--concurrency', '1'], project.dir, env, { entry, detached: group });
    await child.waitFor(/generations done/);
    if (group) process.kill(-child.process.pid!, 'SIGINT');
    else child.process.kill('SIGINT');
    await child.waitFor(/stopping: no new jobs/);
    // The job in flight finishes within the grace period; nothing new starts.
    holdFourth = false;
    const { code } = await child.exited;
    expect(code).toBe(130);
    expect(child.stderr).toMatch(/finished images are safe/);
    expect(child.stderr).not.toMatch(/quit: remote task ids/); // one press, not two
    expect(child.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')) as CampaignManifest;
    const done = manifest.assets.length;
    expect(done, child.stderr).toBe(4);
    expect(manifest.failures.every((f) => f.error.code === 'E_INTERRUPTED')).toBe(true);
    expect(done + manifest.failures.length).toBe(12);

    const again = spawnCli(['build', '--json'], project.dir, env);
    expect((await again.exited).code).toBe(0);
    expect(JSON.parse(again.stdout).campaigns[0]).toMatchObject({ generated: 12 - done, cached: done, failed: 0 });
  });
});
