import type { Dispatcher, FormData } from 'undici';
import { PressroomError, ProviderError, messageOf } from '../core/errors.js';
import type { TransportFacts } from '../core/job-facts.js';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Multipart bodies use undici's FormData (`import { FormData } from 'undici'`). */
  readonly body?: string | Uint8Array | FormData;
  readonly signal?: AbortSignal;
  /** Whole request, connect to last body byte. */
  readonly timeoutMs?: number;
  /** Upper bound on the timeout, default or not: the time left before a job deadline. */
  readonly timeoutCapMs?: number;
  /** Refuse bodies larger than this (downloads). */
  readonly maxBytes?: number;
  /** GET only; 0 refuses redirects. */
  readonly maxRedirects?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Final URL after redirects. */
  readonly url: string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export type TransportFailure = 'connect' | 'reset' | 'timeout' | 'too_large' | 'redirect' | 'aborted' | 'scheme';

/** The request failed below HTTP. `sent` is false only when it provably never left this machine. */
export class HttpError extends PressroomError {
  constructor(
    readonly failure: TransportFailure,
    readonly sent: boolean,
    facts: TransportFacts,
    options?: { cause?: unknown },
  ) {
    const code = `E_HTTP_${failure.toUpperCase()}` as `E_HTTP_${Uppercase<TransportFailure>}`;
    super(code, messageOf(code, facts), options);
  }
}

// Codes undici/Node raise before a single byte of the request was written.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

export interface HttpClientOptions {
  readonly dispatcher?: Dispatcher;
  readonly defaultTimeoutMs?: number;
  readonly defaultMaxBytes?: number;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient & { close(): Promise<void> } {
  // undici takes ~75 ms to load: builds that never leave the machine (local, fully cached) skip it.
  let undici: Promise<{ dispatcher: Dispatcher; request: typeof import('undici').request }> | undefined;
  const load = () =>
    (undici ??= import('undici').then((m) => ({
      dispatcher: options.dispatcher ?? new m.Agent({ keepAliveTimeout: 10_000, connections: 64, connect: { timeout: 10_000 } }),
      request: m.request,
    })));
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
  const defaultMaxBytes = options.defaultMaxBytes ?? 64 * 1024 * 1024;

  async function once(req: HttpRequest, url: string): Promise<HttpResponse & { location?: string }> {
    // AbortSignal.timeout rejects fractions, and deadline arithmetic on performance.now() makes them.
    const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(Math.min(req.timeoutMs ?? defaultTimeoutMs, req.timeoutCapMs ?? Infinity))));
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const maxBytes = req.maxBytes ?? defaultMaxBytes;
    try {
      const { dispatcher, request } = await load();
      const res = await request(url, {
        method: req.method,
        headers: req.headers as Record<string, string> | undefined,
        body: req.body,
        signal,
        dispatcher,
      });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        // Destroying an unread body emits an abort error; with no listener it would crash the process.
        res.body.on('error', () => undefined).destroy();
        throw new HttpError('too_large', true, { kind: 'too-large', limit: maxBytes, declared });
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) {
          res.body.destroy();
          throw new HttpError('too_large', true, { kind: 'too-large', limit: maxBytes });
        }
        chunks.push(chunk);
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: res.statusCode, headers, body: Buffer.concat(chunks, total), url, location: headers['location'] };
    } catch (err) {
      throw toHttpError(err, req.signal, timeout);
    }
  }

  return {
    async request(req) {
      let url = req.url;
      const maxRedirects = req.method === 'GET' ? (req.maxRedirects ?? 3) : 0;
      for (let hop = 0; ; hop++) {
        assertHttpScheme(url);
        const res = await once(req, url);
        if (res.status < 300 || res.status >= 400 || !res.location || req.method !== 'GET') return res;
        if (hop >= maxRedirects) throw new HttpError('redirect', true, { kind: 'redirects', max: maxRedirects });
        url = new URL(res.location, url).toString();
      }
    },
    close: async () => {
      if (undici) await (await undici).dispatcher.close();
    },
  };
}

function assertHttpScheme(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new HttpError('scheme', false, { kind: 'not-url' });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new HttpError('scheme', false, { kind: 'scheme', protocol });
  }
}

function toHttpError(err: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal): unknown {
  if (err instanceof HttpError) return err;
  if (callerSignal?.aborted) return new HttpError('aborted', true, { kind: 'aborted' }, { cause: err });
  if (timeout.aborted) return new HttpError('timeout', true, { kind: 'timed-out' }, { cause: err });
  const code = errorCode(err);
  if (code && NOT_SENT_CODES.has(code)) return new HttpError('connect', false, { kind: 'connect', errno: code }, { cause: err });
  return new HttpError('reset', true, { kind: 'reset', ...(code ? { errno: code } : {}) }, { cause: err });
}

/** Walks `cause` chains: undici wraps the socket error. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR' && !code.startsWith('E_HTTP')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A transport failure as a job failure of `provider`. */
export function transportToProviderError(provider: string, err: HttpError, taskId?: string): ProviderError {
  const category = err.failure === 'timeout' ? 'timeout' : err.failure === 'too_large' || err.failure === 'scheme' ? 'invalid_input' : 'transient';
  return new ProviderError(
    { provider, category, taskId, mayHaveReachedServer: err.sent },
    `${provider}: ${err.message}`,
    { cause: err },
  );
}
