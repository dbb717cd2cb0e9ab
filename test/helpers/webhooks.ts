import { afterEach } from 'vitest';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { startWebhookServer, type WebhookServer } from '../../src/http/webhook.js';

/**
 * A webhook receiver on 127.0.0.1 for callback tests, closed after each test. Callback tests run
 * on the real clock: the emulator calls back in real time, and the safety-net poll waits for real.
 */

export const REAL_TIME = { clock: systemClock, sleep: realSleep } as const;

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
