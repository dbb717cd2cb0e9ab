import type { Sleep } from '../../core/deps.js';
import type { Watch } from '../../http/webhook.js';

/**
 * Provider callbacks as wake-ups of the poll loop. A callback only says "look now": the driver
 * then asks the provider itself, so a forged or stale callback costs one poll and can never
 * hand the build a result the provider did not give.
 */

export type { Watch };

export interface WakeableSleep {
  readonly sleep: Sleep;
  readonly stop: () => void;
}

/** `sleep`, cut short when a callback for `taskId` arrives; one that arrives mid-poll skips the next wait. */
export function wakeableSleep(sleep: Sleep, watch: Watch, taskId: string): WakeableSleep {
  let woken = false;
  let waiting: AbortController | undefined;
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
      woken = false;
    },
  };
}
