/**
 * Webhook calls an emulator makes when a task finishes, as the provider would: a JSON POST to
 * the URL the submit named. `drop` models a callback lost on the way (the client must still
 * finish the task by polling).
 */

import type { EmulatorClock } from './clock.js';

export type CallbackMode = 'send' | 'drop';

export interface SentCallback {
  readonly url: string;
  readonly body: unknown;
  /** HTTP status the receiver answered, or 0 when the call failed. */
  readonly status: number;
}

export function createCallbacks(clock: EmulatorClock, mode: CallbackMode = 'send') {
  let closed = false;
  const sent: SentCallback[] = [];
  let dropped = 0;

  async function post(url: string, body: unknown): Promise<void> {
    if (mode === 'drop') {
      dropped++;
      return;
    }
    let status = 0;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    sent.push({ url, body, status });
  }

  return {
    sent: sent as readonly SentCallback[],
    dropped: () => dropped,
    /** POSTs each of `bodies()` to `url` once `delayMs` have passed on the emulator's clock. */
    after(delayMs: number, url: string, bodies: () => Promise<readonly unknown[]>): void {
      clock.at(clock.now() + delayMs, () => {
        if (closed) return;
        void bodies().then(async (list) => {
          for (const body of list) await post(url, body);
        });
      });
    },
    /** POSTs `body` to `url` `times` times at once, awaited (a flood of duplicate callbacks). */
    async flood(url: string, body: unknown, times: number): Promise<void> {
      for (let i = 0; i < times; i++) await post(url, body);
    },
    close(): void {
      closed = true;
    },
  };
}
