import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, errorCode, HttpError, transportToProviderError } from '../../src/http/client.js';
import { isRetryable } from '../../src/http/retry.js';

/**
 * The HTTP client's guards, against a server on 127.0.0.1: what a download may be (http(s) only,
 * size-capped, at most three redirects, POSTs never redirected) and which failures say a request
 * never left this machine, which is what decides whether a submit may be sent again.
 */

const servers: Server[] = [];
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await new Promise((r) => (s.closeAllConnections(), s.close(r)));
});

type Route = (req: IncomingMessage, res: ServerResponse) => void;
async function serve(routes: Record<string, Route>): Promise<{ url: (path: string) => string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits };
}
const client = (options: Parameters<typeof createHttpClient>[0] = {}) => {
  const c = createHttpClient(options);
  clients.push(c);
  return c;
};
const redirect = (to: string): Route => (_req, res) => res.writeHead(302, { location: to }).end();
const body = (bytes: number, chunked = false): Route => (_req, res) => {
  res.writeHead(200, chunked ? {} : { 'content-length': String(bytes) });
  res.end(Buffer.alloc(bytes, 1));
};
const failure = async (p: Promise<unknown>): Promise<HttpError> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
};

describe('redirects', () => {
  it('a GET follows up to three redirects (relative or absolute) and reports the final URL', async () => {
    const s = await serve({ '/a': redirect('/b'), '/b': redirect('/c'), '/c': (_q, res) => res.writeHead(301, { location: s.url('/d') }).end(), '/d': body(3) });
    const res = await client().request({ method: 'GET', url: s.url('/a') });
    expect(res).toMatchObject({ status: 200, url: s.url('/d') });
    expect(res.body.length).toBe(3);
  });

  it('a fourth redirect is refused, and so is the first when redirects are off', async () => {
    const s = await serve({ '/a': redirect('/b'), '/b': redirect('/c'), '/c': redirect('/d'), '/d': redirect('/e'), '/e': body(3) });
    expect(await failure(client().request({ method: 'GET', url: s.url('/a') }))).toMatchObject({ code: 'E_HTTP_REDIRECT', sent: true });
    expect(s.hits).not.toContain('GET /e');
    expect(await failure(client().request({ method: 'GET', url: s.url('/d'), maxRedirects: 0 }))).toMatchObject({ code: 'E_HTTP_REDIRECT' });
    expect(s.hits.filter((h) => h === 'GET /e')).toEqual([]);
  });

  it('a POST is never sent on to where a redirect points: the 3xx is the answer', async () => {
    const s = await serve({ '/submit': redirect('/elsewhere'), '/elsewhere': body(3) });
    const res = await client().request({ method: 'POST', url: s.url('/submit'), body: '{}' });
    expect(res.status).toBe(302);
    expect(s.hits).toEqual(['POST /submit']);
  });

  it('a redirect to anything but http(s) is refused before it is followed', async () => {
    const s = await serve({ '/a': redirect('file:///etc/passwd') });
    expect(await failure(client().request({ method: 'GET', url: s.url('/a') }))).toMatchObject({ code: 'E_HTTP_SCHEME' });
  });

  it('a 3xx without a location, and any 2xx or 4xx, is the answer', async () => {
    const s = await serve({ '/a': (_q, res) => res.writeHead(304).end(), '/b': (_q, res) => res.writeHead(404, { location: '/c' }).end(), '/c': body(1) });
    expect((await client().request({ method: 'GET', url: s.url('/a') })).status).toBe(304);
    expect((await client().request({ method: 'GET', url: s.url('/b') })).status).toBe(404);
    expect(s.hits).toEqual(['GET /a', 'GET /b']);
  });
});

describe('what is fetched at all', () => {
  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:text/plain,hi', 'not a url'])('%s is refused without a request (never sent)', async (url) => {
    expect(await failure(client().request({ method: 'GET', url }))).toMatchObject({ code: 'E_HTTP_SCHEME', sent: false });
  });

  it('https is fetched (here: refused by the TLS-less server, not by the scheme check)', async () => {
    const s = await serve({});
    const err = await failure(client().request({ method: 'GET', url: s.url('/x').replace('http:', 'https:') }));
    expect(err.code).not.toBe('E_HTTP_SCHEME');
  });
});

describe('size caps', () => {
  it('a body of exactly the cap is read; one byte more is refused, declared or streamed', async () => {
    const s = await serve({ '/exact': body(100), '/over': body(101), '/stream-exact': body(100, true), '/stream-over': body(101, true) });
    const c = client({ defaultMaxBytes: 100 });
    expect((await c.request({ method: 'GET', url: s.url('/exact') })).body.length).toBe(100);
    expect((await c.request({ method: 'GET', url: s.url('/stream-exact') })).body.length).toBe(100);
    expect(await failure(c.request({ method: 'GET', url: s.url('/over') }))).toMatchObject({ code: 'E_HTTP_TOO_LARGE' });
    expect(await failure(c.request({ method: 'GET', url: s.url('/stream-over') }))).toMatchObject({ code: 'E_HTTP_TOO_LARGE' });
  });

  it('a refused download fails that request only: the process goes on (no stray abort error)', async () => {
    // In a process of its own: an error event nobody listens for would end it, as it would end a build.
    const client = fileURLToPath(new URL('../../dist/http/client.js', import.meta.url));
    const script = `import { createServer } from 'node:http';
      const { createHttpClient } = await import(${JSON.stringify(client)});
      const server = createServer((req, res) => res.writeHead(200, { 'content-length': '101' }).end(Buffer.alloc(101)));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const http = createHttpClient({ defaultMaxBytes: 100 });
      const code = await http.request({ method: 'GET', url: 'http://127.0.0.1:' + server.address().port + '/' }).then(() => 'read', (e) => e.code);
      // A stray error event is emitted on the next tick: it would surface before this resolves.
      await new Promise((r) => setImmediate(r));
      console.log(code);
      await http.close();
      server.close();`;
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], (err, out) => resolve({ stdout: out, code: err ? (err.code as number) : 0 }));
    });
    expect({ stdout: stdout.trim(), code }).toEqual({ stdout: 'E_HTTP_TOO_LARGE', code: 0 });
  });

  it('a request\'s own cap overrides the default; the default is 64 MiB', async () => {
    const s = await serve({ '/ten': body(10), '/big': body(64 * 1024 * 1024 + 1), '/max': body(64 * 1024 * 1024, true) });
    expect(await failure(client({ defaultMaxBytes: 100 }).request({ method: 'GET', url: s.url('/ten'), maxBytes: 9 }))).toMatchObject({ code: 'E_HTTP_TOO_LARGE' });
    expect((await client({ defaultMaxBytes: 5 }).request({ method: 'GET', url: s.url('/ten'), maxBytes: 10 })).body.length).toBe(10);
    expect(await failure(client().request({ method: 'GET', url: s.url('/big') }))).toMatchObject({ code: 'E_HTTP_TOO_LARGE' });
    expect((await client().request({ method: 'GET', url: s.url('/max') })).body.length).toBe(64 * 1024 * 1024);
  });
});

describe('answers', () => {
  it('header names are lower-case and repeated headers joined', async () => {
    const s = await serve({ '/h': (_q, res) => res.writeHead(200, [['X-One', 'a'], ['Set-Cookie', 'b=1'], ['Set-Cookie', 'c=2']]).end() });
    const res = await client().request({ method: 'GET', url: s.url('/h') });
    expect(res.headers['x-one']).toBe('a');
    expect(res.headers['set-cookie']).toBe('b=1, c=2');
  });
});

describe('failures below HTTP: whether the request may have reached the server', () => {
  it('a connection refused never left this machine: a submit may be sent again', async () => {
    const s = await serve({});
    const port = new URL(s.url('/')).port;
    await new Promise((r) => (servers[0]!.close(r), servers.splice(0)));
    const err = await failure(client().request({ method: 'POST', url: `http://127.0.0.1:${port}/submit`, body: '{}' }));
    expect(err).toMatchObject({ code: 'E_HTTP_CONNECT', sent: false });
    expect(isRetryable(err, 'submit')).toBe(true);
  });

  it('a connection cut after the request was read may have reached the server: a submit is not sent again', async () => {
    const s = await serve({ '/submit': (req) => req.socket.destroy() });
    const err = await failure(client().request({ method: 'POST', url: s.url('/submit'), body: '{}' }));
    expect(err).toMatchObject({ code: 'E_HTTP_RESET', sent: true });
    expect(isRetryable(err, 'submit')).toBe(false);
  });

  it('a request the caller aborted is aborted, not timed out; one past its time is timed out; the cap wins over the timeout', async () => {
    const s = await serve({ '/hang': () => undefined });
    const stop = new AbortController();
    const pending = client().request({ method: 'GET', url: s.url('/hang'), signal: stop.signal });
    stop.abort();
    expect(await failure(pending)).toMatchObject({ code: 'E_HTTP_ABORTED', sent: true });
    expect(await failure(client().request({ method: 'GET', url: s.url('/hang'), timeoutMs: 50 }))).toMatchObject({ code: 'E_HTTP_TIMEOUT', sent: true });
    expect(await failure(client().request({ method: 'GET', url: s.url('/hang'), timeoutMs: 600_000, timeoutCapMs: 50 }))).toMatchObject({ code: 'E_HTTP_TIMEOUT' });
    expect(await failure(client({ defaultTimeoutMs: 50 }).request({ method: 'GET', url: s.url('/hang') }))).toMatchObject({ code: 'E_HTTP_TIMEOUT' });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH'])('%s (even wrapped by undici) means never sent', async (code) => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('http://provider.test').intercept({ path: '/submit', method: 'POST' }).replyWithError(Object.assign(new Error('wrapped'), { code: 'UND_ERR', cause: Object.assign(new Error(code), { code }) }));
    const err = await failure(client({ dispatcher: agent }).request({ method: 'POST', url: 'http://provider.test/submit', body: '{}' }));
    expect(err).toMatchObject({ code: 'E_HTTP_CONNECT', sent: false });
  });

  it.each(['ECONNRESET', 'EPIPE', undefined])('%s may have been sent', async (code) => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('http://provider.test').intercept({ path: '/submit', method: 'POST' }).replyWithError(Object.assign(new Error('socket'), code ? { code } : {}));
    const err = await failure(client({ dispatcher: agent }).request({ method: 'POST', url: 'http://provider.test/submit', body: '{}' }));
    expect(err).toMatchObject({ code: 'E_HTTP_RESET', sent: true });
  });
});

describe('errorCode', () => {
  const chain = (...codes: (string | undefined)[]) => codes.reduceRight<unknown>((cause, code) => Object.assign(new Error('e'), code ? { code } : {}, cause ? { cause } : {}), undefined);

  it('is the first real code along the cause chain, skipping undici\'s generic UND_ERR and our own E_HTTP codes', () => {
    expect(errorCode(chain('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(errorCode(chain('UND_ERR', 'ECONNRESET'))).toBe('ECONNRESET');
    expect(errorCode(chain('E_HTTP_RESET', undefined, 'EPIPE'))).toBe('EPIPE');
    expect(errorCode(chain(undefined, 'ENOTFOUND'))).toBe('ENOTFOUND');
    expect(errorCode(Object.assign(new Error('n'), { code: 42 }))).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });

  it('looks five causes deep and no further (a cycle ends)', () => {
    expect(errorCode(chain(undefined, undefined, undefined, undefined, 'EFIVE'))).toBe('EFIVE');
    expect(errorCode(chain(undefined, undefined, undefined, undefined, undefined, 'ESIX'))).toBeUndefined();
    const cyclic = new Error('c') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    expect(errorCode(cyclic)).toBeUndefined();
  });
});

describe('transportToProviderError', () => {
  it.each([
    ['timeout', true, 'timeout'],
    ['too_large', true, 'invalid_input'],
    ['scheme', false, 'invalid_input'],
    ['reset', true, 'transient'],
    ['connect', false, 'transient'],
    ['redirect', true, 'transient'],
  ] as const)('%s is %s-category, keeping whether it was sent and the task id', (failure, sent, category) => {
    const err = transportToProviderError('runware', new HttpError(failure, sent, { kind: 'aborted' }), 'task-1');
    expect(err).toMatchObject({ provider: 'runware', category: failure === 'timeout' ? 'timeout' : category, taskId: 'task-1', mayHaveReachedServer: sent });
    expect((err as Error).cause).toBeInstanceOf(HttpError);
  });
});
