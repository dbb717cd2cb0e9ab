import type { Fault, RecordedRequest } from '../emulator.js';
import type { EmulatorClock } from './clock.js';
import { startRunComfyEmulator } from './runcomfy.js';
import { startRunningHubEmulator } from './runninghub.js';
import { startRunwareEmulator } from './runware.js';

/** One face over the three emulators, for pipeline tests that run the same scenario on each. */
export interface AnyEmulator {
  readonly provider: 'runninghub' | 'runware' | 'runcomfy';
  readonly envPrefix: string;
  readonly baseUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** The emulator's time (by default it moves with the requests; a test may freeze it). */
  readonly clock: EmulatorClock;
  /** Submit requests received for `prompt` (or all), refused and failed ones included. */
  submits(prompt?: string): number;
  /** Tasks the provider would bill (created, and not cancelled while queued), for `prompt` or all. */
  billed(prompt?: string): number;
  inject(route: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly apiKey: string;
  readonly latencyMs?: number;
  readonly maxActiveTasks?: number;
  readonly failPrompts?: RegExp | ((prompt: string) => boolean);
  /** The words of a failed task's error, given the emulator's key (a provider that echoes it). */
  readonly failMessage?: (apiKey: string) => string;
  readonly clock?: EmulatorClock;
  /** RunningHub only: what `usage.consumeMoney` says (a figure in RunningHub's credits). */
  readonly consumeMoney?: string;
  /** Runware only: a repeated taskUUID is billed as a new task. */
  readonly billDuplicates?: boolean;
}

export const EMULATORS: Readonly<Record<AnyEmulator['provider'], (o: StartOptions) => Promise<AnyEmulator>>> = {
  async runninghub(o) {
    const e = await startRunningHubEmulator(o);
    const billed = (p?: string) => e.tasks(p).length;
    return { provider: 'runninghub', envPrefix: 'RUNNINGHUB', baseUrl: e.baseUrl, requests: e.server.requests, clock: e.clock, submits: (p) => countSubmits(e.server.requests, p), billed, inject: (r, f, t) => e.server.inject(r, f, t), clearFaults: () => e.server.clearFaults(), close: () => e.close() };
  },
  async runware(o) {
    const e = await startRunwareEmulator({ ...o, onDuplicate: o.billDuplicates ? 'bill' : undefined });
    return { provider: 'runware', envPrefix: 'RUNWARE', baseUrl: e.baseUrl, requests: e.server.requests, clock: e.clock, submits: (p) => countSubmits(e.server.requests, p), billed: (p) => e.billed(p), inject: (r, f, t) => e.inject(r, f, t), clearFaults: () => e.server.clearFaults(), close: () => e.close() };
  },
  async runcomfy(o) {
    const { failMessage, ...rest } = o;
    const failure = failMessage ? { code: 'OutputImageSensitiveContentDetected', message: failMessage(o.apiKey) } : undefined;
    const e = await startRunComfyEmulator({ ...rest, ...(failure ? { failure } : {}) });
    const billed = (p?: string) => [...e.tasks.values()].filter((t) => t.cancelledAt === undefined && (p === undefined || t.prompt === p)).length;
    return { provider: 'runcomfy', envPrefix: 'RUNCOMFY', baseUrl: e.baseUrl, requests: e.server.requests, clock: e.clock, submits: (p) => countSubmits(e.server.requests, p), billed, inject: (r, f, t) => e.inject(r, f, t), clearFaults: () => e.server.clearFaults(), close: () => e.close() };
  },
};

function countSubmits(requests: readonly RecordedRequest[], prompt?: string): number {
  const needle = prompt === undefined ? undefined : JSON.stringify(prompt);
  return requests.filter((r) => r.route === 'submit' && (needle === undefined || JSON.stringify(r.json).includes(needle))).length;
}

/** The environment a build needs to talk to `emulator` with `apiKey`, polling fast. */
export function emulatorEnv(emulator: AnyEmulator, apiKey: string): NodeJS.ProcessEnv {
  return {
    [`${emulator.envPrefix}_API_KEY`]: apiKey,
    [`${emulator.envPrefix}_BASE_URL`]: emulator.baseUrl,
    PRESSROOM_POLL_INTERVAL_MS: '10',
  };
}
