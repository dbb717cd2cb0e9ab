import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorClock } from './emulators/clock.js';

/**
 * Shared plumbing of the provider emulators: a real HTTP server on 127.0.0.1 that records every
 * request, moves the emulator's clock one step per request (emulators/clock.ts) and can inject
 * transport-level faults. Each provider's emulator supplies the routes.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** Parsed JSON body, when the body was JSON. */
  readonly json?: unknown;
  /** Route name the emulator matched (`submit`, `query`, `download`, ...). */
  route?: string;
}

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  /** Destroy the socket without answering, after the request was read. */
  | { readonly kind: 'reset' }
  /** Never answer (until the server closes). */
  | { readonly kind: 'hang' }
  /** HTTP 200 whose body is not JSON. */
  | { readonly kind: 'malformed' }
  /** Answer normally, but only after a delay. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Send part of the body, then cut the connection (downloads). */
  | { readonly kind: 'truncate' }
  /** A provider-specific envelope written by the emulator (e.g. RunningHub 421 in a 200). */
  | { readonly kind: 'custom'; readonly name: string; readonly data?: unknown };

interface FaultRule {
  readonly route: string;
  readonly fault: Fault;
  remaining: number;
}

export type Handler = (req: RecordedRequest, res: ServerResponse, fault: Fault | undefined) => void | Promise<void>;
export type Router = (req: RecordedRequest) => { readonly route: string; readonly handle: Handler } | undefined;

export class EmulatorServer {
  readonly requests: RecordedRequest[] = [];
  private readonly rules: FaultRule[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private port = 0;

  constructor(
    private readonly router: Router,
    private readonly clock?: EmulatorClock,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Inject `fault` into the next `times` requests of `route`. */
  inject(route: string, fault: Fault, times = 1): void {
    this.rules.push({ route, fault, remaining: times });
  }

  clearFaults(): void {
    this.rules.length = 0;
  }

  count(route: string): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  /**
   * Whether a request with this method, URL and body would be left hanging (the next fault of its
   * route is a `hang`): tests give that one request a short timeout and the others all the time a
   * loaded machine needs (helpers/hang.ts).
   */
  wouldHang(req: { readonly method: string; readonly url: string; readonly body?: unknown }): boolean {
    const url = new URL(req.url);
    let json: unknown;
    if (typeof req.body === 'string') {
      try {
        json = JSON.parse(req.body);
      } catch {
        json = undefined;
      }
    }
    const recorded: RecordedRequest = { method: req.method, path: url.pathname + url.search, headers: {}, body: Buffer.alloc(0), json };
    const route = this.router(recorded)?.route;
    return route !== undefined && this.rules.find((r) => r.route === route && r.remaining > 0)?.fault.kind === 'hang';
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(route: string): Fault | undefined {
    const rule = this.rules.find((r) => r.route === route && r.remaining > 0);
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let json: unknown;
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body, json };
    this.requests.push(recorded);
    this.clock?.tick();
    const match = this.router(recorded);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no such route' }));
      return;
    }
    recorded.route = match.route;
    const fault = this.takeFault(match.route);
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "RUNN');
        return;
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(
          fault.body === undefined ? '' : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body),
        );
        return;
      case 'delay':
        await new Promise((r) => setTimeout(r, fault.ms));
        break;
      default:
        break;
    }
    await match.handle(recorded, res, fault);
  }
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Serves bytes, or half of them and a cut connection when the fault says `truncate`. */
export function sendBytes(res: ServerResponse, bytes: Uint8Array, contentType: string, fault: Fault | undefined): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) });
  if (fault?.kind === 'truncate') {
    res.write(Buffer.from(bytes.subarray(0, Math.floor(bytes.length / 2))));
    setTimeout(() => res.socket?.destroy(), 10);
    return;
  }
  res.end(Buffer.from(bytes));
}

/** The bearer token a request carried, or undefined. */
export function bearer(req: RecordedRequest): string | undefined {
  const value = req.headers['authorization'];
  const header = Array.isArray(value) ? value[0] : value;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).split(',')[0]!.trim() : undefined;
}
