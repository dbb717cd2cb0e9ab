import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/deps.js';

/**
 * The receiving end of provider webhooks, for builds that run behind a public URL. Providers
 * register a route and a reader of task ids; a callback naming a watched task wakes its poll.
 * Callbacks carry no signature, so they are only hints: the poll that follows asks the provider.
 *
 * Every URL handed out carries a random path token, so a caller that never saw a submit cannot
 * even reach a route; unknown task ids are ignored, bodies are capped and never logged.
 */

/** Calls `wake` whenever a callback names `taskId`; returns the function that stops watching. */
export type Watch = (taskId: string, wake: () => void) => () => void;

export interface WebhookHub {
  /** Polls at this slow cadence as the safety net for a lost callback. */
  readonly safetyPollMs: number;
  /** The public URL to give `route`'s provider; `taskIds` reads the task ids a callback names. */
  route(name: string, taskIds: (body: unknown) => readonly string[]): { readonly url: string; readonly watch: Watch };
}

export interface WebhookServer extends WebhookHub {
  /** Where the server listens (host:port), e.g. for a tunnel. */
  readonly address: string;
  close(): Promise<void>;
}

export interface WebhookServerOptions {
  /** The public base URL that reaches this server (a reverse proxy or a tunnel); default: the listen address. */
  readonly publicUrl?: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly safetyPollMs: number;
  readonly logger: Logger;
  /** Larger bodies are refused unread: result items are a few hundred bytes. */
  readonly maxBytes?: number;
  /** The path token; random unless given (tests). */
  readonly token?: string;
}

/** Callback ids that arrived before their task was watched (a fast task), remembered this many per route. */
const EARLY_IDS = 256;

interface Route {
  readonly taskIds: (body: unknown) => readonly string[];
  readonly watchers: Map<string, Set<() => void>>;
  readonly early: Set<string>;
}

export async function startWebhookServer(o: WebhookServerOptions): Promise<WebhookServer> {
  const token = o.token ?? randomBytes(16).toString('hex');
  const maxBytes = o.maxBytes ?? 64 * 1024;
  const routes = new Map<string, Route>();

  function deliver(name: string, route: Route, body: unknown): number {
    let woken = 0;
    for (const id of route.taskIds(body)) {
      const watchers = route.watchers.get(id);
      if (watchers) {
        woken++;
        for (const wake of watchers) wake();
        continue;
      }
      route.early.add(id);
      if (route.early.size > EARLY_IDS) route.early.delete(route.early.values().next().value!);
    }
    o.logger.debug(`webhook: ${name} callback woke ${woken} task(s)`);
    return woken;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number) => void res.writeHead(status, { connection: 'close' }).end();
    const segments = new URL(req.url ?? '/', 'http://webhook').pathname.split('/').filter(Boolean);
    const [seen, name] = segments.slice(-2);
    const route = seen === token && name !== undefined ? routes.get(name) : undefined;
    if (!route) return reply(404);
    if (req.method !== 'POST') return reply(405);
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) return reply(413);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) return reply(413);
      chunks.push(chunk as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(400);
    }
    deliver(name!, route, body);
    // Known or not, the same answer: a caller learns nothing about which tasks exist.
    reply(204);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const base = (o.publicUrl ?? `http://${address.includes(':') ? `[${address}]` : address}:${port}`).replace(/\/+$/, '');

  return {
    safetyPollMs: o.safetyPollMs,
    address: `${address}:${port}`,
    route(name, taskIds) {
      // A second provider instance on the same route shares its watchers (and reads ids the same way).
      const route: Route = routes.get(name) ?? { taskIds, watchers: new Map(), early: new Set() };
      routes.set(name, route);
      const watch: Watch = (taskId, wake) => {
        const set = route.watchers.get(taskId) ?? new Set();
        set.add(wake);
        route.watchers.set(taskId, set);
        if (route.early.delete(taskId)) queueMicrotask(wake);
        return () => {
          set.delete(wake);
          if (set.size === 0) route.watchers.delete(taskId);
        };
      };
      return { url: `${base}/${token}/${name}`, watch };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
