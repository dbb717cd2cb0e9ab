import type { PollOptions } from '../../http/poll.js';
import type { ProviderConfig } from '../types.js';
import { createPollSchedule, fixedSchedule, type PollSchedule, type PollScheduleOptions } from './schedule.js';

/**
 * One schedule per provider instance, so every job of the build learns from the others. A fixed
 * PRESSROOM_POLL_INTERVAL_MS (emulators, tests) replaces it; with webhooks, `callbacks` says the
 * provider calls back, and polls are only the slow safety net for a callback that never came.
 */
export function scheduleFor(config: ProviderConfig, defaults: PollScheduleOptions, callbacks = false): PollSchedule {
  if (callbacks && config.webhooks) return fixedSchedule(config.webhooks.safetyPollMs);
  return config.pollIntervalMs !== undefined && config.pollIntervalMs > 0 ? fixedSchedule(config.pollIntervalMs) : createPollSchedule(defaults);
}

/**
 * The timing half of a poll: `immediate` asks at once (a resumed task may have finished long
 * ago) and teaches the schedule nothing, since its submit time is unknown.
 */
export function pollTiming(schedule: PollSchedule, immediate = false): Pick<PollOptions<unknown>, 'delayBefore' | 'onDone'> {
  if (immediate) {
    return { delayBefore: (attempt, elapsed, queue) => (attempt === 0 ? 0 : schedule.delayBefore(attempt - 1, elapsed, queue)) };
  }
  return { delayBefore: (attempt, elapsed, queue) => schedule.delayBefore(attempt, elapsed, queue), onDone: (done, pending) => schedule.finished(done, pending) };
}
