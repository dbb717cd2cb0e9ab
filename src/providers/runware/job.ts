import { randomUUID } from 'node:crypto';
import { AbortedError, ProviderError } from '../../core/errors.js';
import { pollUntilDone } from '../../http/poll.js';
import { pollTiming } from '../kit/polling.js';
import { classifyRunware, runwareErrors, TASK_MISSING_CODES } from './classify.js';
import { callRunware, classifiedFailure, downloadResult, PROVIDER, runwareFailure, type JobEnv } from './http.js';
import { getResponseTask, imageInferenceTask, readTaskState, resultCount, type ResultItem, type TaskState } from './wire.js';
import type { GenerationRequest, GenerationResult } from '../../core/generation.js';

/**
 * One job on Runware: submit with a client-chosen taskUUID, poll getResponse, download.
 *
 * The taskUUID is chosen once and reused on every retry and on resume. Whether Runware dedupes a
 * repeated taskUUID is not documented, so a submit whose answer was lost is never simply sent
 * again: getResponse is asked first (on resume too), and only a task Runware says it does not
 * know is submitted again under the same taskUUID. Only when a task inherited from an
 * interrupted run is unusable (still unknown after that, failed upstream, result expired) does
 * the job start once more under a fresh taskUUID.
 */
export async function runRunwareJob(env: JobEnv, request: GenerationRequest): Promise<GenerationResult> {
  const { ctx } = env;
  const prior = ctx.journal.prior;
  let uuid = prior?.clientTaskId ?? prior?.taskId;
  let ours = false; // the current uuid was submitted by this call
  let resentSame = false; // the current uuid was submitted again after Runware forgot it
  let restarted = false;
  try {
    if (!uuid) {
      uuid = randomUUID();
      await submit(env, request, uuid);
      ours = true;
    }
    for (;;) {
      const state = await waitForTask(env, uuid, !ours, resultCount(request.options));
      // A fresh taskUUID may cost a second task: only for a task inherited from a killed run.
      const mayRestart = prior !== undefined && !restarted;
      let next: 'same' | 'fresh';
      if (state.kind === 'missing') {
        if (!resentSame) next = 'same';
        else if (mayRestart) next = 'fresh';
        else throw missingFailure(env, uuid, state.code);
      } else if (state.kind === 'failed') {
        const failure = runwareFailure(env, classifyRunware(200, { errors: [state.error] }), uuid, 'generating');
        if (!(mayRestart && !ours && failure.category === 'transient')) throw failure;
        next = 'fresh';
      } else {
        const images = await allResultBytes(env, state.items, uuid);
        if (images) return resultOf(uuid, state.items, images);
        if (!(mayRestart && !ours)) {
          throw runwareFailure(env, { category: 'transient', detail: 'the result URL expired before it was downloaded' }, uuid, 'downloading the result of');
        }
        next = 'fresh';
      }
      const why = state.kind === 'success' ? 'has an expired result' : state.kind === 'missing' ? 'is unknown to Runware' : 'failed upstream';
      ctx.logger.info(`${PROVIDER}: task ${uuid} ${why}; submitting ${next === 'same' ? 'it again under the same taskUUID' : 'a new task'}`);
      if (next === 'fresh') {
        uuid = randomUUID();
        restarted = true;
      }
      resentSame = next === 'same';
      await submit(env, request, uuid);
      ours = true;
    }
  } catch (err) {
    const timedOut = err instanceof ProviderError && err.category === 'timeout';
    if ((ctx.signal.aborted || timedOut) && uuid) {
      // Runware has no cancel: stopping the poll does not stop the task or its bill.
      ctx.logger.debug(`${PROVIDER}: stopped waiting for task ${uuid}; Runware cannot cancel it, so it may still be billed`);
    }
    if (ctx.signal.aborted) throw new AbortedError();
    throw err;
  }
}

async function submit(env: JobEnv, request: GenerationRequest, uuid: string): Promise<void> {
  const { ctx } = env;
  const { task, ignored } = imageInferenceTask(request, uuid);
  if (ignored.length > 0) ctx.logger.warn(`${PROVIDER}: ignoring providerOptions the adapter sets itself: ${ignored.join(', ')}`);
  await ctx.journal.submitting(uuid);
  await callRunware(
    env,
    'submit',
    [task],
    uuid,
    'submitting',
    (answer) => {
      const errors = runwareErrors(answer.body);
      // Our own taskUUID already exists: an earlier attempt of this very submit got through.
      if (errors.length > 0 && errors.every((e) => e.code === 'conflictTaskUUID' && (e.taskUUID === undefined || e.taskUUID === uuid))) return 'accepted';
      if (answer.status >= 200 && answer.status < 300 && errors.length === 0) return 'accepted';
      throw classifiedFailure(env, answer, uuid, 'submitting');
    },
    // Runware does not document that it dedupes a repeated taskUUID: before sending again after
    // an answer that was lost (5xx, reset, timeout), ask whether the first send created the task.
    async (failure) => (mayHaveCreated(failure) && (await readState(env, uuid, 1)).kind !== 'missing' ? 'accepted' : undefined),
  );
  await ctx.journal.submitted(uuid);
  ctx.onProgress?.({ kind: 'submitted', taskId: uuid });
}

/** A refusal (rate limit) or a failure before sending created nothing; anything else may have. */
function mayHaveCreated(failure: unknown): boolean {
  if (!(failure instanceof ProviderError)) return true;
  return failure.category !== 'rate_limit' && failure.mayHaveReachedServer !== false;
}

function readState(env: JobEnv, uuid: string, expected: number): Promise<TaskState> {
  return callRunware(env, 'read', [getResponseTask(uuid)], uuid, 'polling', (answer): TaskState => {
    if (answer.status < 200 || answer.status >= 300) {
      const missing = runwareErrors(answer.body).find((e) => e.code !== undefined && TASK_MISSING_CODES.has(e.code));
      if (missing?.code) return { kind: 'missing', code: missing.code };
      throw classifiedFailure(env, answer, uuid, 'polling');
    }
    const state = readTaskState(answer.body, uuid, expected);
    if (!state) throw runwareFailure(env, { category: 'transient', httpStatus: answer.status, detail: 'the answer is not a Runware envelope' }, uuid, 'polling');
    // A limit signal in a 2xx body is about this request, not a verdict on the task.
    if (state.kind === 'failed' && classifyRunware(200, { errors: [state.error] }).category === 'rate_limit') {
      throw classifiedFailure(env, answer, uuid, 'polling');
    }
    return state;
  });
}

/** Polls at Runware's cadence until the task succeeds, fails or is unknown to Runware. */
type Settled = Exclude<TaskState, { kind: 'processing' }>;

function waitForTask(env: JobEnv, uuid: string, probeFirst: boolean, expected: number): Promise<Settled> {
  const { ctx, settings } = env;
  let lastStatus: string | undefined;
  return pollUntilDone<Settled>({
    provider: PROVIDER,
    taskId: uuid,
    // A task taken over from an earlier run may be long finished: ask at once.
    ...pollTiming(settings.schedule, probeFirst),
    deadline: ctx.deadline,
    clock: ctx.clock,
    sleep: ctx.sleep,
    signal: ctx.signal,
    check: async () => {
      const state = await readState(env, uuid, expected);
      if (state.kind !== 'processing') return { done: true, value: state };
      if (lastStatus !== 'processing') ctx.onProgress?.({ kind: 'status', status: 'processing' });
      lastStatus = 'processing';
      return { done: false };
    },
  });
}

/** Every result's bytes, or undefined when a result URL has already expired. */
async function allResultBytes(env: JobEnv, items: readonly ResultItem[], uuid: string): Promise<Uint8Array[] | undefined> {
  const images: Uint8Array[] = [];
  for (const item of items) {
    const bytes = await resultBytes(env, item, uuid);
    if (!bytes) return undefined;
    images.push(bytes);
  }
  return images;
}

function resultOf(uuid: string, items: readonly ResultItem[], images: readonly Uint8Array[]): GenerationResult {
  const costs = items.map((i) => i.cost);
  const cost = costs.every((c) => c !== undefined) ? costs.reduce((a, c) => a + c!, 0) : undefined;
  return {
    bytes: images[0]!,
    ...(images.length > 1 ? { images } : {}),
    taskId: uuid,
    ...(cost !== undefined ? { cost, currency: 'USD' } : {}),
    seed: items[0]!.seed,
  };
}

/** The image bytes, or undefined when the result URL has already expired. */
async function resultBytes(env: JobEnv, item: ResultItem, uuid: string): Promise<Uint8Array | undefined> {
  if (item.nsfw) {
    throw runwareFailure(env, { category: 'moderation', providerCode: 'NSFWContent', detail: 'Runware flagged the result as NSFW' }, uuid, 'generating');
  }
  if (item.bytes) return item.bytes;
  const download = await downloadResult(env, item.imageURL!, uuid);
  return download.kind === 'bytes' ? download.bytes : undefined;
}

function missingFailure(env: JobEnv, uuid: string, code: string): ProviderError {
  return runwareFailure(env, { category: 'unknown', providerCode: code, detail: 'Runware does not know the task even after submitting it again' }, uuid, 'polling');
}
