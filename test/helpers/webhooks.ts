import { afterEach } from 'vitest';
import { silentLogger, type Clock, type Sleep } from '../../src/core/deps.js';
import { startWebhookServer, type WebhookServer } from '../../src/http/webhook.js';

/** A webhook receiver on 127.0.0.1 for callback tests, closed after each test. */

/**
 * The job's time in callback tests: a clock that only waits move, where a wait of `longMs` or
 * more (the safety-net poll) lasts until a callback cuts it short. A job that finishes at all
 * finished by callback, and nothing in the test races the wall clock.
 */
export function callbackTime(longMs: number): { readonly clock: Clock; readonly sleep: Sleep } {
  let now = 0;
  return {
    clock: { now: () => now },
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        if (ms < longMs) {
          now += ms;
          // Real I/O (the emulator, the receiver) goes on between polls.
          return void setImmediate(resolve);
        }
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
}

const servers: WebhookServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export async function startReceiver(safetyPollMs: number, maxBytes?: number): Promise<WebhookServer> {
  const server = await startWebhookServer({ host: '127.0.0.1', port: 0, safetyPollMs, logger: silentLogger, ...(maxBytes ? { maxBytes } : {}) });
  servers.push(server);
  return server;
}

/** POSTs `body` (JSON unless a string) to `url`; the receiver's status. */
export async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}
