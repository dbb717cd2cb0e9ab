import type { Logger } from '../core/deps.js';
import { InputError } from '../core/errors.js';
import { startWebhookServer, type WebhookServer } from '../http/webhook.js';
import { readValue } from './variables.js';

/**
 * Provider callbacks for a build behind a public URL: PRESSROOM_WEBHOOK_URL is the base URL the
 * providers can reach, PRESSROOM_WEBHOOK_LISTEN where this process listens behind it (a reverse
 * proxy or a tunnel forwards to it). Unset, builds poll as usual.
 */

export const WEBHOOK_ENV = { url: 'PRESSROOM_WEBHOOK_URL', listen: 'PRESSROOM_WEBHOOK_LISTEN', pollMs: 'PRESSROOM_WEBHOOK_POLL_MS' } as const;
const DEFAULT_LISTEN = '127.0.0.1:8787';
/** The safety-net poll with callbacks on: a lost callback costs at most this much waiting. */
const DEFAULT_SAFETY_POLL_MS = 30_000;

/** The variable's value through its row of the table (settings checked it already; an embedding program may not have). */
function read<K extends 'PRESSROOM_WEBHOOK_URL' | 'PRESSROOM_WEBHOOK_LISTEN' | 'PRESSROOM_WEBHOOK_POLL_MS'>(name: K, raw: string) {
  const result = readValue(name, raw);
  if ('expected' in result) throw new InputError([{ code: 'E_USAGE', path: name, message: `expected ${result.expected} but received ${JSON.stringify(raw)}` }]);
  return result.value;
}

/** The started receiver, or undefined when webhooks are not configured. */
export async function startWebhooks(env: Readonly<Record<string, string | undefined>>, logger: Logger): Promise<WebhookServer | undefined> {
  const base = env[WEBHOOK_ENV.url]?.trim();
  if (!base) return undefined;
  const url = read(WEBHOOK_ENV.url, base);
  const { host, port } = read(WEBHOOK_ENV.listen, env[WEBHOOK_ENV.listen]?.trim() || DEFAULT_LISTEN);
  const rawPoll = env[WEBHOOK_ENV.pollMs]?.trim();
  const safetyPollMs = rawPoll ? read(WEBHOOK_ENV.pollMs, rawPoll) : DEFAULT_SAFETY_POLL_MS;
  try {
    const server = await startWebhookServer({ publicUrl: url, host, port, safetyPollMs, logger });
    logger.info(`webhooks: listening on ${server.address} for callbacks to ${url}`);
    return server;
  } catch (err) {
    throw new InputError([{ code: 'E_USAGE', path: WEBHOOK_ENV.listen, message: `cannot listen on ${host}:${port} for provider callbacks (${err instanceof Error ? err.message : 'error'})` }]);
  }
}
