import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// s3rver has no types; it is a development S3 server on loopback.
// @ts-expect-error untyped CommonJS module
import S3rver from 's3rver';

/**
 * s3rver (an S3 HTTP server) on 127.0.0.1, behind a small proxy of ours. s3rver ignores
 * If-None-Match and If-Match on PUT; with `conditional` the proxy enforces them (412), as AWS S3
 * does, serialising PUTs per key so the check and the write are one step. `fault` makes the proxy
 * answer 503 or 403, answer too late, or drop connections, to play a sick store (or only a part of
 * it: `faultPrefixes`); `listFault` plays a listing that never ends.
 */

export type Fault = 'none' | '5xx' | '403' | 'down' | 'slow';
/**
 * A listing that never ends: every page says "truncated" and hands back the same continuation
 * token (`same`), two tokens in turn (`cycle`), or a new one each time (`fresh`).
 */
export type ListFault = 'none' | 'same' | 'cycle' | 'fresh';
export const BUCKET = 'cache';
/** s3rver's fixed credentials: it checks signatures against these. */
export const S3_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

export interface TestS3 {
  readonly endpoint: string;
  fault: Fault;
  listFault: ListFault;
  /** Only names under these prefixes (after the bucket, e.g. `ci/claims/`) meet `fault`; all when empty. */
  faultPrefixes: string[];
  /** How many requests meet `fault` before it clears by itself (a store that recovers); unlimited when undefined. */
  faultBudget?: number;
  /** ListObjectsV2 requests seen. */
  lists: number;
  /** Requests seen by method, for request-count figures. */
  readonly counts: Record<string, number>;
  close(): Promise<void>;
}

const body = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** The lock every write takes, whatever its key. */
const WRITES = '\u0000writes';

export async function startS3(options: { conditional: boolean }): Promise<TestS3> {
  const dir = await mkdtemp(join(tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port: upstream } = (await s3rver.run()) as AddressInfo;

  const forward = (req: IncomingMessage, payload: Buffer, headers = req.headers) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const out = request({ host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers }, async (res) => {
        resolve({ status: res.statusCode ?? 500, headers: res.headers, body: await body(res) });
      });
      out.on('error', reject);
      out.end(payload);
    });
  const etagOf = async (req: IncomingMessage) => {
    const head = await forward({ ...req, method: 'HEAD', url: req.url } as IncomingMessage, Buffer.alloc(0), { host: req.headers.host });
    return head.status === 200 ? String(head.headers['etag']) : undefined;
  };

  const locks = new Map<string, Promise<unknown>>();
  const state: TestS3 = { endpoint: '', fault: 'none', listFault: 'none', faultPrefixes: [], lists: 0, counts: {}, close: async () => undefined };
  let listPages = 0;
  const server: Server = createServer(async (req, res) => {
    state.counts[req.method ?? '?'] = (state.counts[req.method ?? '?'] ?? 0) + 1;
    const url = new URL(req.url ?? '/', 'http://s3');
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      state.lists++;
      if (state.listFault !== 'none') return endlessPage(res, url, state.listFault, ++listPages);
    }
    const name = url.pathname.split('/').slice(2).join('/');
    const faulty = state.fault !== 'none' && (state.faultPrefixes.length === 0 || state.faultPrefixes.some((p) => name.startsWith(p)));
    const fault = faulty ? state.fault : 'none';
    if (faulty && state.faultBudget !== undefined && --state.faultBudget <= 0) state.fault = 'none';
    if (fault === 'down') return req.socket.destroy();
    // Slow: an answer that comes only after the client's request timeout.
    if (fault === 'slow') return void setTimeout(() => res.destroyed || res.writeHead(503).end(), 8_000).unref();
    if (fault !== 'none') {
      res.writeHead(fault === '403' ? 403 : 503, { 'content-type': 'application/xml' });
      return res.end(`<Error><Code>${fault === '403' ? 'AccessDenied' : 'SlowDown'}</Code></Error>`);
    }
    const payload = await body(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const conditional = options.conditional && req.method === 'PUT' && (req.headers['if-none-match'] || req.headers['if-match']);
    const run = async () => {
      if (conditional) {
        const etag = await etagOf(req);
        const refused = req.headers['if-none-match'] === '*' ? etag !== undefined : req.headers['if-match'] !== undefined && req.headers['if-match'] !== etag;
        if (refused) return { status: 412, headers: { 'content-type': 'application/xml' }, body: Buffer.from('<Error><Code>PreconditionFailed</Code></Error>') };
      }
      return forward(req, payload);
    };
    // Writes also wait for each other across keys: s3rver's DELETE removes the folders it empties,
    // and a PUT between its mkdir and its open then dies with an uncaught ENOENT (two runners'
    // preflight probes in ci/probe/ did). Real S3 has no folders; this keeps the stand-in honest.
    const write = req.method === 'PUT' || req.method === 'DELETE' || req.method === 'POST';
    const previous = write ? Promise.all([locks.get(path), locks.get(WRITES)]) : (locks.get(path) ?? Promise.resolve());
    const mine = previous.then(run, run);
    locks.set(path, mine.catch(() => undefined));
    if (write) locks.set(WRITES, mine.catch(() => undefined));
    try {
      const out = await mine;
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await s3rver.close();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

/** One page of a listing that says there is always more. */
function endlessPage(res: ServerResponse, url: URL, fault: Exclude<ListFault, 'none'>, page: number): void {
  const token = fault === 'same' ? 'tok-A' : fault === 'cycle' ? (page % 2 === 1 ? 'tok-A' : 'tok-B') : `tok-${page}`;
  const prefix = url.searchParams.get('prefix') ?? '';
  const key = `${prefix}${page.toString(16).padStart(64, '0')}.json`;
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>${prefix}</Prefix>` +
      `<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>${token}</NextContinuationToken>` +
      `<Contents><Key>${key}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`,
  );
}
