import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, examplesProject, pressroomArgs, words } from '../helpers/examples.js';
import { cli } from '../helpers/project.js';

/** Every pressroom command in README.md's shell blocks runs, in order, against a copy of the examples. */

/** Need a provider key: not run here (the live tests cover the providers). */
const NEEDS_KEYS = ['npx pressroom build --provider runware --model seedream-4.0'];

function readmeCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => pressroomArgs(line) !== undefined || /^npm run build\b/.test(line));
}

/** `npm run build -- …` is the package script for `pressroom build …`. */
const argsOf = (line: string) => (/^npm run build\b/.test(line) ? ['build', ...words(line).slice(3).filter((w, i) => i > 0 || w !== '--')] : pressroomArgs(line)!);

const commands = readmeCommands().filter((c) => !NEEDS_KEYS.includes(c));

describe('README commands', () => {
  let project: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    project = await examplesProject();
  });
  afterAll(() => project.cleanup());

  it('finds the commands, and the ones left out are still in the README', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(commands).toContain('npm run build -- --locale ja-JP,ar-SA --size story');
    for (const skipped of NEEDS_KEYS) expect(readmeCommands()).toContain(skipped);
  });

  it.each(commands)('%s exits 0', { timeout: 240_000 }, async (command) => {
    const run = await cli(project.dir, argsOf(command));
    expect(run.code, `${command}\n${run.stderr}`).toBe(0);
  });
});
