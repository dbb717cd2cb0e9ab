import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../helpers/emulator.js';
import { billingSetup, GENERATIONS, manifestOf, PROVIDERS } from '../helpers/billing.js';
import { cli } from '../helpers/project.js';
import { virtualTime } from '../helpers/virtual-time.js';

/**
 * Faults met while following a paid task, or in the answer to its submit, then a re-run: what the
 * providers billed. The build's waits take no real time (virtualTime), so thirty seconds of
 * failing status checks are the same retries, done at once.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const STATUS_ROUTE = { runninghub: 'query', runware: 'poll', runcomfy: 'status' } as const;
const UNAVAILABLE: Fault = { kind: 'status', status: 503, body: { error_code: 500001, errorCode: '500', message: 'Service Unavailable' } };
const SLOW_DOWN: Fault = { kind: 'status', status: 429, headers: { 'retry-after': '2' }, body: { code: 429, msg: 'Too Many Requests' } };

async function setUp(provider: (typeof PROVIDERS)[number]) {
  const setup = await billingSetup(provider);
  cleanups.push(setup.cleanup);
  const build = () => cli(setup.project.dir, ['build', '--json'], setup.env, virtualTime());
  return { ...setup, build };
}

describe.each(PROVIDERS)('%s: status checks that keep failing, then a re-run', (provider) => {
  it.each<[string, Fault]>([
    ['5xx', UNAVAILABLE],
    ['429', SLOW_DOWN],
  ])('after %s answers past every retry the tasks stay in the journal; the re-run resumes all six and pays for none', async (_name, fault) => {
    const { emulator, project, build } = await setUp(provider);
    emulator.inject(STATUS_ROUTE[provider], fault, 10_000);
    const first = await build();
    expect(first.code, first.stderr).toBe(1);
    const failures = manifestOf(project.dir).failures;
    expect(failures).toHaveLength(GENERATIONS);
    for (const f of failures) {
      // The message names the task and tells the truth about what a re-run does.
      expect(f.error.taskId).toBeTruthy();
      expect(f.error.message).toContain(f.error.taskId!);
      expect(f.error.message).toMatch(/re-run to resume/);
    }
    expect(emulator.billed()).toBe(GENERATIONS);

    emulator.clearFaults();
    const rerun = await build();
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).campaigns[0]).toMatchObject({ assets: GENERATIONS, failed: 0 });
    expect(emulator.billed()).toBe(GENERATIONS);
    expect(emulator.submits()).toBe(GENERATIONS);
  });
});

describe.each(['runninghub', 'runcomfy'] as const)('%s: submits whose answer was lost (the task was created)', (provider) => {
  it('are not resubmitted by the build; the re-run submits them again and says the provider may have charged twice', async () => {
    const { emulator, project, env, build } = await setUp(provider);
    emulator.inject('submit', { kind: 'custom', name: 'accept-then-500' }, 3);
    const first = await build();
    expect(first.code, first.stderr).toBe(1);
    expect(manifestOf(project.dir).failures).toHaveLength(3);
    expect(emulator.billed()).toBe(GENERATIONS);

    const rerun = await cli(project.dir, ['build'], env, virtualTime());
    expect(rerun.code, rerun.stderr).toBe(0);
    // Neither provider can look a task up without its id: three tasks are paid twice, and said to be.
    expect(emulator.billed()).toBe(GENERATIONS + 3);
    expect(rerun.stdout).toMatch(/3 generation\(s\) were resubmitted after a submit whose answer was lost: the provider may have charged twice/);
    expect(rerun.stderr).toMatch(new RegExp(`${provider} offers no lookup of a task without its id`));
  });
});
