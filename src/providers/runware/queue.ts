import { randomUUID } from 'node:crypto';
import { AbortedError, ProviderError } from '../../core/errors.js';
import type { GenerationRequest, GenerationResult } from '../../core/generation.js';
import { runQueueJob, type Ending, type QueueProvider, type Submitted, type TaskFailed, type TaskStatus } from '../kit/driver.js';
import type { ProviderContext } from '../types.js';
import { classifyRunware, runwareErrors, TASK_MISSING_CODES } from './classify.js';
import { callRunware, classifiedFailure, downloadResult, PROVIDER, runwareFailure, type JobEnv, type RunwareSettings } from './http.js';
import { getResponseTask, imageInferenceTask, readTaskState, resultCount, type ResultItem, type TaskState } from './wire.js';

/**
 * Runware on the queue driver: submit with a client-chosen taskUUID, getResponse as the status,
 * download as the result; the driver owns the loop.
 *
 * The taskUUID is chosen once and reused on every retry and on resume. Whether Runware dedupes a
 * repeated taskUUID is not documented, so a submit whose answer was lost is never simply sent
 * again: getResponse is asked first (on resume too), and only a task Runware says it does not
 * know is submitted again under the same taskUUID. Only when a task inherited from an
 * interrupted run is unusable (still unknown after that, failed upstream, result expired) does
 * the job start once more under a fresh taskUUID.
 */
export function runRunwareJob(settings: RunwareSettings, request: GenerationRequest, ctx: ProviderContext): Promise<GenerationResult> {
  return runQueueJob(runwareQueue(settings, request, ctx), ctx).catch((err: unknown) => {
    if (ctx.signal.aborted) throw new AbortedError();
    throw err;
  });
}

type Items = readonly ResultItem[];

export function runwareQueue(settings: RunwareSettings, request: GenerationRequest, ctx: ProviderContext): QueueProvider<Items> {
  const env: JobEnv = { settings, ctx };
  const prior = ctx.journal.prior;
  const expected = resultCount(request.options);
  // A killed build that recorded only the taskUUID it was about to send: that task may exist.
  let unsent: string | undefined = prior?.taskId ? undefined : prior?.clientTaskId;
  let uuid = prior?.taskId ?? prior?.clientTaskId;
  let resentSame = false;
  let restarted = false;

  return {
    name: PROVIDER,
    schedule: settings.schedule,
    ...(settings.watch ? { watch: settings.watch } : {}),
    async submit(_ctx, after): Promise<Submitted<Items>> {
      if (after) {
        resentSame = after.why === 'gone' && !resentSame;
        if (!resentSame) {
          uuid = randomUUID();
          restarted = true;
        }
      } else if (unsent) {
        const probed = await readState(env, unsent, expected);
        if (probed.kind !== 'missing') return { taskId: unsent, status: statusOf(env, unsent, probed), inherited: true };
      } else if (!uuid) {
        uuid = randomUUID();
      }
      unsent = undefined;
      return submit(env, request, uuid!, expected);
    },
    status: async (taskId) => statusOf(env, taskId, await readState(env, taskId, expected)),
    result: (taskId, items) => resultOf(env, taskId, items),
    again(ending: Ending) {
      // A fresh taskUUID may cost a second task: only for a task inherited from a killed run.
      const mayRestart = prior !== undefined && !restarted;
      if (ending.why === 'gone') return !resentSame || mayRestart;
      const restart = mayRestart && ending.inherited && (ending.why === 'expired' || ending.error.category === 'transient');
      if (restart) ctx.logger.info(`${PROVIDER}: task ${ending.taskId} from an interrupted build ${ending.why === 'expired' ? 'has an expired result' : 'failed upstream'}; submitting a new task`);
      return restart;
    },
    goneError: (taskId) =>
      runwareFailure(env, { category: 'unknown', providerCode: 'taskNotFound', detail: 'Runware does not know the task even after submitting it again' }, taskId, 'polling'),
    expiredError: (taskId) => runwareFailure(env, { category: 'transient', detail: 'the result URL expired before it was downloaded' }, taskId, 'downloading the result of'),
    stoppedError: (err, taskId) => {
      // Runware has no cancel: stopping the poll does not stop the task or its bill.
      ctx.logger.debug(`${PROVIDER}: stopped waiting for task ${taskId}; Runware cannot cancel it, so it may still be billed`);
      return err;
    },
  };
}

function statusOf(env: JobEnv, uuid: string, state: TaskState): TaskStatus<Items> {
  switch (state.kind) {
    case 'processing':
      return { state: 'pending', status: 'processing' };
    case 'missing':
      return { state: 'gone' };
    case 'failed':
      return { state: 'failed', status: 'error', error: runwareFailure(env, classifyRunware(200, { errors: [state.error] }), uuid, 'generating') };
    case 'success':
      return { state: 'done', status: 'success', value: state.items };
  }
}

async function submit(env: JobEnv, request: GenerationRequest, uuid: string, expected: number): Promise<Submitted<Items>> {
  const { ctx } = env;
  const { task, ignored } = imageInferenceTask(request, uuid, env.settings.webhookUrl);
  if (ignored.length > 0) ctx.logger.warn(`${PROVIDER}: ignoring providerOptions the adapter sets itself: ${ignored.join(', ')}`);
  await ctx.journal.submitting(uuid);
  const { state } = await callRunware<{ readonly state?: TaskState }>(
    env,
    'submit',
    [task],
    uuid,
    'submitting',
    (answer) => {
      const errors = runwareErrors(answer.body);
      // Our own taskUUID already exists: an earlier attempt of this very submit got through.
      if (errors.length > 0 && errors.every((e) => e.code === 'conflictTaskUUID' && (e.taskUUID === undefined || e.taskUUID === uuid))) return {};
      if (answer.status >= 200 && answer.status < 300 && errors.length === 0) {
        // A synchronous answer already carries the results; an acknowledgement says nothing yet.
        const state = readTaskState(answer.body, uuid, expected);
        return state?.kind === 'success' ? { state } : {};
      }
      throw classifiedFailure(env, answer, uuid, 'submitting');
    },
    // Runware does not document that it dedupes a repeated taskUUID: before sending again after
    // an answer that was lost (5xx, reset, timeout), ask whether the first send created the task.
    async (failure) => {
      if (!mayHaveCreated(failure)) return undefined;
      const state = await readState(env, uuid, expected);
      return state.kind === 'missing' ? undefined : { state };
    },
  );
  return { taskId: uuid, ...(state ? { status: statusOf(env, uuid, state) } : {}) };
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

/** Every result image, undefined when a result URL has already expired, or the task's end when Runware flagged it. */
async function resultOf(env: JobEnv, uuid: string, items: Items): Promise<GenerationResult | TaskFailed | undefined> {
  const images: Uint8Array[] = [];
  for (const item of items) {
    if (item.nsfw) {
      return { failed: runwareFailure(env, { category: 'moderation', providerCode: 'NSFWContent', detail: 'Runware flagged the result as NSFW' }, uuid, 'generating') };
    }
    const bytes = item.bytes ?? (await download(env, item.imageURL!, uuid));
    if (!bytes) return undefined;
    images.push(bytes);
  }
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

async function download(env: JobEnv, url: string, uuid: string): Promise<Uint8Array | undefined> {
  const got = await downloadResult(env, url, uuid);
  return got.kind === 'bytes' ? got.bytes : undefined;
}
