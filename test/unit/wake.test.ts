import { describe, expect, it } from 'vitest';
import type { Clock, Sleep } from '../../src/core/deps.js';
import { WAKE_GAP_MS, wakeableSleep, type Watch } from '../../src/providers/kit/wake.js';

/** A Watch whose callbacks the test fires by hand. */
function manualWatch() {
  const wakers = new Map<string, () => void>();
  const watch: Watch = (taskId, wake) => {
    wakers.set(taskId, wake);
    return () => wakers.delete(taskId);
  };
  return { watch, fire: (taskId: string) => wakers.get(taskId)?.(), watching: () => [...wakers.keys()] };
}

/**
 * Time that moves only by the waits asked for. A wait of `endless` ms or more lasts until it is
 * aborted (a callback), as a poll's safety wait would from the test's point of view.
 */
function fakeTime(endless = Number.POSITIVE_INFINITY) {
  let now = 0;
  const slept: number[] = [];
  const clock: Clock = { now: () => now };
  const sleep: Sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      slept.push(ms);
      if (signal?.aborted) return reject(signal.reason);
      if (ms < endless) {
        now += ms;
        return resolve();
      }
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { clock, sleep, slept, advance: (ms: number) => void (now += ms) };
}

describe('wakeableSleep: callbacks that end a poll wait', () => {
  it('ends a long wait when the callback for its task arrives', async () => {
    const w = manualWatch();
    const t = fakeTime(60_000);
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    const waited = wake.sleep(60_000);
    await Promise.resolve();
    w.fire('task-1');
    await expect(waited).resolves.toBeUndefined();
    wake.stop();
    expect(w.watching()).toEqual([]);
  });

  it('skips the next wait when the callback came while no wait was running, once', async () => {
    const w = manualWatch();
    const t = fakeTime();
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    w.fire('task-1');
    await wake.sleep(5_000);
    await wake.sleep(7_000);
    expect(t.slept).toEqual([7_000]);
  });

  it('still throws when the build is aborted during the wait', async () => {
    const w = manualWatch();
    const t = fakeTime(60_000);
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    const aborter = new AbortController();
    const waited = wake.sleep(60_000, aborter.signal);
    aborter.abort(new Error('stop'));
    await expect(waited).rejects.toThrow('stop');
  });

  it("is not woken by another task's callback", async () => {
    const w = manualWatch();
    const t = fakeTime();
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    w.fire('task-2');
    await wake.sleep(5_000);
    expect(t.slept).toEqual([5_000]);
  });

  it('coalesces a flood: a hundred callbacks per poll still make at most one poll per gap', async () => {
    const w = manualWatch();
    const t = fakeTime(60_000);
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    // The poll loop of a task that never finishes, with a flood arriving during every poll; it
    // ends when 10 s have passed on the job's clock (its deadline), or after 1,000 polls.
    let polls = 0;
    while (t.clock.now() < 10_000 && polls < 1_000) {
      for (let i = 0; i < 100; i++) w.fire('task-1');
      await wake.sleep(60_000);
      polls++;
    }
    expect(polls).toBeLessThanOrEqual(10_000 / WAKE_GAP_MS + 1);
    // The first wake-up is answered at once; each later one waits out the gap, never the safety wait.
    expect(t.slept.length).toBe(polls - 1);
    expect(t.slept.every((ms) => ms === WAKE_GAP_MS)).toBe(true);
  });

  it('lets a wake-up through at once when the previous poll is more than a gap ago', async () => {
    const w = manualWatch();
    const t = fakeTime(60_000);
    const wake = wakeableSleep(t.sleep, t.clock, w.watch, 'task-1');
    w.fire('task-1');
    await wake.sleep(60_000); // the first poll, at once
    t.advance(WAKE_GAP_MS + 1); // the poll took that long
    w.fire('task-1');
    await wake.sleep(60_000);
    expect(t.slept).toEqual([]);
  });
});
