import type { Clock, Sleep } from '../../core/deps.js';
import type { Watch } from '../../http/webhook.js';

/**
 * Provider callbacks as wake-ups of the poll loop. A callback only says "look now": the driver
 * then asks the provider itself, so a forged or stale callback costs one poll and can never
 * hand the build a result the provider did not give. Wake-ups are coalesced per task: however
 * many callbacks arrive (anyone holding the path token and a task id can send thousands), the
 * task has at most one poll in flight, and a wake-up never brings a poll closer than `WAKE_GAP_MS`
 * to the previous one.
 */

/** The closest two polls of one task may come when callbacks, not the schedule, ask for them. */
export const WAKE_GAP_MS = 1_000;

export type { Watch };

export interface WakeableSleep {
  readonly sleep: Sleep;
  readonly stop: () => void;
}

/**
 * `sleep`, cut short when a callback for `taskId` arrives (one that arrives mid-poll skips the
 * next wait), but never to less than `gapMs` after the previous poll on `clock`.
 */
export function wakeableSleep(sleep: Sleep, clock: Clock, watch: Watch, taskId: string, gapMs = WAKE_GAP_MS): WakeableSleep {
  let woken = false;
  let waiting: AbortController | undefined;
  let lastPoll: number | undefined;
  const stop = watch(taskId, () => {
    woken = true;
    waiting?.abort();
  });
  return {
    stop,
    sleep: async (ms, signal) => {
      if (!woken) {
        const own = new AbortController();
        waiting = own;
        const forward = () => own.abort(signal?.reason);
        if (signal?.aborted) forward();
        signal?.addEventListener('abort', forward, { once: true });
        try {
          await sleep(ms, own.signal);
        } catch (err) {
          if (signal?.aborted || !woken) throw err;
        } finally {
          signal?.removeEventListener('abort', forward);
          waiting = undefined;
        }
      }
      if (woken && lastPoll !== undefined) {
        // Callbacks arriving during this wait only set `woken` again: they cannot end it. Never
        // longer than asked: the poll loop's own wait (up to the deadline) still bounds it.
        const due = Math.min(ms, lastPoll + gapMs - clock.now());
        if (due > 0) await sleep(due, signal);
      }
      woken = false;
      lastPoll = clock.now();
    },
  };
}
