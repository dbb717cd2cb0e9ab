import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { EMULATORS, emulatorEnv, type AnyEmulator } from '../helpers/emulators/index.js';
import { cli, makeProject } from '../helpers/project.js';

/** With --json, every exit prints exactly one JSON document on stdout and nothing else there. */
const KEY = 'json-test-key';
const sizes = Array.from({ length: 8 }, (_, i) => `  - { id: s${i}, width: ${400 + i * 40}, height: 400 }`).join('\n');
const LOCAL = `template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "HELLO", copy: "World." } }
sizes:
${sizes}
`;
const RUNWARE = `provider: runware
template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales: { en-US: { headline: "OK", copy: "x" }, de-DE: { headline: "BROKEN", copy: "y" } }
sizes: [{ id: square, width: 512, height: 512 }]
`;

let project: { dir: string; cleanup: () => Promise<void> };
let emulator: AnyEmulator;
beforeAll(async () => {
  emulator = await EMULATORS.runware({ apiKey: KEY, failPrompts: /BROKEN/ });
  project = await makeProject({ local: LOCAL, remote: RUNWARE }, '{{scene}} at {{size.aspect}}: "{{headline}}"');
});
afterAll(async () => {
  await emulator.close();
  await project.cleanup();
});

function parseOne(stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>; // throws on text or two documents
  expect(Object.keys(doc).slice(0, 3)).toEqual(['status', 'exitCode', 'errors']);
  return doc;
}

describe('--json', () => {
  it('exit 0: status ok with the command data', async () => {
    const run = await cli(project.dir, ['plan', 'campaigns/local', '--json']);
    expect(run.code).toBe(0);
    const doc = parseOne(run.stdout);
    expect(doc).toMatchObject({ status: 'ok', exitCode: 0, errors: [], campaigns: [{ name: 'local', assets: 8 }] });
  });

  it('exit 2: input errors as data, with file, line and field; nothing on stdout but the document', async () => {
    for (const args of [['build', '--json', '--concurrency', 'many'], ['validate', '--json', 'campaigns/nope']]) {
      const run = await cli(project.dir, args);
      expect(run.code).toBe(2);
      const doc = parseOne(run.stdout);
      expect(doc.status).toBe('invalid');
      expect(doc.exitCode).toBe(2);
      const errors = doc.errors as { code: string; message: string }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]!.code).toMatch(/^E_(USAGE|NOT_FOUND)$/);
      expect(run.stderr).not.toMatch(/nothing was generated/);
    }
  });

  it('exit 2 from a campaign file names file, line, col and field', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(project.dir, 'broken'), { recursive: true });
    writeFileSync(join(project.dir, 'broken', 'campaign.yaml'), LOCAL.replace('width: 400', 'width: 0'));
    const doc = parseOne((await cli(project.dir, ['validate', 'broken', '--json'])).stdout);
    expect(doc.errors).toEqual([expect.objectContaining({ code: 'E_SIZE', file: join('broken', 'campaign.yaml'), line: 5, col: expect.any(Number), field: 'sizes[0].width' })]);
  });

  it('exit 1: failed jobs listed as errors, the built ones still counted', async () => {
    const run = await cli(project.dir, ['build', 'campaigns/remote', '--json'], emulatorEnv(emulator, KEY));
    expect(run.code).toBe(1);
    const doc = parseOne(run.stdout);
    expect(doc).toMatchObject({ status: 'failed', exitCode: 1, campaigns: [{ name: 'remote', assets: 1, failed: 1 }], interrupted: false });
    expect(doc.errors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^E_PROVIDER_/), field: 'hero/de-DE/square' })]);
  });

  it('exit 130: interrupted, with the not-started jobs as E_INTERRUPTED', async () => {
    rmSync(join(project.dir, '.pressroom'), { recursive: true, force: true });
    let press: (() => void) | undefined;
    let stdout = '';
    const code = await runCli(['build', 'campaigns/local', '--json', '--concurrency', '1'], {
      stdout: { write: (t: string) => (stdout += t) },
      // Ctrl-C as soon as the build announces itself: most jobs have not started.
      stderr: { write: (t: string) => (t.startsWith('building') && press?.(), true), isTTY: false },
      env: { CI: 'true' },
      cwd: project.dir,
      onInterrupt: (handler) => (press = handler),
    });
    expect(code).toBe(130);
    const doc = parseOne(stdout);
    expect(doc).toMatchObject({ status: 'interrupted', exitCode: 130, interrupted: true });
    const errors = doc.errors as { code: string }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'E_INTERRUPTED')).toBe(true);
  });

  it('exit 130 on a second Ctrl-C: returns at once with one document, never exits the process', async () => {
    rmSync(join(project.dir, '.pressroom'), { recursive: true, force: true });
    let press: (() => void) | undefined;
    let stdout = '';
    let stderr = '';
    let now = 0;
    const code = await runCli(['build', 'campaigns/local', '--json', '--concurrency', '1', '--out', 'out-quit'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: {
        write: (t: string) => {
          stderr += t;
          if (t.startsWith('building')) {
            press?.();
            now += 1_000; // a second press, not the same one delivered twice
            press?.();
          }
          return true;
        },
        isTTY: false,
      },
      env: { CI: 'true' },
      cwd: project.dir,
      onInterrupt: (handler) => (press = handler),
      clock: { now: () => now },
    });
    expect(code).toBe(130);
    expect(parseOne(stdout)).toMatchObject({ status: 'interrupted', exitCode: 130, errors: [{ code: 'E_INTERRUPTED', message: 'quit before jobs in flight finished' }], campaigns: [] });
    expect(stderr).toMatch(/quit: remote task ids are in the journal/);
  });

  it('help and version are documents too', async () => {
    expect(parseOne((await cli(project.dir, ['--version', '--json'])).stdout)).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(parseOne((await cli(project.dir, ['--help', '--json'])).stdout).help).toMatch(/Usage: pressroom/);
  });
});
