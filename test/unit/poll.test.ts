import { describe, expect, it } from 'vitest';
import type { Clock, Sleep } from '../../src/core/deps.js';
import { AbortedError, ProviderError } from '../../src/core/errors.js';
import { fixedCadence, growingCadence, pollUntilDone, type PollOutcome } from '../../src/http/poll.js';

function fakeTime(start = 0): { clock: Clock; sleep: Sleep; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleeps,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A check that reports done on its `n`th call. */
function doneAfter(n: number): { check: () => Promise<PollOutcome<string>>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    check: async () => (++calls >= n ? { done: true, value: `after ${calls}` } : { done: false }),
  };
}

describe('cadences', () => {
  it('fixedCadence waits the same before every poll', () => {
    const c = fixedCadence(5_000);
    expect([0, 1, 7].map(c)).toEqual([5_000, 5_000, 5_000]);
  });

  it('growingCadence starts fixed, then grows by the factor up to the cap', () => {
    const c = growingCadence(1_000, 500, 1.5, 10_000);
    expect([0, 1, 2, 3].map(c)).toEqual([1_000, 500, 750, 1_125]);
    expect(c(30)).toBe(10_000);
  });
});

describe('pollUntilDone', () => {
  const base = { provider: 'test', taskId: 't-1', signal: new AbortController().signal };

  it('waits one interval before the first poll and between polls, returning the terminal value', async () => {
    const time = fakeTime();
    const { check, calls } = doneAfter(3);
    const value = await pollUntilDone({ ...base, ...time, check, delayBefore: fixedCadence(5_000), deadline: 1e9 });
    expect(value).toBe('after 3');
    expect(calls()).toBe(3);
    expect(time.sleeps).toEqual([5_000, 5_000, 5_000]);
  });

  it('follows the cadence attempt by attempt', async () => {
    const time = fakeTime();
    await pollUntilDone({ ...base, ...time, check: doneAfter(4).check, delayBefore: growingCadence(1_000, 500, 2, 10_000), deadline: 1e9 });
    expect(time.sleeps).toEqual([1_000, 500, 1_000, 2_000]);
  });

  it('shortens the last wait to the deadline, polls once more, then times out with the task id', async () => {
    const time = fakeTime(100);
    const { check, calls } = doneAfter(Infinity);
    const err = await pollUntilDone({ ...base, ...time, check, delayBefore: fixedCadence(5_000), deadline: 12_100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).category).toBe('timeout');
    expect((err as ProviderError).taskId).toBe('t-1');
    expect(time.sleeps).toEqual([5_000, 5_000, 2_000]);
    expect(calls()).toBe(3);
  });

  it('times out at once when the deadline has already passed', async () => {
    const time = fakeTime(50);
    const { check, calls } = doneAfter(1);
    await expect(pollUntilDone({ ...base, ...time, check, delayBefore: fixedCadence(10), deadline: 50 })).rejects.toBeInstanceOf(ProviderError);
    expect(calls()).toBe(0);
  });

  it('stops with AbortedError when aborted before a poll', async () => {
    const controller = new AbortController();
    controller.abort();
    const time = fakeTime();
    const { check, calls } = doneAfter(1);
    await expect(pollUntilDone({ ...base, ...time, signal: controller.signal, check, delayBefore: fixedCadence(10), deadline: 1e9 })).rejects.toBeInstanceOf(AbortedError);
    expect(calls()).toBe(0);
  });

  it('stops with AbortedError when aborted during a check', async () => {
    const controller = new AbortController();
    const time = fakeTime();
    let calls = 0;
    const check = async (): Promise<PollOutcome<string>> => {
      calls++;
      controller.abort();
      return { done: false };
    };
    await expect(pollUntilDone({ ...base, ...time, signal: controller.signal, check, delayBefore: fixedCadence(10), deadline: 1e9 })).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toBe(1);
  });

  it('ends the poll with whatever the check throws', async () => {
    const time = fakeTime();
    const failure = new ProviderError({ provider: 'test', category: 'moderation' }, 'test: moderated');
    const check = async (): Promise<PollOutcome<string>> => {
      throw failure;
    };
    await expect(pollUntilDone({ ...base, ...time, check, delayBefore: fixedCadence(10), deadline: 1e9 })).rejects.toBe(failure);
  });
});
