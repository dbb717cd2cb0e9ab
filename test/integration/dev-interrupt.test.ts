import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CLI, spawnCli } from '../helpers/child.js';
import { fetchRaw, until } from '../helpers/dev.js';
import { EMULATORS, emulatorEnv } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * Ctrl-C ends pressroom dev with the guarantees of a build: it exits 0 or 130, a build in flight
 * leaves no temporary file that the next build does not sweep, and a paid task in flight is never
 * paid twice (its id is in the journal; the next build resumes it).
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

// Twelve generations: the first build is still running when Ctrl-C comes.
const sizes = Array.from({ length: 12 }, (_, i) => `  - { id: s${i}, width: ${400 + i * 40}, height: 400 }`).join('\n');
const LOCAL = `template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "HELLO", copy: "World." } }
sizes:
${sizes}
`;

const tempFiles = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('pressroom-tmp'));
const serving = (stderr: string) => /review page at (http:\/\/\S+)/.exec(stderr)?.[1];

describe('Ctrl-C in pressroom dev', () => {
  it.each([
    ['cli.js, signal to the process', CLI, false],
    ['the bin, signal to the whole group as a terminal sends it', BIN, true],
  ] as const)('%s: exits 0 or 130 mid-build, and the next build finishes clean', async (_name, entry, group) => {
    const project = await makeProject({ demo: LOCAL }, '{{scene}} at {{size.aspect}}: "{{headline}}"');
    cleanups.push(project.cleanup);
    const child = spawnCli(['dev', '--port', '0'], project.dir, {}, { entry, detached: group });
    await child.waitFor(/review page at/);
    const url = serving(child.stderr)!;
    if (group) process.kill(-child.process.pid!, 'SIGINT');
    else child.process.kill('SIGINT');
    const { code } = await child.exited;
    expect([0, 130]).toContain(code);
    expect(child.stderr).toMatch(/stopping: the review page closes/);
    expect(child.stderr).not.toMatch(/\n\s+at /);
    // The server is gone with it.
    await expect(fetchRaw(Number(new URL(url).port), '/')).rejects.toThrow(/ECONNREFUSED/);

    const again = await cli(project.dir, ['build', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).campaigns[0]).toMatchObject({ failed: 0, assets: 12 });
    expect(tempFiles(join(project.dir, 'out'))).toEqual([]);
    expect(tempFiles(join(project.dir, '.pressroom'))).toEqual([]);
  });

  it('while a paid generation is in flight: exits 130, and the next build pays for it no second time', async () => {
    const key = 'sk-dev-interrupt';
    const emulator = await EMULATORS.runware({ apiKey: key, latencyMs: 4000 });
    cleanups.push(() => emulator.close());
    const project = await makeProject({
      paid: `provider: runware
template: poster
vars: { brand: "AQUA//ONE" }
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "HELLO", copy: "World." } }
sizes: [{ id: square, width: 512, height: 512 }]
`,
    });
    cleanups.push(project.cleanup);
    const env = emulatorEnv(emulator, key);
    const child = spawnCli(['dev', '--port', '0', '--max-cost', '1'], project.dir, env);
    await child.waitFor(/paid: .*wait for a paid generation/);
    const port = Number(new URL(serving(child.stderr)!).port);
    const page = (await fetchRaw(port, '/')).body.toString();
    const token = /name="pressroom-token" content="([0-9a-f]+)"/.exec(page)![1]!;
    // The page's request is not awaited: Ctrl-C comes while the provider works on it.
    const generating = fetchRaw(port, '/_dev/generate', {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${port}`, 'x-pressroom-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ campaign: 'paid', cell: 'hero/en-US/square' }),
    }).catch(() => undefined);
    await until(() => emulator.submits() === 1 || undefined, 'the submit', 30_000);
    child.process.kill('SIGINT');
    const { code } = await child.exited;
    await generating;
    expect([0, 130]).toContain(code);
    expect(emulator.billed()).toBe(1);

    const resumed = await cli(project.dir, ['build', '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).campaigns[0]).toMatchObject({ failed: 0, assets: 1 });
    expect(emulator.billed()).toBe(1);
    expect(tempFiles(join(project.dir, 'out'))).toEqual([]);
  });
});
