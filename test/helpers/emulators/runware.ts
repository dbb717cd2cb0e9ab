import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearer, EmulatorServer, sendJson, type Fault, type RecordedRequest } from '../emulator.js';
import { createCallbacks, type CallbackMode } from './callbacks.js';
import { EmulatorClock } from './clock.js';
import { createFileStore, MIME } from './runware-files.js';
import { UUID_V4, validateInference, type RunwareWireError, type ValidInference } from './runware-validate.js';

/**
 * Runware REST emulator (docs/providers/runware.md): every task is a JSON array POSTed to `/v1`,
 * bearer auth, async imageInference tasks that stay `processing` for `latencyMs`, getResponse
 * polling, imageUpload, and result files under /files/... that expire like CDN links.
 *
 * A resubmitted taskUUID is answered with conflictTaskUUID (or, with `onDuplicate: 'existing'`,
 * the existing task) and is not billed again; with `onDuplicate: 'bill'` it replaces the task
 * and is billed again, the worst case a client must not rely on Runware to prevent.
 *
 * Routes for `inject`: submit (imageInference), poll (getResponse), upload, api (anything else
 * at /v1), download. Custom faults: submit `accept-then-reset` / `accept-then-500` (the task is
 * created, then the answer is lost); poll `task-error` ({code, style: 'item' | 'top'}, the task
 * fails for good); download `expired` (403).
 *
 * A task with `webhookURL` is also announced there when it finishes: one POST per result item,
 * the bare item without the `data` wrapper, or the `errors` envelope of a failed task.
 */

export interface RunwareEmulatorOptions {
  readonly apiKey?: string;
  /** How long a task stays `processing`, on `clock`. */
  readonly latencyMs?: number;
  /** The emulator's time; default: one that moves 10 ms per request received. */
  readonly clock?: EmulatorClock;
  /** Unfinished tasks beyond this get HTTP 429. */
  readonly maxActiveTasks?: number;
  /** Retry-After seconds on the emulator's own 429s; null sends none. */
  readonly retryAfterSeconds?: number | null;
  /** Prompts that end with a moderation error. */
  readonly failPrompts?: string | RegExp | ((prompt: string) => boolean);
  readonly failCode?: string;
  /** The words of that error (default: a content-policy sentence). */
  readonly failMessage?: (apiKey: string) => string;
  /** Lifetime of result URLs. */
  readonly resultTtlMs?: number;
  /** `bill`: a repeated taskUUID is a new task, billed again (Runware does not document dedupe). */
  readonly onDuplicate?: 'conflict' | 'existing' | 'bill';
  /** Tasks with a `webhookURL`: POST each finished result there (`send`) or lose the calls (`drop`). */
  readonly callbacks?: CallbackMode;
}

export interface EmulatedTask {
  readonly uuid: string;
  readonly request: ValidInference;
  readonly seed: number;
  readonly createdAt: number;
  /** Set by a `task-error` fault: the task has failed, whatever its age. */
  failure?: { readonly code: string; readonly message: string; readonly style: 'item' | 'top' };
  /** A moderation verdict, given when the task would have finished. */
  readonly rejection?: { readonly code: string; readonly message: string; readonly style: 'item' | 'top' };
  results?: { readonly imageUUID: string; readonly url: string; readonly seed: number }[];
}

const COSTS: Readonly<Record<string, number>> = { 'seedream-4.0': 0.03, 'seedream-4.5': 0.04, 'seedream-5-lite': 0.035 };

function matcher(option: RunwareEmulatorOptions['failPrompts']): (prompt: string) => boolean {
  if (option === undefined) return () => false;
  if (typeof option === 'string') return (p) => p.includes(option);
  if (option instanceof RegExp) return (p) => option.test(p);
  return option;
}

export async function startRunwareEmulator(options: RunwareEmulatorOptions = {}) {
  const apiKey = options.apiKey ?? 'runware-test-key';
  const latencyMs = options.latencyMs ?? 50;
  const maxActive = options.maxActiveTasks ?? Infinity;
  const retryAfter = options.retryAfterSeconds === undefined ? 1 : options.retryAfterSeconds;
  const failsModeration = matcher(options.failPrompts);
  const ttlMs = options.resultTtlMs ?? 10 * 60_000;
  const clock = options.clock ?? new EmulatorClock();
  const now = () => clock.now();

  const tasks = new Map<string, EmulatedTask>();
  const active = new Set<EmulatedTask>();
  const files = createFileStore(() => server.origin, ttlMs, now);
  const callbacks = createCallbacks(clock, options.callbacks);
  const uploads = new Set<string>();
  const submissionsByPrompt = new Map<string, number>();
  const billedByPrompt = new Map<string, number>();

  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const finished = (t: EmulatedTask) => t.failure !== undefined || now() - t.createdAt >= latencyMs;
  const activeCount = () => {
    for (const t of active) if (finished(t)) active.delete(t);
    return active.size;
  };

  /** Success items, creating the result files the first time the task is seen finished. */
  async function resultItems(t: EmulatedTask): Promise<Record<string, unknown>[]> {
    const r = t.request;
    if (!t.results) {
      t.results = Array.from({ length: r.numberResults }, (_, i) => ({ ...files.add(r.width, r.height, r.format), seed: t.seed + i }));
    }
    return Promise.all(
      t.results.map(async ({ imageUUID, url, seed }) => {
        const item: Record<string, unknown> = { taskType: 'imageInference', taskUUID: t.uuid, status: 'success', imageUUID, seed };
        if (r.outputType === 'URL') item['imageURL'] = url;
        else {
          const b64 = (await files.bytes(imageUUID)).toString('base64');
          if (r.outputType === 'dataURI') item['imageDataURI'] = `data:${MIME[r.format]};base64,${b64}`;
          else item['imageBase64Data'] = b64;
        }
        if (r.includeCost) item['cost'] = COSTS[r.model];
        return item;
      }),
    );
  }

  /** The getResponse view of a task: status code and envelope. */
  async function taskView(t: EmulatedTask, finishedNow = false): Promise<[number, unknown]> {
    const elapsed = finishedNow ? latencyMs : now() - t.createdAt;
    const failure = t.failure ?? (elapsed >= latencyMs ? t.rejection : undefined);
    if (failure) {
      const error = { code: failure.code, message: failure.message, taskUUID: t.uuid, taskType: 'imageInference' };
      return failure.style === 'top'
        ? [200, { data: [], errors: [error] }]
        : [200, { data: [{ taskType: 'imageInference', taskUUID: t.uuid, status: 'error', error: { code: error.code, message: error.message } }] }];
    }
    if (elapsed < latencyMs) {
      const progress = Math.min(99, Math.floor((elapsed / Math.max(1, latencyMs)) * 100));
      return [200, { data: [{ taskType: 'imageInference', taskUUID: t.uuid, status: 'processing', progress }] }];
    }
    return [200, { data: await resultItems(t) }];
  }

  const wireError = (e: RunwareWireError, taskType: string, taskUUID?: unknown) => ({
    errors: [{ ...e, taskType, taskUUID: typeof taskUUID === 'string' ? taskUUID : undefined, documentation: 'https://runware.ai/docs/platform/errors' }],
  });

  async function submit(res: ServerResponse, fault: Fault | undefined, task: Record<string, unknown>): Promise<void> {
    const uuid = task['taskUUID'];
    if (typeof uuid !== 'string' || !UUID_V4.test(uuid)) {
      return sendJson(res, 400, wireError({ code: 'invalidTaskUUID', message: 'taskUUID must be a UUID v4', parameter: 'taskUUID' }, 'imageInference', uuid));
    }
    const prompt = typeof task['positivePrompt'] === 'string' ? task['positivePrompt'] : '';
    bump(submissionsByPrompt, prompt);
    const existing = tasks.get(uuid);
    if (existing && options.onDuplicate !== 'bill') {
      if (options.onDuplicate === 'existing') return sendJson(res, 200, { data: [{ taskType: 'imageInference', taskUUID: uuid }] });
      return sendJson(res, 400, wireError({ code: 'conflictTaskUUID', message: 'A task with this taskUUID already exists', parameter: 'taskUUID' }, 'imageInference', uuid));
    }
    const valid = validateInference(task, uploads);
    if ('code' in valid) return sendJson(res, 400, wireError(valid, 'imageInference', uuid));
    if (activeCount() >= maxActive) {
      const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': String(retryAfter) };
      return sendJson(res, 429, wireError({ code: 'rateLimitExceeded', message: 'Queue capacity exceeded' }, 'imageInference', uuid), headers);
    }
    const t: EmulatedTask = {
      uuid,
      request: valid,
      seed: valid.seed ?? Math.floor(Math.random() * 2 ** 32),
      createdAt: now(),
      rejection: failsModeration(valid.prompt)
        ? { code: options.failCode ?? 'providerContentPolicyViolation', message: options.failMessage?.(apiKey) ?? 'The prompt was rejected by the content policy', style: 'item' }
        : undefined,
    };
    tasks.set(uuid, t);
    active.add(t);
    bump(billedByPrompt, valid.prompt);
    const webhook = task['webhookURL'];
    if (typeof webhook === 'string') {
      callbacks.after(latencyMs, webhook, async () => {
        const [, body] = await taskView(t, true);
        const { data, errors } = body as { data: unknown[]; errors?: unknown[] };
        return errors ? [{ errors }] : data;
      });
    }
    if (fault?.kind === 'custom' && fault.name === 'accept-then-reset') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'custom' && fault.name === 'accept-then-500') {
      return sendJson(res, 500, wireError({ code: 'internalServerError', message: 'Internal server error' }, 'imageInference', uuid));
    }
    if (!valid.async) {
      // A synchronous task answers when it is done: as if the emulator had waited out its latency.
      const [status, body] = await taskView(t, true);
      return sendJson(res, status, body);
    }
    sendJson(res, 200, { data: [{ taskType: 'imageInference', taskUUID: uuid }] });
  }

  async function poll(res: ServerResponse, fault: Fault | undefined, task: Record<string, unknown>): Promise<void> {
    const uuid = task['taskUUID'];
    const t = typeof uuid === 'string' ? tasks.get(uuid) : undefined;
    if (!t) return sendJson(res, 404, wireError({ code: 'taskNotFound', message: 'Task not found', parameter: 'taskUUID' }, 'getResponse', uuid));
    if (fault?.kind === 'custom' && fault.name === 'task-error') {
      const data = (fault.data ?? {}) as { code?: string; message?: string; style?: 'item' | 'top' };
      t.failure = { code: data.code ?? 'timeoutProvider', message: data.message ?? 'Provider timed out', style: data.style ?? 'top' };
    }
    const [status, body] = await taskView(t);
    sendJson(res, status, body);
  }

  function upload(res: ServerResponse, task: Record<string, unknown>): void {
    if (typeof task['image'] !== 'string' || task['image'] === '') {
      return sendJson(res, 400, wireError({ code: 'missingImage', message: 'image is required', parameter: 'image' }, 'imageUpload', task['taskUUID']));
    }
    const imageUUID = randomUUID();
    uploads.add(imageUUID);
    sendJson(res, 200, { data: [{ taskType: 'imageUpload', taskUUID: task['taskUUID'], imageUUID, imageURL: `${server.origin}/files/${imageUUID}.png` }] });
  }

  /** Bearer header or an authentication task first in the array; returns the remaining tasks. */
  function authenticate(req: RecordedRequest, res: ServerResponse): Record<string, unknown>[] | undefined {
    if (!Array.isArray(req.json) || req.json.length === 0 || !req.json.every((t) => typeof t === 'object' && t !== null)) {
      sendJson(res, 400, wireError({ code: 'invalidPayload', message: 'The body must be a JSON array of task objects' }, 'unknown'));
      return undefined;
    }
    let body = req.json as Record<string, unknown>[];
    let key = bearer(req);
    if (body[0]!['taskType'] === 'authentication') {
      key = typeof body[0]!['apiKey'] === 'string' ? body[0]!['apiKey'] : undefined;
      body = body.slice(1);
    }
    if (key === apiKey) return body;
    const e = key === undefined ? { code: 'missingApiKey', message: 'Missing API key' } : { code: 'invalidApiKey', message: 'Invalid API key. Get one at https://my.runware.ai/signup' };
    sendJson(res, 401, wireError({ ...e, parameter: 'apiKey' }, 'authentication'));
    return undefined;
  }

  async function api(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined): Promise<void> {
    const body = authenticate(req, res);
    if (!body) return;
    const task = body[0];
    switch (task?.['taskType']) {
      case 'imageInference':
        return submit(res, fault, task);
      case 'getResponse':
        return poll(res, fault, task);
      case 'imageUpload':
        return upload(res, task);
      default:
        return sendJson(res, 400, wireError({ code: 'invalidTaskType', message: 'Unsupported taskType', parameter: 'taskType' }, String(task?.['taskType'])));
    }
  }

  const server = await new EmulatorServer((req) => {
    if (req.method === 'GET' && req.path.startsWith('/files/')) return { route: 'download', handle: files.serve };
    if (req.method !== 'POST' || !/^\/v1\/?$/.test(req.path)) return undefined;
    const tasksIn = Array.isArray(req.json) ? (req.json as { taskType?: unknown }[]) : [];
    const first = tasksIn.find((t) => t?.taskType !== 'authentication')?.taskType;
    const route = first === 'imageInference' ? 'submit' : first === 'getResponse' ? 'poll' : first === 'imageUpload' ? 'upload' : 'api';
    return { route, handle: api };
  }, clock).start();

  return {
    origin: server.origin,
    baseUrl: `${server.origin}/v1`,
    apiKey,
    server,
    clock,
    tasks: tasks as ReadonlyMap<string, EmulatedTask>,
    inject: (route: string, fault: Fault, times = 1) => server.inject(route, fault, times),
    /** imageInference tasks received (duplicates included), for one prompt or in all. */
    submissions: (prompt?: string) => (prompt === undefined ? sum(submissionsByPrompt) : (submissionsByPrompt.get(prompt) ?? 0)),
    /** Tasks created and billed, for one prompt or in all. */
    billed: (prompt?: string) => (prompt === undefined ? sum(billedByPrompt) : (billedByPrompt.get(prompt) ?? 0)),
    activeTasks: activeCount,
    /** Forget a task, as Runware does after its retention period (getResponse: taskNotFound). */
    forgetTask: (uuid: string) => void tasks.delete(uuid),
    /** Make every result URL issued so far answer like an expired CDN link. */
    expireResults: () => files.expireAll(),
    /** Webhook calls made (and answered) so far; `droppedCallbacks` counts the lost ones. */
    callbacks: callbacks.sent,
    droppedCallbacks: callbacks.dropped,
    close: () => {
      callbacks.close();
      return server.close();
    },
  };
}

function sum(map: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}

export type RunwareEmulator = Awaited<ReturnType<typeof startRunwareEmulator>>;
