import type { HttpResponse } from '../../http/client.js';
import { runQueueJob, type QueueProvider, type TaskFailed, type TaskStatus } from '../kit/driver.js';
import { usdPrices } from '../kit/models.js';
import { RUNNINGHUB_MODELS } from './models.js';
import { downloadResult } from '../kit/download.js';
import { scheduleFor } from '../kit/polling.js';
import { classifyRunningHub, isTaskGone, RUNNINGHUB, runningHubError } from './classify.js';
import { atJobDeadline, requestTimeout, retrying } from './retry.js';
import { checkRunningHubReferences, referenceUrls, type UploadCache } from './references.js';
import {
  callbackTaskIds,
  NON_TERMINAL,
  parseTask,
  runningHubGenerationSize,
  checkRunningHubOptions,
  submitBody,
  TERMINAL_FAILURE,
  type TaskEnvelope,
} from './wire.js';
import type { GenerationRequest, GenerationResult } from '../../core/generation.js';
import type { ProviderContext, ProviderFactory } from '../types.js';

/**
 * RunningHub Standard Model API (openapi v2), docs/providers/runninghub.md: submit, poll `query` every
 * ~5 s, download the result at once (its URL expires). RunningHub documents no v2 cancel, so a
 * deadline or abort leaves the remote task running; its id stays in the journal for a resume.
 * With webhooks on, the submit names a `webhookUrl` whose calls end a poll wait early.
 */

export const DEFAULT_RUNNINGHUB_BASE_URL = 'https://www.runninghub.ai/openapi/v2';
const POLL_INTERVAL_MS = 5_000;
const SUBMIT_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MS = 30_000;
/** Rate-limit refusals are waited out; the job deadline bounds the total. */
const SUBMIT_RETRIES = 20;
const READ_RETRIES = 5;

export const createRunningHubProvider: ProviderFactory = (config) => {
  const apiKey = config.env['RUNNINGHUB_API_KEY'] ?? '';
  const baseUrl = (config.env['RUNNINGHUB_BASE_URL'] || DEFAULT_RUNNINGHUB_BASE_URL).replace(/\/+$/, '');
  // Learned per build, capped at the 5 s the official client uses.
  const schedule = scheduleFor(config, { firstMs: 1_000, minMs: 150, capMs: POLL_INTERVAL_MS, ...(config.random ? { random: config.random } : {}) }, true);
  const webhook = config.webhooks?.route(RUNNINGHUB, callbackTaskIds);
  const auth = { authorization: `Bearer ${apiKey}` };
  const jsonHeaders = { ...auth, 'content-type': 'application/json' };
  const uploads: UploadCache = new Map();

  /** One JSON call; a non-JSON body is transient (a read retries it, a submit does not). */
  async function callJson(ctx: ProviderContext, stage: string, path: string, body: unknown, taskId?: string): Promise<{ res: HttpResponse; json: unknown }> {
    const res = await ctx.http.request({
      method: 'POST',
      url: `${baseUrl}/${path}`,
      headers: jsonHeaders,
      body: JSON.stringify(body),
      signal: ctx.signal,
      timeoutMs: requestTimeout(ctx, stage === 'submit' ? SUBMIT_TIMEOUT_MS : QUERY_TIMEOUT_MS),
    });
    try {
      return { res, json: JSON.parse(Buffer.from(res.body).toString('utf8')) };
    } catch (cause) {
      const details = { ...classifyRunningHub(res.status, undefined, res.headers), category: 'transient' as const, mayHaveReachedServer: true };
      throw runningHubError(details, {
        stage,
        taskId,
        next: stage === 'submit' ? 'not resubmitted: the task may exist — check the RunningHub console before re-running' : 'retried',
        cause,
      });
    }
  }

  /** Submits one task, waiting out rate-limit refusals (the only refusals safe to repeat). */
  async function submit(request: GenerationRequest, ctx: ProviderContext): Promise<TaskEnvelope & { taskId: string }> {
    const imageUrls = await referenceUrls(request.references, { baseUrl, headers: auth }, uploads, ctx);
    const endpoint = `${RUNNINGHUB_MODELS[request.model]!.wire}/${imageUrls.length > 0 ? 'image-to-image' : 'text-to-image'}`;
    const body = submitBody(request.prompt, request.size, imageUrls, request.options, webhook?.url);
    return retrying(ctx, 'submit', SUBMIT_RETRIES, undefined, async () => {
      await ctx.journal.submitting();
      const { res, json } = await callJson(ctx, 'submit', endpoint, body);
      const task = parseTask(json);
      if (res.status >= 300 || !task.taskId || task.errorCode) {
        // A 200 naming an error code and no task is RunningHub saying it created nothing: an
        // internal, unavailable or upstream code (500, 1005, 1010, 1012) is safe to submit again.
        const refused = res.status < 300 && !task.taskId && task.errorCode !== undefined;
        const details = { ...classifyRunningHub(res.status, json, res.headers), ...(refused ? { mayHaveReachedServer: false } : {}) };
        const next =
          details.category !== 'transient' ? undefined
          : refused ? 'RunningHub created no task; resubmitted until the retries ran out'
          : 'not resubmitted: the task may exist — check the RunningHub console';
        throw runningHubError(details, { stage: 'submit', taskId: task.taskId, body: json, ...(next ? { next } : {}) });
      }
      return { ...task, taskId: task.taskId };
    });
  }

  /** One `query` answer, retried on transport failures and query-level error codes. */
  function query(ctx: ProviderContext, taskId: string): Promise<{ task: TaskEnvelope; json: unknown }> {
    return retrying(ctx, 'read', READ_RETRIES, taskId, async () => {
      const { res, json } = await callJson(ctx, 'query', 'query', { taskId }, taskId);
      const task = parseTask(json);
      const failed = task.status !== undefined && TERMINAL_FAILURE.has(task.status);
      // Legacy "running" / "queued" codes are progress, not errors.
      if (task.errorCode === '804' || task.errorCode === '813') return { task: { ...task, status: 'RUNNING' }, json };
      // A failed task is an answer, not a failed request: it is returned, never re-polled.
      if (res.status >= 300 || (task.errorCode && !failed)) {
        const details = classifyRunningHub(res.status, json, res.headers);
        if (isTaskGone(details.providerCode)) return { task: { ...task, status: GONE }, json };
        throw runningHubError(details, { stage: 'query', taskId, body: json });
      }
      return { task, json };
    });
  }

  /** The result bytes, or undefined when the URL has expired. */
  async function download(ctx: ProviderContext, url: string, taskId: string): Promise<Uint8Array | undefined> {
    const got = await downloadResult({
      ctx,
      url,
      retry: (fn) => retrying(ctx, 'read', READ_RETRIES, taskId, fn),
      transport: (err) => err,
      failure: (status, detail) =>
        runningHubError(
          { ...classifyRunningHub(status, undefined), category: status === 429 ? 'rate_limit' : 'transient' },
          { stage: 'download', taskId, next: detail ? `${detail}; retried` : 'retried' },
        ),
    });
    return got.kind === 'bytes' ? got.bytes : undefined;
  }

  /** A `query` answer as the driver reads it. */
  async function status(taskId: string, ctx: ProviderContext): Promise<TaskStatus<TaskEnvelope>> {
    const { task, json } = await query(ctx, taskId);
    if (task.status === GONE) return { state: 'gone' };
    if (task.status === 'SUCCESS') return { state: 'done', status: task.status, value: task };
    if (task.status === undefined || NON_TERMINAL.has(task.status)) return { state: 'pending', ...(task.status ? { status: task.status } : {}) };
    const details = classifyRunningHub(200, json);
    const known = TERMINAL_FAILURE.has(task.status);
    const error = runningHubError(known ? details : { ...details, category: 'unknown' }, {
      stage: known ? `task ${task.status === 'CANCEL' ? 'cancelled' : 'failed'}` : `task in unknown status ${task.status}`,
      taskId,
      body: json,
    });
    return { state: 'failed', status: task.status, error };
  }

  /** The image of a finished task, or undefined when its URL has expired. */
  async function fetchResult(taskId: string, task: TaskEnvelope, ctx: ProviderContext): Promise<GenerationResult | TaskFailed | undefined> {
    if (!task.resultUrl) return { failed: runningHubError(unknownDetails(), { stage: 'task', taskId, next: 'it succeeded without an image URL; not retried' }) };
    const bytes = await download(ctx, task.resultUrl, taskId);
    return bytes ? result(bytes, taskId, task) : undefined;
  }

  function queueFor(request: GenerationRequest): QueueProvider<TaskEnvelope> {
    return {
      name: RUNNINGHUB,
      schedule,
      ...(webhook ? { watch: webhook.watch } : {}),
      async submit(ctx) {
        const task = await submit(request, ctx);
        // The official client accepts a submit that already answers SUCCESS with results.
        const done = task.status === 'SUCCESS' && task.resultUrl;
        return { taskId: task.taskId, ...(done ? { status: { state: 'done' as const, status: 'SUCCESS', value: task } } : {}) };
      },
      status,
      result: fetchResult,
      goneError: (taskId) =>
        runningHubError(unknownDetails(), { stage: 'query', taskId, next: 'RunningHub no longer knows the task it accepted; not retried' }),
      expiredError: (taskId) =>
        runningHubError({ ...classifyRunningHub(403, undefined), category: 'transient', providerCode: 'RESULT_EXPIRED' }, {
          stage: 'download',
          taskId,
          next: 'the result URL expired before it was fetched; re-run the build to generate it again',
        }),
    };
  }

  async function generate(request: GenerationRequest, ctx: ProviderContext): Promise<GenerationResult> {
    try {
      return await runQueueJob(queueFor(request), ctx);
    } catch (err) {
      throw atJobDeadline(ctx, err);
    }
  }

  return {
    name: 'runninghub',
    models: ['seedream-4.0', 'seedream-4.5', 'seedream-5-lite'],
    requiredEnv: ['RUNNINGHUB_API_KEY'],
    defaultConcurrency: 3,
    prices: usdPrices(RUNNINGHUB_MODELS),
    modelTable: RUNNINGHUB_MODELS,
    idempotentSubmit: false,
    generationSize: runningHubGenerationSize,
    checkReferences: (_model, references) => checkRunningHubReferences(references),
    checkOptions: checkRunningHubOptions,
    generate,
  };
};

const unknownDetails = () => ({ ...classifyRunningHub(200, undefined), category: 'unknown' as const });

/** Marks a query answer saying RunningHub does not know the task (any more). */
const GONE = 'GONE';

function result(bytes: Uint8Array, taskId: string, task: TaskEnvelope): GenerationResult {
  // `usage.consumeMoney` names no unit, and RunningHub wallets exist in more than one currency.
  return { bytes, taskId, ...(task.cost !== undefined ? { cost: task.cost, currency: 'credits' } : {}) };
}
