import { describe, expect, it } from 'vitest';
import { realSleep } from '../../src/core/deps.js';
import { wakeableSleep, type Watch } from '../../src/providers/kit/wake.js';

/** A Watch whose callbacks the test fires by hand. */
function manualWatch() {
  const wakers = new Map<string, () => void>();
  const watch: Watch = (taskId, wake) => {
    wakers.set(taskId, wake);
    return () => wakers.delete(taskId);
  };
  return { watch, fire: (taskId: string) => wakers.get(taskId)?.(), watching: () => [...wakers.keys()] };
}

describe('wakeableSleep: callbacks that end a poll wait', () => {
  it('ends a long wait when the callback for its task arrives', async () => {
    const w = manualWatch();
    const wake = wakeableSleep(realSleep, w.watch, 'task-1');
    const waited = wake.sleep(60_000);
    setTimeout(() => w.fire('task-1'), 20);
    await expect(waited).resolves.toBeUndefined();
    wake.stop();
    expect(w.watching()).toEqual([]);
  });

  it('skips the next wait when the callback came while no wait was running, once', async () => {
    const w = manualWatch();
    const slept: number[] = [];
    const wake = wakeableSleep(async (ms) => void slept.push(ms), w.watch, 'task-1');
    w.fire('task-1');
    await wake.sleep(5_000);
    await wake.sleep(7_000);
    expect(slept).toEqual([7_000]);
  });

  it('still throws when the build is aborted during the wait', async () => {
    const w = manualWatch();
    const wake = wakeableSleep(realSleep, w.watch, 'task-1');
    const aborter = new AbortController();
    const waited = wake.sleep(60_000, aborter.signal);
    aborter.abort(new Error('stop'));
    await expect(waited).rejects.toThrow('stop');
  });

  it("is not woken by another task's callback", async () => {
    const w = manualWatch();
    const slept: number[] = [];
    const wake = wakeableSleep(async (ms) => void slept.push(ms), w.watch, 'task-1');
    w.fire('task-2');
    await wake.sleep(5_000);
    expect(slept).toEqual([5_000]);
  });
});
