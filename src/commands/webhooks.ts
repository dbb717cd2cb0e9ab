import type { Logger } from '../core/deps.js';
import { InputError } from '../core/errors.js';
import { startWebhookServer, type WebhookServer } from '../http/webhook.js';

/**
 * Provider callbacks for a build behind a public URL: PRESSROOM_WEBHOOK_URL is the base URL the
 * providers can reach, PRESSROOM_WEBHOOK_LISTEN where this process listens behind it (a reverse
 * proxy or a tunnel forwards to it). Unset, builds poll as usual.
 */

export const WEBHOOK_ENV = { url: 'PRESSROOM_WEBHOOK_URL', listen: 'PRESSROOM_WEBHOOK_LISTEN', pollMs: 'PRESSROOM_WEBHOOK_POLL_MS' } as const;
const DEFAULT_LISTEN = '127.0.0.1:8787';
/** The safety-net poll with callbacks on: a lost callback costs at most this much waiting. */
const DEFAULT_SAFETY_POLL_MS = 30_000;

function usage(path: string, message: string): InputError {
  return new InputError([{ code: 'E_USAGE', path, message }]);
}

function listenAddress(value: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || !match[1] || port > 65535) throw usage(WEBHOOK_ENV.listen, `expected host:port (e.g. ${DEFAULT_LISTEN}) but received ${JSON.stringify(value)}`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function publicUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw usage(WEBHOOK_ENV.url, `expected the public http(s) base URL that reaches this machine but received ${JSON.stringify(value)}`);
  }
  return url.toString();
}

/** The started receiver, or undefined when webhooks are not configured. */
export async function startWebhooks(env: Readonly<Record<string, string | undefined>>, logger: Logger): Promise<WebhookServer | undefined> {
  const base = env[WEBHOOK_ENV.url]?.trim();
  if (!base) return undefined;
  const url = publicUrl(base);
  const { host, port } = listenAddress(env[WEBHOOK_ENV.listen]?.trim() || DEFAULT_LISTEN);
  const rawPoll = env[WEBHOOK_ENV.pollMs]?.trim();
  const safetyPollMs = rawPoll ? Number(rawPoll) : DEFAULT_SAFETY_POLL_MS;
  if (!(Number.isInteger(safetyPollMs) && safetyPollMs > 0)) throw usage(WEBHOOK_ENV.pollMs, `expected a positive whole number of milliseconds but received ${JSON.stringify(rawPoll)}`);
  try {
    const server = await startWebhookServer({ publicUrl: url, host, port, safetyPollMs, logger });
    logger.info(`webhooks: listening on ${server.address} for callbacks to ${url}`);
    return server;
  } catch (err) {
    throw usage(WEBHOOK_ENV.listen, `cannot listen on ${host}:${port} for provider callbacks (${err instanceof Error ? err.message : 'error'})`);
  }
}
