import { AbortedError, ProviderError } from '../../core/errors.js';
import { HttpError } from '../../http/client.js';
import { pollUntilDone } from '../../http/poll.js';
import { modelsOf, usdPrices } from '../kit/models.js';
import { pollTiming, scheduleFor } from '../kit/polling.js';
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


interface StatusView {
  readonly state: RunComfyState;
  readonly raw: Record<string, unknown>;
}

export const createRunComfyProvider: ProviderFactory = (config) => {
  const apiKey = config.env['RUNCOMFY_API_KEY'] ?? '';
  const baseUrl = (config.env['RUNCOMFY_BASE_URL'] || RUNCOMFY_DEFAULT_BASE_URL).replace(/\/+$/, '');
  // Learned per build; never slower than the published skills' 2 s.
  const schedule = scheduleFor(config, { firstMs: 1_000, minMs: 250, capMs: RUNCOMFY_POLL_MS, ...(config.random ? { random: config.random } : {}) });

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

    let taskId = ctx.journal.prior?.taskId;
    let last: StatusView | undefined;
    if (taskId) {
      last = await resumeStatus(s, taskId);
      if (!last) taskId = undefined;
    }
    if (!taskId) taskId = await submitTask(s, submit);
    const id = taskId;

    try {
      if (!last || !isTerminal(last.state)) {
        last = await pollUntilDone<StatusView>({
          provider: PROVIDER,
          taskId: id,
          ...pollTiming(schedule, last !== undefined),
          deadline: ctx.deadline,
          clock: ctx.clock,
          sleep: ctx.sleep,
          signal: ctx.signal,
          check: async () => {
            last = await readStatus(s, id);
            if (isTerminal(last.state)) return { done: true, value: last };
            const position = last.raw['queue_position'];
            return typeof position === 'number' ? { done: false, queuePosition: position } : { done: false };
          },
        });
      }
      if (last.state === 'cancelled') throw cancelledError(id);
      return await fetchImage(s, id);
    } catch (err) {
      // Deadline errors (from the poll or a retry wait) carry no transport cause.
      const deadline = err instanceof ProviderError && err.category === 'timeout' && !(err.cause instanceof HttpError);
      if (err instanceof AbortedError || deadline) {
        // RunComfy cancels only queued tasks; a finished or running one is left alone.
        const queued = !last || last.state === 'queued' || last.state === 'unknown';
        const cancelled = queued ? await cancelTask(s, id) : false;
        if (!(err instanceof ProviderError)) throw err;
        throw new ProviderError(
          { ...err.details(), taskId: id },
          `${PROVIDER}: ${taskLabel(id)} did not finish before the job deadline; ${
            cancelled ? 'cancelled while still queued — re-run to submit it again' : 'it keeps running remotely — re-run to resume it'
          }`,
          { cause: err },
        );
      }
      throw err;
    }
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

function isTerminal(state: RunComfyState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}

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
  await s.ctx.journal.submitted(taskId);
  s.ctx.onProgress?.({ kind: 'submitted', taskId });
  s.ctx.logger.debug(`${PROVIDER}: submitted task ${taskId} to ${submit.modelPath}`);
  return taskId;
}

async function readStatus(s: Session, taskId: string): Promise<StatusView> {
  const raw = await retrying(s, 'read', taskId, () =>
    callJson(s, { method: 'GET', url: `${s.baseUrl}/requests/${encodeURIComponent(taskId)}/status`, stage: 'status', taskId }),
  );
  const state = stateOf(raw['status']);
  const queuePosition = typeof raw['queue_position'] === 'number' ? raw['queue_position'] : undefined;
  s.ctx.onProgress?.({ kind: 'status', status: String(raw['status']), queuePosition });
  if (state === 'unknown') s.ctx.logger.debug(`${PROVIDER}: ${taskLabel(taskId)} reports unknown status ${JSON.stringify(raw['status'])}; still polling`);
  return { state, raw };
}

/**
 * The task a killed build left behind. Undefined when RunComfy no longer has it (or it was
 * cancelled): then the job is submitted afresh.
 */
async function resumeStatus(s: Session, taskId: string): Promise<StatusView | undefined> {
  try {
    const view = await readStatus(s, taskId);
    if (view.state === 'cancelled') return undefined;
    s.ctx.logger.debug(`${PROVIDER}: resuming ${taskLabel(taskId)} (${view.state})`);
    return view;
  } catch (err) {
    const gone =
      err instanceof ProviderError &&
      (err.httpStatus === 404 || err.providerCode === '404001' || err.providerCode === '403001');
    if (!gone) throw err;
    s.ctx.logger.debug(`${PROVIDER}: ${taskLabel(taskId)} is gone; submitting afresh`);
    return undefined;
  }
}

/** Result, then the image at once (result URLs expire). One expired URL earns one fresh result. */
async function fetchImage(s: Session, taskId: string): Promise<GenerationResult> {
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
    if (result.state === 'cancelled') throw cancelledError(taskId);
    if (result.state === 'failed') throw providerError(s, classifyRunComfyFailure(result.raw['error']), 'result', taskId);
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
