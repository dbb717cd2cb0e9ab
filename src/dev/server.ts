import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fontCss } from '../report/gallery/html.js';
import { act } from './actions.js';
import type { EventHub } from './events.js';
import { outFile } from './files.js';
import { createGuard, TOKEN_HEADER, type Guard } from './guard.js';
import { campaignPage, DEV_CSP, indexPage, SECURITY_HEADERS } from './page.js';
import { DEV_SCRIPT } from './page-script.js';
import { DEV_STYLE } from './page-style.js';
import type { Preview, PreviewRequest } from './preview.js';
import { devProblem, type DevSession } from './session.js';
import { parsePreviewPath } from './view.js';

/**
 * The review server: node:http on one address (127.0.0.1 unless --host says otherwise), serving
 * the page, its script and styles, the campaign's files from out/, composed candidate previews,
 * the state as JSON and its changes as Server-Sent Events, and taking the page's approve,
 * un-approve and generate requests. Every request passes the guard first.
 */

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  /** --port was given: that port or nothing. Otherwise the next free ones are tried. */
  readonly portGiven: boolean;
  /** Host names the page may be reached by, beside the address itself. */
  readonly names: readonly string[];
  readonly token: string;
  readonly outRoot: string;
  readonly session: DevSession;
  readonly hub: EventHub;
  readonly preview: (campaign: string, request: PreviewRequest) => Promise<Preview | undefined>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const TRIES = 20;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache', ...headers });
  res.end(body);
}
const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
const notFound = (res: ServerResponse) => send(res, 404, 'text/plain; charset=utf-8', 'not found');

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

function routes(o: ServerOptions, guard: () => Guard) {
  const known = (name: string) => o.session.campaigns().some((c) => c.name === name);
  const get = async (parts: readonly string[], query: URLSearchParams, res: ServerResponse): Promise<void> => {
    const html = (body: string) => send(res, 200, 'text/html; charset=utf-8', body, { 'content-security-policy': DEV_CSP, 'cache-control': 'no-store' });
    const [head, name, ...rest] = parts;
    if (parts.length === 1 && head === '') return html(indexPage(guard().token));
    // Browsers ask for one; there is none, and a 404 would read as a broken page.
    if (parts.length === 1 && head === 'favicon.ico') return void res.writeHead(204, SECURITY_HEADERS).end();
    if (head === '_dev' && parts.length === 2) {
      if (name === 'app.js') return send(res, 200, 'text/javascript; charset=utf-8', DEV_SCRIPT);
      if (name === 'app.css') return send(res, 200, 'text/css; charset=utf-8', DEV_STYLE);
      if (name === 'state') return sendJson(res, 200, { campaigns: o.session.campaigns(), spend: o.session.spendState() });
      if (name === 'events') return o.hub.attach(res);
    }
    if (head !== 'c' || name === undefined || !known(name)) return notFound(res);
    if (rest.length === 0) {
      res.writeHead(308, { ...SECURITY_HEADERS, location: `/c/${encodeURIComponent(name)}/` });
      return void res.end();
    }
    if (rest.length === 1 && rest[0] === '') return html(campaignPage(name, guard().token));
    if (rest.length === 1 && rest[0] === '_fonts.css') return send(res, 200, 'text/css; charset=utf-8', fontCss(o.session.fonts(name)));
    const preview = parsePreviewPath(rest);
    if (preview) {
      const made = await o.preview(name, { ...preview, full: query.get('full') === '1' });
      return made ? send(res, 200, made.type, made.data, { 'cache-control': 'private, max-age=3600' }) : notFound(res);
    }
    const file = await outFile(o.outRoot, name, rest);
    if (!file) return notFound(res);
    // Thumbnails and fonts are named by their content: they never change under their name.
    const immutable = rest[0] === 'thumbs' || rest[0] === 'fonts';
    return send(res, 200, file.type, file.data, { 'cache-control': immutable ? 'private, max-age=86400' : 'no-cache' });
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const method = req.method ?? 'GET';
    const refusal = guard().check({ method, host: header('host'), origin: header('origin'), token: header(TOKEN_HEADER), contentType: header('content-type') });
    if (refusal) return sendJson(res, 403, { status: 'refused', exitCode: 1, errors: [devProblem('E_DEV_REQUEST', { reason: refusal })] });
    let url: URL;
    let parts: string[];
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'bad request');
    }
    if (method === 'GET' || method === 'HEAD') return get(parts, url.searchParams, res);
    if (method === 'POST' && parts.length === 2 && parts[0] === '_dev') {
      const result = await act(o.session, parts[1]!, await readBody(req));
      return result ? sendJson(res, 200, result) : notFound(res);
    }
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
  };
}

function listen(server: Server, host: string, port: number): Promise<number | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const failed = (err: NodeJS.ErrnoException) => resolve(err);
    server.once('error', failed);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Listens, or says why not (the port taken, the address not this machine's) as a problem. */
export async function startServer(o: ServerOptions): Promise<RunningServer | { readonly problem: ReturnType<typeof devProblem> }> {
  let guard: Guard | undefined;
  const handler = routes(o, () => guard!);
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { status: 'failed', exitCode: 1, errors: [devProblem('E_INTERNAL', { said: (err as Error)?.message ?? String(err) })] });
      else res.end();
    });
  });
  let port = o.port;
  for (let attempt = 0; ; attempt++) {
    const bound = await listen(server, o.host, port);
    if (typeof bound === 'number') {
      port = bound;
      break;
    }
    // The port taken (or not this user's to take) is --port's to fix; anything else (an address not
    // this machine's, a name that does not resolve) is --host's.
    const field = bound.code === 'EADDRINUSE' || bound.code === 'EACCES' ? (o.portGiven ? '--port' : undefined) : '--host';
    if (bound.code !== 'EADDRINUSE' || o.portGiven || attempt + 1 >= TRIES) return { problem: devProblem('E_DEV_SERVER', { host: o.host, port, said: bound.code === 'EADDRINUSE' ? 'the port is in use' : bound.message }, field) };
    port++;
  }
  guard = createGuard([o.host, ...o.names], port, o.token);
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        o.hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
