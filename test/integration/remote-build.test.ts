import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/project.js';
import { openS3Store } from '../../src/cache/s3.js';
import { BUCKET, S3_ENV, startS3 } from '../helpers/s3.js';

/**
 * Builds through the CLI with the remote cache on s3rver (through the real AWS SDK): separate
 * --cache-dir folders play separate CI machines sharing one bucket.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Summary {
  assets: number;
  generated: number;
  cached: number;
  failed: number;
}

async function setUp(conditional = false) {
  const s3 = await startS3({ conditional });
  cleanups.push(() => s3.close());
  const project = await makeProject();
  cleanups.push(project.cleanup);
  const env = { ...S3_ENV, PRESSROOM_CACHE_ENDPOINT: s3.endpoint, PRESSROOM_HTTP_TIMEOUT_MS: '3000' };
  const run = async (machine: string, args: string[], extraEnv: Record<string, string> = {}) => {
    const r = await cli(project.dir, [...args, '--cache', 's3://cache/ci', '--cache-dir', `.m/${machine}/cache`, '--out', `.m/${machine}/out`, '--json'], { ...env, ...extraEnv });
    const summary = r.stdout ? (JSON.parse(r.stdout) as { campaigns: Summary[] }).campaigns[0] : undefined;
    return { ...r, summary };
  };
  return { s3, project, run };
}

describe('build with a remote cache', () => {
  it('a second machine with an empty local cache takes every image from the remote; assemble delivers without generating', async () => {
    const { run, project } = await setUp();
    const first = await run('a', ['build']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary!.generated).toBeGreaterThan(0);
    // s3rver ignores If-None-Match: said once, and the build goes on.
    expect(first.stderr.match(/ignores conditional writes/g)).toHaveLength(1);

    const second = await run('b', ['build']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.summary).toMatchObject({ generated: 0, cached: first.summary!.generated + first.summary!.cached, failed: 0 });

    const assembled = await run('c', ['assemble']);
    expect(assembled.code, assembled.stderr).toBe(0);
    expect(assembled.summary).toMatchObject({ generated: 0, failed: 0, assets: first.summary!.assets });
    const manifest = (m: string) => JSON.parse(readFileSync(join(project.dir, '.m', m, 'out', 'demo', 'manifest.json'), 'utf8')) as { assets: { file: string; sha256: string }[] };
    expect(manifest('c').assets.map((a) => a.sha256)).toEqual(manifest('a').assets.map((a) => a.sha256));
  });

  it('plan counts what the remote holds as cached, from one listing instead of a request per key', async () => {
    const { run, s3 } = await setUp();
    const built = await run('a', ['build']);
    expect(built.code, built.stderr).toBe(0);
    type Planned = { campaigns: { generations: number; cached: number; toGenerate: number }[] };
    for (const k of Object.keys(s3.counts)) delete s3.counts[k];
    const fresh = await run('b', ['plan']);
    expect(fresh.code, fresh.stderr).toBe(0);
    const plan = (JSON.parse(fresh.stdout) as Planned).campaigns[0]!;
    expect(plan.generations).toBeGreaterThan(1);
    expect(plan).toMatchObject({ cached: plan.generations, toGenerate: 0 });
    // The listing only (one page here): no GET or HEAD per generation.
    expect(s3.counts).toEqual({ GET: 1 });

    s3.fault = '5xx';
    const down = await run('c', ['plan']);
    expect(down.code, down.stderr).toBe(0);
    expect((JSON.parse(down.stdout) as Planned).campaigns[0]).toMatchObject({ cached: 0, toGenerate: plan.generations });
    expect(down.stderr).toMatch(/could not be listed/);
  });

  it('a budgeted build lists the remote once: the estimate and the build share the listing', async () => {
    const { run, s3, project } = await setUp();
    const built = await run('a', ['build']);
    expect(built.code, built.stderr).toBe(0);
    // Its local cache cleared, out/ kept: the estimate finds every image in the remote, and --verify
    // checks the entry behind each delivered file there too.
    rmSync(join(project.dir, '.m', 'a', 'cache'), { recursive: true, force: true });
    s3.lists = 0;
    const again = await run('a', ['build', '--max-cost', '100', '--verify']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.summary).toMatchObject({ generated: 0, failed: 0 });
    // One page here, listed once for both (twice before issue 21).
    expect(s3.lists).toBe(1);
  });

  it.each(['same', 'cycle'] as const)('plan gives up a listing that is always truncated (%s token) at once, says so, and counts the local cache', async (listFault) => {
    const { run, s3 } = await setUp();
    s3.listFault = listFault;
    const plan = await run('a', ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toMatch(/could not be listed \(.*continuation token the store gave before.*\); cached counts are the local cache's only/);
    // Page 1 and 2 (same token), or 1 to 3 (A, B, A): never the 37,615 requests of a loop.
    expect(s3.lists).toBe(listFault === 'same' ? 2 : 3);
    const planned = (JSON.parse(plan.stdout) as { campaigns: { cached: number; toGenerate: number }[] }).campaigns[0]!;
    expect(planned.cached).toBe(0);
  });

  it('a listing that hands out new tokens forever stops at the page cap', async () => {
    const { s3 } = await setUp();
    s3.listFault = 'fresh';
    const store = await openS3Store({ location: { bucket: BUCKET, prefix: 'ci' }, endpoint: s3.endpoint, env: S3_ENV, maxListPages: 5 });
    await expect(store.list('objects/')).rejects.toThrow(/still truncated after 5 pages/);
    expect(s3.lists).toBe(5);
  });

  it('shards split the generations without overlap; assemble after them delivers everything', async () => {
    const { run } = await setUp(true);
    const shards = await Promise.all([run('s1', ['build', '--shard', '1/2']), run('s2', ['build', '--shard', '2/2'])]);
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    const generated = shards.map((s) => s.summary!.generated);
    const whole = await run('all', ['assemble']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.summary!.failed).toBe(0);
    expect(generated[0]! + generated[1]!).toBe(whole.summary!.cached);
    expect(shards.every((s) => s.summary!.cached === 0)).toBe(true);
  });

  it('assemble before any build fails each missing image with E_CACHE_MISS and generates nothing', async () => {
    const { run } = await setUp();
    const r = await run('x', ['assemble']);
    expect(r.code).toBe(1);
    expect(r.summary).toMatchObject({ generated: 0 });
    expect(r.stdout).toMatch(/E_CACHE_MISS/);
  });

  it.each(['down', '403', '5xx'] as const)('a store that is %s from the start: the build completes locally with a warning, and uploads on the next run', async (fault) => {
    const { run, s3 } = await setUp();
    s3.fault = fault;
    const first = await run('a', ['build']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.summary!.failed).toBe(0);
    expect(first.stderr).toMatch(/local cache only/);
    s3.fault = 'none';
    const again = await run('a', ['build']);
    expect(again.code, again.stderr).toBe(0);
    const elsewhere = await run('b', ['build']);
    expect(elsewhere.summary).toMatchObject({ generated: 0, failed: 0 });
  });

  it('refuses a cache URL that is not s3:// with a usage error naming the flag', async () => {
    const project = await makeProject();
    cleanups.push(project.cleanup);
    const r = await cli(project.dir, ['build', '--cache', 'https://x/y', '--shard', '3/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cache/);
    expect(r.stderr).toMatch(/--shard/);
  });
});
