import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * src/bin.ts runs a build in-process and asks it to stop before its first pixel (issue 25): a
 * build that will make pixels then runs again in a child with the malloc arena cap; a no-op stays.
 */
let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
  expect((await cli(project.dir, ['build'])).code).toBe(0);
});
afterAll(() => project.cleanup());

async function buildHandingOff(): Promise<{ code: number; handedOff: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let handedOff = 0;
  const code = await runCli(['build'], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { PATH: process.env['PATH'], CI: 'true' },
    cwd: project.dir,
    handOffPixels: () => (handedOff += 1),
  });
  return { code, handedOff, stdout, stderr };
}

const file = (...parts: string[]) => join(project.dir, 'out', 'demo', ...parts);

describe('a build that may hand off before its first pixel', () => {
  it('runs to the end here when every file is in place', async () => {
    const run = await buildHandingOff();
    expect(run).toMatchObject({ code: 0, handedOff: 0 });
    expect(run.stdout).toContain('9 unchanged');
    expect(run.stderr).toContain('6/6 generations done');
  });

  it('stops before making anything, printing nothing, when a file is to be cut', async () => {
    const manifest = readFileSync(file('manifest.json'), 'utf8');
    rmSync(file('en-US', 'hero-story.jpg'));
    const run = await buildHandingOff();
    expect(run).toEqual({ code: 0, handedOff: 1, stdout: '', stderr: '' });
    expect(existsSync(file('en-US', 'hero-story.jpg'))).toBe(false);
    expect(readFileSync(file('manifest.json'), 'utf8')).toBe(manifest);
    // The run it hands off to makes the file.
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    expect(existsSync(file('en-US', 'hero-story.jpg'))).toBe(true);
  });
});
