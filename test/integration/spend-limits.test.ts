import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { billingSetup, GENERATIONS, manifestOf } from '../helpers/billing.js';
import { cli } from '../helpers/project.js';
import { virtualTime } from '../helpers/virtual-time.js';

/**
 * --max-cost during a build, where the plan's estimate is not what the providers report: RunningHub
 * reports credits (never dollars), RunComfy reports nothing (its price table stands in).
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Every cached image file, keeping its length: each is a miss from now on, though the plan counts it cached. */
function corruptCachedImages(dir: string, count: number): void {
  const root = join(dir, '.pressroom', 'cache', 'objects');
  const images = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.img')).sort();
  expect(images.length).toBeGreaterThanOrEqual(count);
  for (const file of images.slice(0, count)) {
    const bytes = readFileSync(join(root, file));
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(join(root, file), bytes);
  }
}

describe('a USD spend limit', () => {
  it('counts RunningHub credits at the price table, never as dollars: 6 images at 100 credits each fit --max-cost 1', async () => {
    const setup = await billingSetup('runninghub', { consumeMoney: '100' });
    cleanups.push(setup.cleanup);
    // Six generations estimated at $0.04 each.
    const run = await cli(setup.project.dir, ['build', '--json', '--max-cost', '1', '--concurrency', '1'], setup.env, virtualTime());
    expect(run.code, run.stdout).toBe(0);
    expect(JSON.parse(run.stdout).campaigns[0]).toMatchObject({ generated: GENERATIONS, failed: 0 });
    expect(setup.emulator.billed()).toBe(GENERATIONS);
  });

  it('stops a RunComfy build (no cost reported) at its price: the plan saw cached images that turned out corrupt', async () => {
    const setup = await billingSetup('runcomfy');
    cleanups.push(setup.cleanup);
    const first = await cli(setup.project.dir, ['build', '--json'], setup.env, virtualTime());
    expect(first.code, first.stdout).toBe(0);
    corruptCachedImages(setup.project.dir, 4);
    rmSync(join(setup.project.dir, 'out'), { recursive: true });

    // The plan counts all six as cached ($0 to spend); four must be generated again at $0.04 each.
    const run = await cli(setup.project.dir, ['build', '--json', '--max-cost', '0.06', '--concurrency', '1'], setup.env, virtualTime());
    const summary = JSON.parse(run.stdout) as { stoppedOnBudget?: boolean; campaigns: { generated: number; failed: number }[] };
    expect(summary.stoppedOnBudget).toBe(true);
    expect(summary.campaigns[0]).toMatchObject({ generated: 2, failed: 2 });
    expect(setup.emulator.billed()).toBe(GENERATIONS + 2);
    for (const f of manifestOf(setup.project.dir).failures) expect(f.error.code).toBe('E_BUDGET');
  });
});
