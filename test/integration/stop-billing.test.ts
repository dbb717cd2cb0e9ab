import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/child.js';
import { billedOncePerPrompt, billingSetup, GENERATIONS, manifestOf, PROVIDERS, submittedLines, until } from '../helpers/billing.js';
import { cli } from '../helpers/project.js';
import { virtualTime } from '../helpers/virtual-time.js';

/**
 * Stopped builds (Ctrl-C, --job-timeout, a provider that never answers), then a re-run: what was
 * billed. The emulator's clock stands still until the build is stopped, so no task can finish
 * early on a fast machine or late on a slow one.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function rerunBillsNothingMore(setup: Awaited<ReturnType<typeof billingSetup>>) {
  const rerun = await cli(setup.project.dir, ['build', '--json'], setup.env);
  expect(rerun.code, rerun.stderr).toBe(0);
  expect(JSON.parse(rerun.stdout).campaigns[0]).toMatchObject({ assets: GENERATIONS, failed: 0 });
  expect(setup.emulator.billed()).toBe(GENERATIONS);
  expect(billedOncePerPrompt(setup.emulator, setup.project.dir)).toEqual(Array(GENERATIONS).fill(1));
}

describe('Ctrl-C against a provider, then a re-run', () => {
  it.each(PROVIDERS)('%s: jobs in flight finish or stay resumable; the re-run pays for nothing twice', async (provider) => {
    const setup = await billingSetup(provider, { latencyMs: 1200 });
    cleanups.push(setup.cleanup);
    setup.emulator.clock.freeze();
    const child = spawnCli(['build', '--concurrency', '2'], setup.project.dir, setup.env);
    await until(() => submittedLines(setup.project.dir) >= 2, 20_000, 'two tasks submitted');
    child.process.kill('SIGINT');
    // Stopped before any task could finish; the jobs in flight then finish within the grace period.
    await child.waitFor(/stopping: no new jobs/);
    setup.emulator.clock.run();
    expect((await child.exited).code, child.stderr).toBe(130);
    expect(setup.emulator.billed()).toBeLessThan(GENERATIONS);
    await rerunBillsNothingMore(setup);
  });

  it.each(PROVIDERS)('%s: a second Ctrl-C quits at once; the re-run resumes the tasks left running', async (provider) => {
    const setup = await billingSetup(provider, { latencyMs: 1500 });
    cleanups.push(setup.cleanup);
    setup.emulator.clock.freeze();
    const child = spawnCli(['build', '--concurrency', '2'], setup.project.dir, setup.env);
    await until(() => submittedLines(setup.project.dir) >= 2, 20_000, 'two tasks submitted');
    child.process.kill('SIGINT');
    await child.waitFor(/stopping: no new jobs/);
    // At least DUPLICATE_SIGNAL_MS later, so it counts as a second press (waiting longer changes nothing).
    await new Promise((r) => setTimeout(r, 300));
    child.process.kill('SIGINT');
    expect((await child.exited).code).toBe(130);
    expect(child.stderr).toMatch(/quit: remote task ids are in the journal/);
    setup.emulator.clock.run();
    await rerunBillsNothingMore(setup);
  });
});

describe('--job-timeout against a provider, then a re-run', () => {
  it.each(PROVIDERS)('%s: tasks past the deadline stay open in the journal; the re-run resumes them', async (provider) => {
    const setup = await billingSetup(provider, { latencyMs: 2500 });
    cleanups.push(setup.cleanup);
    // No task finishes before its deadline, on a clock only the build's own waits move.
    setup.emulator.clock.freeze();
    const first = await cli(setup.project.dir, ['build', '--job-timeout', '1'], setup.env, virtualTime());
    expect(first.code).toBe(1);
    const failures = manifestOf(setup.project.dir).failures;
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.error.code).toBe('E_PROVIDER_TIMEOUT');
      expect(f.error.message).toMatch(/deadline/);
    }
    if (provider === 'runninghub') {
      // Which deadline, that the task may still finish, and its id: the re-run resumes it.
      for (const f of failures) expect(f.error.message).toMatch(/job deadline \(--job-timeout\).*task \S+.*may still finish.*re-run/);
    }
    setup.emulator.clock.run();
    await rerunBillsNothingMore(setup);
  });

  it.each(PROVIDERS)('%s: a submit the provider accepts and never answers ends at the job deadline, not the HTTP timeout', async (provider) => {
    const setup = await billingSetup(provider, { latencyMs: 50 });
    cleanups.push(setup.cleanup);
    setup.emulator.inject('submit', { kind: 'hang' });
    // No PRESSROOM_HTTP_TIMEOUT_MS: the client's own 60 s would far outlast this test's time limit.
    // The deadline is real time here (the hang takes real time), so the build has that one job
    // alone: no other job's 2 s can run out on a loaded machine.
    const first = await cli(setup.project.dir, ['build', '--job-timeout', '2', '--locale', 'en-US'], setup.env);
    expect(first.code, first.stderr).toBe(1);
    const failures = manifestOf(setup.project.dir).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error.code).toBe('E_PROVIDER_TIMEOUT');
    await rerunBillsNothingMore(setup);
  }, 20_000);
});

describe('Runware, where a repeated taskUUID is billed again', () => {
  it.each(['accept-then-500', 'accept-then-reset'])('a submit whose answer was lost (%s) is looked up, not sent again', async (fault) => {
    const setup = await billingSetup('runware', { latencyMs: 50, billDuplicates: true });
    cleanups.push(setup.cleanup);
    setup.emulator.inject('submit', { kind: 'custom', name: fault }, 2);
    await rerunBillsNothingMore(setup);
  });
});
