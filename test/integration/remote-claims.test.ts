import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { billedOncePerPrompt, billingSetup, GENERATIONS, submittedLines, until } from '../helpers/billing.js';
import { spawnCli } from '../helpers/child.js';
import { cli } from '../helpers/project.js';
import { virtualTime } from '../helpers/virtual-time.js';
import { openS3Store } from '../../src/cache/s3.js';
import { BUCKET, S3_ENV, startS3 } from '../helpers/s3.js';

/**
 * Runners as separate processes with separate local caches (separate machines) sharing one bucket
 * on s3rver behind the precondition proxy: the remote claims alone keep them from paying twice.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp(latencyMs: number) {
  const s3 = await startS3({ conditional: true });
  cleanups.push(() => s3.close());
  const billing = await billingSetup('runninghub', { latencyMs });
  cleanups.push(billing.cleanup);
  const env = { ...billing.env, ...S3_ENV, PRESSROOM_CACHE_URL: 's3://cache/ci', PRESSROOM_CACHE_ENDPOINT: s3.endpoint, PRESSROOM_LOG: 'info' };
  const runner = (machine: string, extraEnv: Record<string, string> = {}, args: string[] = []) =>
    spawnCli(['build', '--json', '--cache-dir', `.m/${machine}/cache`, '--out', `.m/${machine}/out`, ...args], billing.project.dir, { ...env, ...extraEnv });
  const submitted = (machine: string) => submittedLines(billing.project.dir, join('.m', machine, 'cache'));
  const store = await openS3Store({ location: { bucket: BUCKET, prefix: 'ci' }, endpoint: s3.endpoint, env: S3_ENV });
  const claimsWithTask = async (count: number) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const names = await store.list('claims/');
      const bodies = await Promise.all(names.map((n) => store.get(n)));
      if (bodies.filter((b) => b && /"taskId"/.test(Buffer.from(b.body).toString())).length >= count) return;
      if (Date.now() > end) throw new Error('claims never carried task ids');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { ...billing, env, s3, runner, submitted, claimsWithTask };
}

const summaryOf = (stdout: string) => JSON.parse(stdout).campaigns[0] as { generated: number; cached: number; failed: number };

describe('two runners on two machines sharing the remote cache', () => {
  it('bill each generation once: what one generates, the other waits for and reads', async () => {
    const { emulator, runner } = await setUp(600);
    const runners = [runner('a'), runner('b')];
    const exits = await Promise.all(runners.map((r) => r.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, runners[i]!.stderr).toBe(0);
    expect(emulator.billed()).toBe(GENERATIONS);
    expect(emulator.submits()).toBe(GENERATIONS);
    const summaries = runners.map((r) => summaryOf(r.stdout));
    expect(summaries.reduce((n, s) => n + s.generated, 0)).toBe(GENERATIONS);
    for (const s of summaries) expect(s.generated + s.cached).toBe(GENERATIONS);
  });

  it('a runner killed mid-task: another takes its stale claims over and resumes its tasks instead of paying again', async () => {
    const { emulator, runner, submitted, claimsWithTask } = await setUp(2500);
    emulator.clock.freeze();
    const doomed = runner('a', {}, ['--concurrency', '2']);
    await until(() => submitted('a') >= 2, 20_000, 'two tasks submitted');
    // The task id reaches the claim objects right after the journal lines.
    await claimsWithTask(2);
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    const billedBefore = emulator.billed();
    expect(billedBefore).toBeGreaterThanOrEqual(2);
    expect(billedBefore).toBeLessThan(GENERATIONS);
    emulator.clock.run();

    const taker = runner('b', { PRESSROOM_CLAIM_STALE_MS: '10000' });
    const exit = await taker.exited;
    expect(exit.code, taker.stderr).toBe(0);
    expect(taker.stderr).toMatch(/took over/);
    expect(summaryOf(taker.stdout)).toMatchObject({ failed: 0 });
    expect(emulator.billed()).toBe(GENERATIONS);
  });
});

describe('two runners while the store fails its claims/ requests (503) and answers everything else', () => {
  async function halfFailing(budget?: number) {
    const { s3, runner: _child, ...rest } = await setUp(50);
    s3.fault = '5xx';
    s3.faultPrefixes = ['ci/claims/'];
    if (budget !== undefined) s3.faultBudget = budget;
    // In-process runners: their waits take no real time, their caches are two machines'.
    const runner = (machine: string, args: string[] = []) =>
      cli(rest.project.dir, ['build', '--json', '--cache-dir', `.m/${machine}/cache`, '--out', `.m/${machine}/out`, ...args], rest.env, virtualTime());
    return { s3, ...rest, runner };
  }

  it('a claim that cannot be written is not won: neither runner pays while it waits, and it says why', async () => {
    const { emulator, runner } = await halfFailing();
    const [a, b] = await Promise.all([runner('a', ['--job-timeout', '30']), runner('b', ['--job-timeout', '30'])]);
    for (const r of [a, b]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/remote claims unavailable \(.*HTTP 503.*\); waiting for the store/);
      expect(summaryOf(r.stdout)).toMatchObject({ generated: 0, failed: GENERATIONS });
    }
    expect(emulator.submits()).toBe(0);
  });

  it('waits out a store that recovers: each generation is paid once between the two runners', async () => {
    const { emulator, project, runner } = await halfFailing(40);
    const [a, b] = await Promise.all([runner('a'), runner('b')]);
    for (const r of [a, b]) expect(r.code, r.stderr).toBe(0);
    expect(emulator.billed()).toBe(GENERATIONS);
    expect(summaryOf(a.stdout).generated + summaryOf(b.stdout).generated).toBe(GENERATIONS);
    expect(billedOncePerPrompt(emulator, join(project.dir, '.m', 'a'))).toEqual(Array(GENERATIONS).fill(1));
  });

  it('with --shard, each runner builds its own share on local claims, and says so', async () => {
    const { emulator, runner } = await halfFailing();
    const [a, b] = await Promise.all([runner('a', ['--shard', '1/2']), runner('b', ['--shard', '2/2'])]);
    for (const r of [a, b]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/remote claims unavailable .*relying on local claims and the --shard partition/);
    }
    expect(emulator.billed()).toBe(GENERATIONS);
    expect(summaryOf(a.stdout).generated + summaryOf(b.stdout).generated).toBe(GENERATIONS);
  });
});

describe('a runner that loses sight of its tasks, then a runner on another machine', () => {
  it('takes over the claims left with the tasks open and resumes them: each image paid once', async () => {
    const { emulator, env, project } = await setUp(50);
    const runner = (machine: string, extraEnv: Record<string, string> = {}) =>
      cli(project.dir, ['build', '--json', '--cache-dir', `.m/${machine}/cache`, '--out', `.m/${machine}/out`], { ...env, ...extraEnv }, virtualTime());
    emulator.inject('query', { kind: 'status', status: 503, body: { errorCode: '500' } }, 10_000);
    const a = await runner('a');
    expect(a.code, a.stderr).toBe(1);
    expect(emulator.billed()).toBe(GENERATIONS);
    emulator.clearFaults();
    // Runner a's claims carry its task ids and go stale: b takes them over and resumes those tasks.
    const b = await runner('b', { PRESSROOM_CLAIM_STALE_MS: '10000' });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/took over/);
    expect(emulator.billed()).toBe(GENERATIONS);
  });
});
