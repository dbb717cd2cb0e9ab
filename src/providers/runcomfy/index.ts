import { AbortedError, ProviderError } from '../../core/errors.js';
import { runQueueJob, type QueueProvider, type TaskFailed, type TaskStatus } from '../kit/driver.js';
import { modelsOf, usdPrices } from '../kit/models.js';
import { scheduleFor } from '../kit/polling.js';
import { classifyRunComfyFailure } from './classify.js';
import { callJson, PROVIDER, providerError, retrying, type Session, taskLabel } from './call.js';
import { downloadResult } from './download.js';
import {
  buildSubmit,
  checkRunComfyOptions,
  checkRunComfyReferences,
  outputUrl,
  RUNCOMFY_MODELS,
  runComfyGenerationSize,
  type RunComfyState,
  stateOf,
  type SubmitBody,
} from './wire.js';
import type { GenerationRequest, GenerationResult } from '../../core/generation.js';
import type { ProviderFactory } from '../types.js';

/**
 * RunComfy Model API (docs/providers/runcomfy.md): submit -> poll status -> fetch result ->
 * download. Submits carry no client id, so a submit that may have reached RunComfy is never
 * repeated (a second bill); only 429 answers are retried.
 */

export const RUNCOMFY_DEFAULT_BASE_URL = 'https://model-api.runcomfy.net/v1';
/** Published RunComfy skills poll every 2 s (docs/providers/runcomfy.md: Official clients, What a client must do). */
export const RUNCOMFY_POLL_MS = 2_000;
const SUBMIT_RETRIES = 6;
const CANCEL_TIMEOUT_MS = 10_000;



export const createRunComfyProvider: ProviderFactory = (config) => {
  const apiKey = config.env['RUNCOMFY_API_KEY'] ?? '';
  const baseUrl = (config.env['RUNCOMFY_BASE_URL'] || RUNCOMFY_DEFAULT_BASE_URL).replace(/\/+$/, '');
  // Learned per build; never slower than the published skills' 2 s.
  const schedule = scheduleFor(config, { firstMs: 1_000, minMs: 150, capMs: RUNCOMFY_POLL_MS, ...(config.random ? { random: config.random } : {}) });

  async function generate(request: GenerationRequest, ctx: Session['ctx']): Promise<GenerationResult> {
    if (apiKey === '') {
      throw new ProviderError({ provider: PROVIDER, category: 'auth' }, `${PROVIDER}: RUNCOMFY_API_KEY is not set; not retried — set it`);
    }
    if (ctx.signal.aborted) throw new AbortedError();
    const submit = buildSubmit(request.model, request.prompt, request.size, request.references, request.options);
    if (typeof submit === 'string') {
      throw new ProviderError({ provider: PROVIDER, category: 'invalid_input' }, `${PROVIDER}: ${submit}; not retried — fix the campaign`);
    }
    const s: Session = { ctx, apiKey, baseUrl };
    const queue: QueueProvider<RunComfyState> = {
      name: PROVIDER,
      schedule,
      submit: async () => ({ taskId: await submitTask(s, submit) }),
      status: (taskId) => taskStatus(s, taskId),
      result: (taskId) => fetchImage(s, taskId),
      cancel: (taskId) => cancelTask(s, taskId),
      goneError: (taskId) =>
        new ProviderError({ provider: PROVIDER, category: 'unknown', taskId }, `${PROVIDER}: RunComfy no longer knows ${taskLabel(taskId)}, which it accepted; not retried`),
      expiredError: (taskId) =>
        new ProviderError({ provider: PROVIDER, category: 'transient', taskId }, `${PROVIDER}: the result of ${taskLabel(taskId)} expired; re-run to resume the task`),
      stoppedError: (err, taskId, cancelled) =>
        new ProviderError(
          { ...err.details(), taskId },
          `${PROVIDER}: ${taskLabel(taskId)} did not finish before the job deadline; ${
            cancelled ? 'cancelled while still queued — re-run to submit it again' : 'it keeps running remotely — re-run to resume it'
          }`,
          { cause: err },
        ),
    };
    return runQueueJob(queue, ctx);
  }

  return {
    name: 'runcomfy',
    models: modelsOf(RUNCOMFY_MODELS),
    requiredEnv: ['RUNCOMFY_API_KEY'],
    defaultConcurrency: 4,
    prices: usdPrices(RUNCOMFY_MODELS),
    modelTable: RUNCOMFY_MODELS,
    idempotentSubmit: false,
    generationSize: runComfyGenerationSize,
    checkReferences: checkRunComfyReferences,
    checkOptions: checkRunComfyOptions,
    generate,
  };
};


async function submitTask(s: Session, submit: SubmitBody): Promise<string> {
  if (s.ctx.clock.now() >= s.ctx.deadline) {
    throw new ProviderError({ provider: PROVIDER, category: 'timeout' }, `${PROVIDER}: the job deadline passed before the submit; re-run`);
  }
  const body = await retrying(
    s,
    'submit',
    undefined,
    async () => {
      await s.ctx.journal.submitting();
      return callJson(s, { method: 'POST', url: `${s.baseUrl}/models/${submit.modelPath}`, body: submit.body, stage: 'submit' });
    },
    SUBMIT_RETRIES,
  );
  const taskId = body['request_id'];
  if (typeof taskId !== 'string' || taskId === '') {
    throw new ProviderError(
      { provider: PROVIDER, category: 'unknown', mayHaveReachedServer: true },
      `${PROVIDER}: the submit was answered without a request_id (no task id); not resubmitted — check the RunComfy dashboard`,
    );
  }
  s.ctx.logger.debug(`${PROVIDER}: submitted task ${taskId} to ${submit.modelPath}`);
  return taskId;
}

/**
 * The status as the driver reads it. Completed and failed tasks are both `done`: the result
 * endpoint says which, with the failure's code. Cancelled or unknown to RunComfy (404, or
 * another user's id) ends the wait; a resumed task in that state is submitted afresh.
 */
async function taskStatus(s: Session, taskId: string): Promise<TaskStatus<RunComfyState>> {
  let raw: Record<string, unknown>;
  try {
    raw = await retrying(s, 'read', taskId, () =>
      callJson(s, { method: 'GET', url: `${s.baseUrl}/requests/${encodeURIComponent(taskId)}/status`, stage: 'status', taskId }),
    );
  } catch (err) {
    const gone = err instanceof ProviderError && (err.httpStatus === 404 || err.providerCode === '404001' || err.providerCode === '403001');
    if (!gone) throw err;
    s.ctx.logger.debug(`${PROVIDER}: ${taskLabel(taskId)} is gone`);
    return { state: 'gone' };
  }
  const state = stateOf(raw['status']);
  const status = String(raw['status']);
  if (state === 'completed' || state === 'failed') return { state: 'done', status, value: state };
  if (state === 'cancelled') return { state: 'failed', status, error: cancelledError(taskId) };
  if (state === 'unknown') s.ctx.logger.debug(`${PROVIDER}: ${taskLabel(taskId)} reports unknown status ${JSON.stringify(raw['status'])}; still polling`);
  const queuePosition = typeof raw['queue_position'] === 'number' ? raw['queue_position'] : undefined;
  // Only queued tasks can be cancelled; an unknown state is tried too.
  return { state: 'pending', status, cancellable: state === 'queued' || state === 'unknown', ...(queuePosition !== undefined ? { queuePosition } : {}) };
}

/**
 * Result, then the image at once (result URLs expire). One expired URL earns one fresh result.
 * A failed or cancelled task is its end (status says only "done"): the result call tells which.
 */
async function fetchImage(s: Session, taskId: string): Promise<GenerationResult | TaskFailed> {
  for (let attempt = 0; ; attempt++) {
    const result = await retrying(s, 'read', taskId, async () => {
      const raw = await callJson(s, { method: 'GET', url: `${s.baseUrl}/requests/${encodeURIComponent(taskId)}/result`, stage: 'result', taskId });
      const state = stateOf(raw['status']);
      if (state === 'failed' || state === 'cancelled' || outputUrl(raw)) return { state, raw };
      // Status said done but the result is not there yet: a read worth repeating.
      throw new ProviderError(
        { provider: PROVIDER, category: 'transient', taskId },
        `${PROVIDER}: result of ${taskLabel(taskId)} has no output image (status ${String(raw['status'])}); retried`,
      );
    });
    if (result.state === 'cancelled') return { failed: cancelledError(taskId) };
    if (result.state === 'failed') return { failed: providerError(classifyRunComfyFailure(result.raw['error']), 'result', taskId) };
    const downloaded = await downloadResult(s, outputUrl(result.raw)!, taskId);
    if (downloaded.kind === 'bytes') return { bytes: downloaded.bytes, taskId };
    if (attempt >= 1) {
      throw new ProviderError(
        { provider: PROVIDER, category: 'transient', taskId, httpStatus: downloaded.status },
        `${PROVIDER}: the result URL of ${taskLabel(taskId)} answered HTTP ${downloaded.status} (expired) twice; re-run to resume the task`,
      );
    }
  }
}

function cancelledError(taskId: string): ProviderError {
  return new ProviderError(
    { provider: PROVIDER, category: 'unknown', taskId },
    `${PROVIDER}: ${taskLabel(taskId)} was cancelled on RunComfy; not retried — re-run to submit it again`,
  );
}

/** Best effort: only queued tasks can be cancelled; true when RunComfy confirms it. */
async function cancelTask(s: Session, taskId: string): Promise<boolean> {
  try {
    const raw = await callJson(s, {
      method: 'POST',
      url: `${s.baseUrl}/requests/${encodeURIComponent(taskId)}/cancel`,
      stage: 'cancel',
      taskId,
      signal: null,
      timeoutMs: CANCEL_TIMEOUT_MS,
    });
    const outcome = raw['outcome'];
    s.ctx.logger.debug(`${PROVIDER}: cancel of ${taskLabel(taskId)}: ${String(outcome)}`);
    return outcome === 'cancelled' || outcome === 'canceled';
  } catch (err) {
    s.ctx.logger.warn(`${PROVIDER}: could not cancel ${taskLabel(taskId)}: ${(err as Error).message}`);
    return false;
  }
}
