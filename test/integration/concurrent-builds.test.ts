import { afterEach, describe, expect, it } from 'vitest';
import { BIN, spawnCli } from '../helpers/child.js';
import { billedOncePerPrompt, billingSetup, childPids, GENERATIONS, processGone, PROVIDERS, submittedLines, until } from '../helpers/billing.js';
import { cli } from '../helpers/project.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('two builds started at once on the same project and cache', () => {
  it.each(PROVIDERS)('%s: every generation is billed once; the second build uses the first one\'s results', async (provider) => {
    const { emulator, project, env, cleanup } = await billingSetup(provider, { latencyMs: 600 });
    cleanups.push(cleanup);
    const builds = [spawnCli(['build', '--json'], project.dir, env), spawnCli(['build', '--json'], project.dir, env)];
    const exits = await Promise.all(builds.map((b) => b.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, builds[i]!.stderr).toBe(0);

    expect(emulator.billed()).toBe(GENERATIONS);
    expect(emulator.submits()).toBe(GENERATIONS);
    expect(billedOncePerPrompt(emulator, project.dir)).toEqual(Array(GENERATIONS).fill(1));
    // Between them they generated each image once; whatever one generated, the other took from the cache.
    const summaries = builds.map((b) => JSON.parse(b.stdout).campaigns[0] as { generated: number; cached: number; failed: number });
    expect(summaries.reduce((n, s) => n + s.generated, 0)).toBe(GENERATIONS);
    for (const s of summaries) expect(s.generated + s.cached).toBe(GENERATIONS);
  });
});

describe('kill -9 of the pressroom process (the parent of the build)', () => {
  it.each(PROVIDERS)('%s: the build child dies with it, and the re-run resumes instead of paying again', async (provider) => {
    const { emulator, project, env, cleanup } = await billingSetup(provider, { latencyMs: 1500 });
    cleanups.push(cleanup);
    emulator.clock.freeze();
    const parent = spawnCli(['build', '--concurrency', '2'], project.dir, env, { entry: BIN });
    await until(() => submittedLines(project.dir) >= 2, 20_000, 'two tasks submitted');
    const [child] = childPids(parent.process.pid!);
    expect(child, 'the bin runs the build in a child').toBeDefined();
    parent.process.kill('SIGKILL');
    await parent.exited;
    await until(() => processGone(child!), 10_000, 'the build child is gone');
    const billedBeforeRerun = emulator.billed();
    expect(billedBeforeRerun).toBeLessThan(GENERATIONS);
    emulator.clock.run();

    const rerun = await cli(project.dir, ['build', '--json'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).campaigns[0]).toMatchObject({ assets: GENERATIONS, failed: 0 });
    expect(emulator.billed()).toBe(GENERATIONS);
    expect(billedOncePerPrompt(emulator, project.dir)).toEqual(Array(GENERATIONS).fill(1));
  });
});
