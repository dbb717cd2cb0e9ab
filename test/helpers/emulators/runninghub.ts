import type { ServerResponse } from 'node:http';
import type { SeedreamModel as ModelId } from './seedream.js';
import { validateRunningHubSubmit } from './runninghub-validate.js';
import { bearer, EmulatorServer, type Fault, type RecordedRequest, sendBytes, sendJson } from '../emulator.js';
import { makeImage } from '../images.js';
import { createCallbacks, type CallbackMode } from './callbacks.js';
import { EmulatorClock } from './clock.js';

/**
 * RunningHub Standard Model API (openapi v2) emulator, written from docs/providers/runninghub.md:
 * `<origin>/openapi/v2` is the base URL. Task status is derived from the time elapsed on the
 * emulator's clock (emulators/clock.ts: by default it moves with the requests), so hundreds of
 * tasks cost no timers and no test depends on the machine's pace. Custom faults by route:
 *   submit:   `limit` (errorCode 421 in a 200), `code` {code, message} (any errorCode, no task),
 *             `fail` {code} (task is created, then ends FAILED with that code), `accept-then-500`
 *             (the task is created, then the answer is lost to an HTTP 500)
 *   query:    `code` {code, message} (errorCode in a 200 for this query only), `cancel` (the task is
 *             cancelled and reports CANCEL from then on), `flood` {count} (before answering, the
 *             task's webhook is called `count` times, as a holder of its URL and task id could)
 *   download: `expired` (403 like a CDN)
 * A submit with `webhookUrl` is announced there when the task ends, in the shape of RunningHub's
 * workflow webhooks (for Seedream endpoints the payload is undocumented):
 * `{event: 'TASK_END', taskId, eventData: '<JSON string>'}`.
 */

export interface RunningHubEmulatorOptions {
  readonly apiKey?: string;
  /** Time from submit to a terminal status, on `clock`. */
  readonly latencyMs?: number;
  /** The emulator's time; default: one that moves 10 ms per request received. */
  readonly clock?: EmulatorClock;
  /** What `usage.consumeMoney` of a finished task says (default: a price per model). */
  readonly consumeMoney?: string;
  /** Words RunningHub puts in a FAILED task's `errorMessage` (default: the code's meaning). */
  readonly failMessage?: (apiKey: string) => string;
  /** Active (non-terminal) tasks allowed at once; beyond it a submit is refused. */
  /** The `status` a submit answers (default RUNNING, as the seed page shows). */
  readonly submitStatus?: string;
  readonly maxActiveTasks?: number;
  /** How the cap is signalled: errorCode 421 in an HTTP 200 (RunningHub's way) or HTTP 429. */
  readonly limitSignal?: '421' | '429';
  /** Retry-After of the HTTP 429 limit signal. */
  readonly retryAfterSeconds?: number;
  /** Prompts whose task ends FAILED with `failCode` (default 1501, moderation). */
  readonly failPrompts?: string | RegExp | ((prompt: string) => boolean);
  readonly failCode?: string;
  /** Lifetime of result URLs. */
  readonly resultTtlMs?: number;
  readonly uploadMaxBytes?: number;
  /** Submits with a `webhookUrl`: POST the task's end there (`send`) or lose the call (`drop`). */
  readonly callbacks?: CallbackMode;
}

export interface EmulatedTask {
  readonly id: string;
  readonly model: ModelId;
  readonly mode: 'text-to-image' | 'image-to-image';
  readonly prompt: string;
  readonly width: number;
  readonly height: number;
  readonly imageUrls: readonly string[];
  readonly createdAt: number;
  readonly failCode?: string;
  readonly webhookUrl?: string;
  /** Set when the task was cancelled (a `cancel` fault on query): it reports CANCEL from then on. */
  cancelled?: boolean;
}

const MODELS: Readonly<Record<string, ModelId>> = {
  'seedream-v4': 'seedream-4.0',
  'seedream-v4.5': 'seedream-4.5',
  'seedream-v5-lite': 'seedream-5-lite',
};
const PRICES: Readonly<Record<ModelId, string>> = { 'seedream-4.0': '0.0300', 'seedream-4.5': '0.0400', 'seedream-5-lite': '0.0350' };
const MESSAGES: Readonly<Record<string, string>> = {
  '301': 'PARAMS_INVALID',
  '421': 'TASK_QUEUE_MAXED',
  '807': 'APIKEY_TASK_NOT_FOUND',
  '1002': 'Invalid API key',
  '1007': 'parameter validation failed',
  '1015': 'generation failed',
  '1501': 'content moderation: the prompt was rejected',
};

export async function startRunningHubEmulator(options: RunningHubEmulatorOptions = {}) {
  const apiKey = options.apiKey ?? 'rh-test-key';
  const latencyMs = options.latencyMs ?? 50;
  const clock = options.clock ?? new EmulatorClock();
  const maxActive = options.maxActiveTasks ?? Infinity;
  const ttl = options.resultTtlMs ?? 10 * 60_000;
  const tasks = new Map<string, EmulatedTask>();
  const uploads = new Map<string, { bytes: Uint8Array; type: string }>();
  const images = new Map<string, Promise<Buffer>>();
  let nextId = 2013508786110730241n;
  let expiredBefore = 0;
  const callbacks = createCallbacks(clock, options.callbacks);

  const fails = (prompt: string): boolean => {
    const m = options.failPrompts;
    if (m === undefined) return false;
    if (typeof m === 'string') return prompt.includes(m);
    return m instanceof RegExp ? m.test(prompt) : m(prompt);
  };
  const isTerminal = (t: EmulatedTask) => clock.now() - t.createdAt >= latencyMs;
  /** The documented lifecycle: CREATE, QUEUED, RUNNING, then SUCCESS, FAILED or CANCEL. */
  const statusOf = (t: EmulatedTask) => {
    if (t.cancelled) return 'CANCEL';
    if (isTerminal(t)) return t.failCode ? 'FAILED' : 'SUCCESS';
    const elapsed = clock.now() - t.createdAt;
    return elapsed < latencyMs * 0.1 ? 'CREATE' : elapsed < latencyMs / 2 ? 'QUEUED' : 'RUNNING';
  };
  const envelope = (fields: Record<string, unknown>) => ({
    taskId: '',
    status: '',
    errorCode: '',
    errorMessage: '',
    failedReason: {},
    usage: null,
    results: null,
    clientId: '',
    promptTips: '',
    ...fields,
  });
  const error = (res: ServerResponse, code: string, message = MESSAGES[code] ?? 'error', fields: Record<string, unknown> = {}) =>
    sendJson(res, 200, envelope({ errorCode: code, errorMessage: message, ...fields }));

  function submit(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined, model: ModelId, mode: string) {
    if (bearer(req) !== apiKey) return error(res, '1002');
    if (fault?.kind === 'custom' && fault.name === 'limit') return error(res, '421');
    if (fault?.kind === 'custom' && fault.name === 'code') {
      const { code, message } = fault.data as { code: string; message?: string };
      return error(res, code, message);
    }
    const body = req.json;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return error(res, '301', 'body must be a JSON object');
    const checked = validateRunningHubSubmit(model, mode, body as Record<string, unknown>);
    if ('code' in checked) return error(res, checked.code, checked.message);
    const active = [...tasks.values()].filter((t) => !isTerminal(t)).length;
    if (active >= maxActive) {
      if (options.limitSignal === '429') {
        return sendJson(res, 429, { code: 429, msg: 'Too Many Requests' }, { 'retry-after': String(options.retryAfterSeconds ?? 1) });
      }
      return error(res, '421');
    }
    const prompt = (body as { prompt: string }).prompt;
    const injected = fault?.kind === 'custom' && fault.name === 'fail' ? ((fault.data as { code?: string } | undefined)?.code ?? '1015') : undefined;
    const failCode = injected ?? (fails(prompt) ? (options.failCode ?? '1501') : undefined);
    const webhookUrl = (body as { webhookUrl?: unknown }).webhookUrl;
    const task: EmulatedTask = {
      id: String(nextId++),
      model,
      mode: mode as EmulatedTask['mode'],
      prompt,
      ...checked,
      createdAt: clock.now(),
      ...(failCode ? { failCode } : {}),
      ...(typeof webhookUrl === 'string' ? { webhookUrl } : {}),
    };
    tasks.set(task.id, task);
    if (typeof webhookUrl === 'string') {
      callbacks.after(latencyMs, webhookUrl, async () => {
        const status = statusOf(task);
        return [{ event: 'TASK_END', taskId: task.id, eventData: JSON.stringify({ taskId: task.id, status, errorCode: task.failCode ?? '' }) }];
      });
    }
    if (fault?.kind === 'custom' && fault.name === 'accept-then-500') return sendJson(res, 500, { code: 500, msg: 'Internal Server Error' });
    const clientId = task.id.slice(-8).padStart(32, '0');
    // The seed page's submit example answers RUNNING, whatever the task's real state.
    sendJson(res, 200, envelope({ taskId: task.id, status: options.submitStatus ?? 'RUNNING', clientId }));
  }

  async function query(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined) {
    if (bearer(req) !== apiKey) return error(res, '1002');
    const taskId = (req.json as { taskId?: unknown } | undefined)?.taskId;
    if (fault?.kind === 'custom' && fault.name === 'code') {
      const { code, message } = fault.data as { code: string; message?: string };
      return error(res, code, message, { taskId });
    }
    const task = typeof taskId === 'string' ? tasks.get(taskId) : undefined;
    if (!task) return error(res, '807', undefined, { taskId });
    if (fault?.kind === 'custom' && fault.name === 'cancel') task.cancelled = true;
    if (fault?.kind === 'custom' && fault.name === 'flood' && task.webhookUrl) {
      const body = { event: 'TASK_END', taskId: task.id, eventData: JSON.stringify({ taskId: task.id, status: 'SUCCESS' }) };
      await callbacks.flood(task.webhookUrl, body, (fault.data as { count: number }).count);
    }
    const status = statusOf(task);
    if (status === 'CANCEL') return sendJson(res, 200, envelope({ taskId: task.id, status, errorCode: '', errorMessage: 'task cancelled' }));
    if (status === 'FAILED') {
      const errorMessage = options.failMessage?.(apiKey) ?? MESSAGES[task.failCode!] ?? 'failed';
      return sendJson(res, 200, envelope({ taskId: task.id, status, errorCode: task.failCode, errorMessage }));
    }
    if (status !== 'SUCCESS') return sendJson(res, 200, envelope({ taskId: task.id, status }));
    const url = `${server.origin}/files/results/${task.id}.png?exp=${task.createdAt + latencyMs + ttl}`;
    sendJson(
      res,
      200,
      envelope({
        taskId: task.id,
        status,
        usage: { consumeMoney: options.consumeMoney ?? PRICES[task.model], consumeCoins: null, taskCostTime: String(Math.round(latencyMs / 1000)), thirdPartyConsumeMoney: null },
        results: [{ url, nodeId: '2', outputType: 'png', text: null }],
      }),
    );
  }

  async function upload(req: RecordedRequest, res: ServerResponse) {
    if (bearer(req) !== apiKey) return sendJson(res, 401, { code: -1, msg: 'ApiKey verification failed' });
    const type = String(req.headers['content-type'] ?? '');
    let file: File | string | null = null;
    try {
      file = (await new Response(req.body, { headers: { 'content-type': type } }).formData()).get('file');
    } catch {
      file = null;
    }
    if (!file || typeof file === 'string') return sendJson(res, 200, { code: 301, message: 'multipart part "file" is required', data: null });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.length > (options.uploadMaxBytes ?? 30 * 1024 * 1024)) return sendJson(res, 200, { code: 809, message: 'file too large', data: null });
    const name = `${uploads.size + 1}-${file.name || 'upload'}`;
    uploads.set(name, { bytes, type: file.type });
    sendJson(res, 200, {
      code: 0,
      message: 'success',
      data: { type: 'image', download_url: `${server.origin}/files/uploads/${name}`, fileName: `openapi/${name}`, size: String(bytes.length) },
    });
  }

  async function download(req: RecordedRequest, res: ServerResponse, fault: Fault | undefined) {
    const url = new URL(req.path, 'http://127.0.0.1');
    const denied = () => res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
    if (fault?.kind === 'custom' && fault.name === 'expired') return denied();
    const upload = /^\/files\/uploads\/(.+)$/.exec(url.pathname);
    if (upload) {
      const stored = uploads.get(upload[1]!);
      return stored ? sendBytes(res, stored.bytes, stored.type, fault) : res.writeHead(404).end();
    }
    const task = tasks.get(/^\/files\/results\/(\d+)\.png$/.exec(url.pathname)?.[1] ?? '');
    const exp = Number(url.searchParams.get('exp'));
    if (!task || statusOf(task) !== 'SUCCESS') return res.writeHead(404).end();
    if (!(exp > clock.now()) || task.createdAt < expiredBefore) return denied();
    const key = `${task.width}x${task.height}`;
    if (!images.has(key)) images.set(key, makeImage(task.width, task.height, 'png', 7));
    sendBytes(res, await images.get(key)!, 'image/png', fault);
  }

  const server = await new EmulatorServer((req) => {
    const path = req.path.split('?')[0]!;
    if (req.method === 'GET' && path.startsWith('/files/')) return { route: 'download', handle: download };
    if (req.method !== 'POST') return undefined;
    if (path === '/openapi/v2/query') return { route: 'query', handle: query };
    if (path === '/openapi/v2/media/upload/binary') return { route: 'upload', handle: upload };
    const m = /^\/openapi\/v2\/([^/]+)\/(text-to-image|image-to-image)$/.exec(path);
    const model = m ? MODELS[m[1]!] : undefined;
    if (!m || !model) return undefined;
    return { route: 'submit', handle: (r, res, f) => submit(r, res, f, model, m[2]!) };
  }, clock).start();

  const promptOf = (r: RecordedRequest) => (r.json as { prompt?: unknown } | undefined)?.prompt;
  return {
    origin: server.origin,
    baseUrl: `${server.origin}/openapi/v2`,
    server,
    clock,
    apiKey,
    requests: server.requests,
    inject: (route: 'submit' | 'query' | 'upload' | 'download', fault: Fault, times = 1) => server.inject(route, fault, times),
    /** Submit requests that reached the emulator (accepted or not), optionally for one prompt. */
    submissions: (prompt?: string) => server.requests.filter((r) => r.route === 'submit' && (prompt === undefined || promptOf(r) === prompt)),
    /** Tasks created, optionally for one prompt. */
    tasks: (prompt?: string) => [...tasks.values()].filter((t) => prompt === undefined || t.prompt === prompt),
    uploads,
    /** Every result URL handed out so far now answers 403. */
    expireResults: () => void (expiredBefore = clock.now() + 1),
    /** Webhook calls made (and answered) so far; `droppedCallbacks` counts the lost ones. */
    callbacks: callbacks.sent,
    droppedCallbacks: callbacks.dropped,
    close: () => {
      callbacks.close();
      return server.close();
    },
  };
}

export type RunningHubEmulator = Awaited<ReturnType<typeof startRunningHubEmulator>>;
