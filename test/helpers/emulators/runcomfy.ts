import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Size as PixelSize } from './seedream.js';
import { bearer, EmulatorServer, type Fault, type RecordedRequest, sendBytes, sendJson } from '../emulator.js';
import { makeImage } from '../images.js';
import { EMULATED_MODELS, validateSubmit } from './runcomfy-validate.js';
import { EmulatorClock } from './clock.js';

/**
 * RunComfy Model API emulator (docs/providers/runcomfy.md) on 127.0.0.1, mounted so that
 * `<origin>/v1` is the base URL. Routes: `submit`, `status`, `result`, `cancel`, `download`.
 *
 * Custom faults (server.inject(route, { kind: 'custom', name, data })):
 * - `error_code_200` (any route): HTTP 200 with a top-level `error_code` (data: the envelope).
 * - `rate_limit` (any route): HTTP 429 with `Retry-After: data.retryAfter` seconds (default 1).
 * - `fail_task` (submit): accepted, but the task ends `failed` (data: its `error`).
 * - `accept-then-500` (submit): the task is created, then the answer is lost to an HTTP 500.
 * - `expired` (download): the CDN's 403 for an expired link.
 */

export interface RunComfyEmulatorOptions {
  readonly apiKey?: string;
  /** Submit to terminal state, in milliseconds of `clock`. */
  readonly latencyMs?: number;
  /** The emulator's time; default: one that moves 10 ms per request received. */
  readonly clock?: EmulatorClock;
  /** Share of the latency spent `in_queue` (the rest `in_progress`). */
  readonly queueFraction?: number;
  /** Tasks in_queue or in_progress at once; beyond it HTTP 429 with Retry-After. */
  readonly maxActiveTasks?: number;
  readonly retryAfterSeconds?: number;
  /** Prompts whose task ends `failed` with `failure` (a moderation rejection by default). */
  readonly failPrompts?: string | RegExp | ((prompt: string) => boolean);
  readonly failure?: unknown;
  /** Lifetime of result links. */
  readonly resultTtlMs?: number;
  /** Whether `images` may hold data URIs (UNCONFIRMED on the real API). */
  readonly acceptDataUris?: boolean;
  /** Where the result puts the link (`images` exercises the `images[0]` fallback). */
  readonly outputField?: 'image' | 'images';
  /** `succeeded`/`canceled` spellings, seen in official clients. */
  readonly americanSpelling?: boolean;
}

export interface EmulatedTask {
  readonly id: string;
  readonly modelId: string;
  readonly prompt: string;
  readonly body: Record<string, unknown>;
  readonly size: PixelSize;
  readonly createdAt: number;
  failure?: unknown;
  cancelledAt?: number;
}

export type TaskState = 'in_queue' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

export const DEFAULT_MODERATION_FAILURE = {
  code: 'OutputImageSensitiveContentDetected',
  message: 'The generated image may contain sensitive content and was blocked',
};

export interface RunComfyEmulator {
  readonly origin: string;
  readonly baseUrl: string;
  readonly server: EmulatorServer;
  readonly clock: EmulatorClock;
  readonly tasks: Map<string, EmulatedTask>;
  readonly apiKey: string;
  /** Tasks created for `prompt` (all tasks without an argument). */
  submissions(prompt?: string): number;
  requests(route?: string): RecordedRequest[];
  inject(route: string, fault: Fault, times?: number): void;
  state(taskId: string): TaskState | undefined;
  /** A task created as if submitted by an earlier run (resume tests). */
  createTask(prompt: string, modelId?: string): string;
  close(): Promise<void>;
}

export async function startRunComfyEmulator(options: RunComfyEmulatorOptions = {}): Promise<RunComfyEmulator> {
  const apiKey = options.apiKey ?? 'test-runcomfy-key';
  const latencyMs = options.latencyMs ?? 50;
  const clock = options.clock ?? new EmulatorClock();
  const queueMs = latencyMs * (options.queueFraction ?? 0.4);
  const ttlMs = options.resultTtlMs ?? 10 * 60_000;
  const tasks = new Map<string, EmulatedTask>();
  const active = new Set<EmulatedTask>();
  const files = new Map<string, { size: PixelSize; expiresAt: number }>();
  const images = new Map<string, Promise<Buffer>>();
  const spell = (s: TaskState): string =>
    options.americanSpelling ? (s === 'completed' ? 'succeeded' : s === 'cancelled' ? 'canceled' : s) : s;

  const failsPrompt = (prompt: string): boolean => {
    const m = options.failPrompts;
    if (m === undefined) return false;
    if (typeof m === 'string') return prompt.includes(m);
    if (m instanceof RegExp) return m.test(prompt);
    return m(prompt);
  };

  function state(task: EmulatedTask, now = clock.now()): TaskState {
    if (task.cancelledAt !== undefined) return 'cancelled';
    const elapsed = now - task.createdAt;
    if (elapsed < queueMs) return 'in_queue';
    if (elapsed < latencyMs) return 'in_progress';
    return task.failure === undefined ? 'completed' : 'failed';
  }

  function activeCount(): number {
    for (const task of active) {
      const s = state(task);
      if (s !== 'in_queue' && s !== 'in_progress') active.delete(task);
    }
    return active.size;
  }

  function addTask(modelId: string, prompt: string, body: Record<string, unknown>, size: PixelSize, failure?: unknown): EmulatedTask {
    const task: EmulatedTask = { id: randomUUID(), modelId, prompt, body, size, createdAt: clock.now(), failure };
    tasks.set(task.id, task);
    active.add(task);
    return task;
  }

  const server = new EmulatorServer((req) => {
    const path = req.path.split('?')[0]!;
    if (req.method === 'GET' && path.startsWith('/files/')) return { route: 'download', handle: download };
    let m = /^\/v1\/models\/(.+)$/.exec(path);
    if (req.method === 'POST' && m) return { route: 'submit', handle: authed((q, res, f) => submit(m![1]!, q, res, f)) };
    m = /^\/v1\/requests\/([^/]+)\/(status|result|cancel)$/.exec(path);
    if (!m) return undefined;
    const [, id, action] = m;
    if (action === 'cancel' && req.method !== 'POST') return undefined;
    if (action !== 'cancel' && req.method !== 'GET') return undefined;
    return { route: action!, handle: authed((_q, res) => requestAction(decodeURIComponent(id!), action!, res)) };
  }, clock);

  type Handle = (req: RecordedRequest, res: ServerResponse, fault: Fault | undefined) => void | Promise<void>;

  function authed(handle: Handle): Handle {
    return (req, res, fault) => {
      const token = bearer(req);
      if (token !== apiKey) {
        return sendJson(res, 401, { error_code: 401001, error_message: token ? 'Invalid API token' : 'Missing API token' });
      }
      if (fault?.kind === 'custom' && fault.name === 'error_code_200') {
        return sendJson(res, 200, fault.data ?? { error_code: 500001, error_message: 'Internal Error' });
      }
      if (fault?.kind === 'custom' && fault.name === 'rate_limit') {
        const seconds = (fault.data as { retryAfter?: number } | undefined)?.retryAfter ?? 1;
        return sendJson(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(seconds) });
      }
      return handle(req, res, fault);
    };
  }

  function submit(modelId: string, req: RecordedRequest, res: ServerResponse, fault: Fault | undefined): void {
    const model = EMULATED_MODELS[modelId];
    if (!model) return sendJson(res, 400, { error_code: 400001, error_message: `Invalid model id: ${modelId}` });
    const valid = validateSubmit(model, req.json, { acceptDataUris: options.acceptDataUris ?? true });
    if (Array.isArray(valid)) return sendJson(res, 422, { error_code: 422001, error_message: 'Validation Error', detail: valid });
    if (activeCount() >= (options.maxActiveTasks ?? Infinity)) {
      const retryAfter = String(options.retryAfterSeconds ?? 1);
      return sendJson(res, 429, { message: 'Too many requests in flight' }, { 'retry-after': retryAfter });
    }
    const failure =
      fault?.kind === 'custom' && fault.name === 'fail_task'
        ? (fault.data ?? DEFAULT_MODERATION_FAILURE)
        : failsPrompt(valid.prompt)
          ? (options.failure ?? DEFAULT_MODERATION_FAILURE)
          : undefined;
    const task = addTask(modelId, valid.prompt, req.json as Record<string, unknown>, valid.size, failure);
    if (fault?.kind === 'custom' && fault.name === 'accept-then-500') return sendJson(res, 500, { error_code: 500001, error_message: 'Internal Error' });
    sendJson(res, 200, { request_id: task.id, ...urls(task.id) });
  }

  function urls(id: string) {
    const base = `${server.origin}/v1/requests/${id}`;
    return { status_url: `${base}/status`, result_url: `${base}/result`, cancel_url: `${base}/cancel` };
  }

  function requestAction(id: string, action: string, res: ServerResponse): void {
    const task = tasks.get(id);
    if (!task) return sendJson(res, 404, { error_code: 404001, error_message: `Request ${id} not found` });
    const now = clock.now();
    const s = state(task, now);
    if (action === 'status') {
      return sendJson(res, 200, {
        request_id: id,
        status: spell(s),
        ...(s === 'in_queue' ? { queue_position: queuePosition(task, now) } : {}),
        ...(s === 'in_progress' ? { instance_id: 'emulator-0' } : {}),
        status_url: urls(id).status_url,
        result_url: urls(id).result_url,
      });
    }
    if (action === 'cancel') {
      if (s === 'in_queue') task.cancelledAt = now;
      return sendJson(res, 200, { request_id: id, status: spell(state(task, now)), outcome: s === 'in_queue' ? 'cancelled' : 'not_cancellable' });
    }
    const times = { created_at: new Date(task.createdAt).toISOString() };
    if (s === 'completed') {
      const link = fileLink(task);
      const output = options.outputField === 'images' ? { images: [link] } : { image: link };
      return sendJson(res, 200, { request_id: id, status: spell(s), output, ...times, finished_at: new Date(task.createdAt + latencyMs).toISOString() });
    }
    if (s === 'failed') return sendJson(res, 200, { request_id: id, status: 'failed', output: null, error: task.failure, ...times });
    sendJson(res, 200, { request_id: id, status: spell(s), ...times });
  }

  function queuePosition(task: EmulatedTask, now: number): number {
    let ahead = 0;
    for (const other of active) if (other.createdAt < task.createdAt && state(other, now) === 'in_queue') ahead++;
    return ahead + 1;
  }

  function fileLink(task: EmulatedTask): string {
    const token = `${task.id}-${files.size}`;
    files.set(token, { size: task.size, expiresAt: clock.now() + ttlMs });
    return `${server.origin}/files/${token}.jpg`;
  }

  async function download(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined): Promise<void> {
    const token = req.path.split('?')[0]!.slice('/files/'.length).replace(/\.jpg$/, '');
    const file = files.get(token);
    if (!file) return sendJson(res, 404, { message: 'Not Found' });
    if ((fault?.kind === 'custom' && fault.name === 'expired') || clock.now() > file.expiresAt) {
      res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
      return;
    }
    const key = `${file.size.width}x${file.size.height}`;
    let bytes = images.get(key);
    if (!bytes) images.set(key, (bytes = makeImage(file.size.width, file.size.height, 'jpeg', 7)));
    sendBytes(res, await bytes, 'image/jpeg', fault);
  }

  await server.start();
  return {
    origin: server.origin,
    baseUrl: `${server.origin}/v1`,
    server,
    clock,
    tasks,
    apiKey,
    submissions: (prompt) => (prompt === undefined ? tasks.size : [...tasks.values()].filter((t) => t.prompt === prompt).length),
    requests: (route) => server.requests.filter((r) => route === undefined || r.route === route),
    inject: (route, fault, times) => server.inject(route, fault, times),
    state: (taskId) => {
      const task = tasks.get(taskId);
      return task && state(task);
    },
    createTask: (prompt, modelId = 'bytedance/seedream-4-5/text-to-image') =>
      addTask(modelId, prompt, { prompt }, { width: 2048, height: 2048 }).id,
    close: () => server.close(),
  };
}
