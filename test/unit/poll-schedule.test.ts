import { describe, expect, it } from 'vitest';
import { createPollSchedule } from '../../src/providers/kit/schedule.js';

const still = () => 0.5; // jitter source at its midpoint: no jitter
const options = { firstMs: 1_000, minMs: 250, capMs: 5_000, random: still };

describe('learned poll schedule', () => {
  it('polls early and backs off towards the cap while nothing is known', () => {
    const s = createPollSchedule(options);
    expect([0, 1, 2, 3, 4, 5].map((a) => s.delayBefore(a, 0))).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
    expect(s.expectedMs()).toBeUndefined();
  });

  it('aims the first poll between the pending and done bounds of finished tasks', () => {
    const s = createPollSchedule(options);
    s.finished(4_750, 2_500);
    s.finished(4_300, 3_900);
    s.finished(4_200, 3_950);
    // medians: pending 3900, done 4300 -> 4100
    expect(s.expectedMs()).toBe(4_100);
    expect(s.delayBefore(0, 20)).toBe(4_080);
  });

  it('follows a miss past the expected finish with short gaps that grow with the overrun', () => {
    const s = createPollSchedule(options);
    s.finished(4_000, 3_900);
    const justPast = s.delayBefore(1, 3_950);
    const longPast = s.delayBefore(1, 7_950);
    expect(justPast).toBe(250);
    expect(longPast).toBeGreaterThan(justPast);
    expect(longPast).toBeLessThanOrEqual(5_000);
  });

  it('waits about one task duration for a task the provider reports as queued, capped', () => {
    const s = createPollSchedule(options);
    s.finished(8_000, 7_000);
    expect(s.delayBefore(0, 0, 3)).toBe(5_000);
    s.finished(2_000, 1_500);
    s.finished(2_000, 1_500);
    expect(s.delayBefore(0, 0, 2)).toBe(1_750);
  });

  it('never waits longer than the cap, however slow the tasks were', () => {
    const s = createPollSchedule(options);
    s.finished(60_000, 59_000);
    expect(s.delayBefore(0, 0)).toBe(5_000);
  });

  it('varies delays by the jitter fraction', () => {
    const low = createPollSchedule({ ...options, jitter: 0.1, random: () => 0 });
    const high = createPollSchedule({ ...options, jitter: 0.1, random: () => 1 });
    expect(low.delayBefore(0, 0)).toBe(900);
    expect(high.delayBefore(0, 0)).toBe(1_100);
  });

  it('counts a task found done at its first poll as an upper bound only', () => {
    const s = createPollSchedule(options);
    s.finished(4_000);
    expect(s.expectedMs()).toBe(3_500);
  });
});
