import { afterEach } from 'vitest';
import { silentLogger } from '../../src/core/deps.js';
import { startWebhookServer, type WebhookServer } from '../../src/http/webhook.js';

/** A webhook receiver on 127.0.0.1 for callback tests, closed after each test. */

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
