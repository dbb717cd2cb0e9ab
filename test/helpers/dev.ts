import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { runCli } from '../../src/cli.js';

/**
 * `pressroom dev` run in this process, as the terminal runs it (runCli), with Ctrl-C in the test's
 * hand, and the means to talk to its server as a browser or as another site would.
 */

/** Resolves once `probe` returns a value; polls, so no test races a timer. Fails with `what` after `ms`. */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string | (() => string), ms = 90_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface DevRun {
  readonly url: string;
  readonly port: number;
  /** Ctrl-C. */
  stop(): void;
  readonly exited: Promise<number>;
  stderr(): string;
  stdout(): string;
}

export async function startDev(cwd: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<DevRun> {
  let stdout = '';
  let stderr = '';
  const handlers: (() => void)[] = [];
  const exited = runCli(['dev', '--port', '0', ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { PATH: process.env['PATH'], CI: 'true', ...env },
    cwd,
    onInterrupt: (h) => handlers.push(h),
  });
  let ended = false;
  void exited.then(() => (ended = true));
  const url = await until(() => {
    if (ended) throw new Error(`dev ended early: ${stderr}`);
    return /review page at (http:\/\/\S+)/.exec(stderr)?.[1];
  }, 'the review page');
  return { url, port: Number(new URL(url).port), stop: () => handlers.forEach((h) => h()), exited, stderr: () => stderr, stdout: () => stdout };
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  json<T = Record<string, any>>(): T;
}

/** One HTTP request with exactly these headers (Host included: a browser or a rebinding site sets its own). */
export function fetchRaw(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The page's token, read from the page as the browser reads it. */
export async function pageToken(port: number): Promise<string> {
  const page = await fetchRaw(port, '/');
  const token = /name="pressroom-token" content="([0-9a-f]+)"/.exec(page.body.toString('utf8'))?.[1];
  if (!token) throw new Error('no token in the page');
  return token;
}

/** A request of the review page itself: its origin, its token, JSON. */
export function pagePost(port: number, action: string, body: unknown, token: string, headers: Record<string, string> = {}): Promise<Answer> {
  return fetchRaw(port, `/_dev/${action}`, {
    method: 'POST',
    headers: { origin: `http://127.0.0.1:${port}`, 'x-pressroom-token': token, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export interface DevState {
  readonly campaigns: readonly { name: string; phase: string; problems: readonly { code: string; shown: string; hint: string }[]; view?: { cells: readonly Record<string, any>[] } & Record<string, any> }[];
  readonly spend: { spent: number; maxCost?: number };
}

export const devState = async (port: number) => (await fetchRaw(port, '/_dev/state')).json<DevState>();

/** Waits until every campaign named has been built (or found invalid) at least once. */
export function campaignsReady(port: number, names: readonly string[]): Promise<DevState> {
  return until(async () => {
    const state = await devState(port);
    const ok = names.every((n) => state.campaigns.some((c) => c.name === n && c.phase !== 'building'));
    return ok ? state : undefined;
  }, `campaigns ${names.join(', ')} built`);
}

/** Server-Sent Events of the dev server, as the page receives them, each with when it arrived. */
export function eventStream(port: number) {
  const events: { event: string; data: any; at: number }[] = [];
  let close = () => {};
  const ready = new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/_dev/events', agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data), at: performance.now() });
        }
      });
      resolve();
    });
    req.end();
    close = () => req.destroy();
  });
  return {
    ready,
    events,
    /** The first event from index `from` on that matches. */
    next: (match: (e: { event: string; data: any }) => boolean, from = 0, ms = 50_000) => until(() => events.slice(from).find(match), () => `an event from the dev server (seen: ${JSON.stringify(events).slice(0, 2000) || 'none'})`, ms),
    close: () => close(),
  };
}

/** A local campaign for review: text layers over one background per size, two candidates per cell. */
export const TEMPLATE = 'An advertising photograph of {{product}}, {{scene}}, {{size.orientation}} frame, no text.\n';
export const REVIEW = `template: poster
vars: { product: "a brass desk lamp" }
candidates: 2
variants: [{ id: hero, scene: "on an oak desk at dusk" }]
locales:
  en-US: { headline: "Light that follows your day", copy: "Warm in the evening." }
  de-DE: { headline: "Licht, das deinem Tag folgt", copy: "Warm am Abend." }
  ar-SA: { headline: "ضوء يرافق يومك", copy: "دافئ في المساء." }
text:
  layers:
    - field: headline
      box: { x: 0.08, y: 0.06, width: 0.8, height: 0.26 }
      size: { min: 12, max: 0.45 }
    - field: copy
      box: { x: 0.08, y: 0.70, width: 0.84, height: 0.2 }
      size: { min: 10, max: 0.4 }
      weight: 400
sizes:
  - { id: portrait, width: 480, height: 600 }
  - { id: story, width: 360, height: 640 }
output: { format: jpeg, quality: 85 }
`;

/** Every file under `dir`, relative, with the sha256 of its bytes. */
export function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const path = join(dir, f);
    if (statSync(path).isFile()) files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

/** Saved as editors save: a temporary file renamed over the original (a new inode). */
export function saveByRename(file: string, text: string): void {
  const temp = join(file, '..', `.${Date.now()}.swp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

