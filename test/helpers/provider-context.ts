import { expect } from 'vitest';
import type { Clock, Logger, Sleep } from '../../src/core/deps.js';
import { ProviderError } from '../../src/core/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import type { JobJournal, ProviderContext } from '../../src/providers/types.js';
import type { PriorAttempt, ProgressEvent } from '../../src/core/generation.js';

/**
 * A fake ProviderContext for adapter tests: a clock that only the fake sleep moves (so backoff
 * and poll waits cost no real time, and every wait is recorded), a real undici client for the
 * emulators, and a journal that records what the adapter told it.
 */

export type JournalEvent =
  | { readonly kind: 'submitting'; readonly clientTaskId?: string }
  | { readonly kind: 'submitted'; readonly taskId: string };

export interface ContextOverrides extends Partial<Omit<ProviderContext, 'journal'>> {
  /** What an interrupted run left in the journal (resume tests). */
  readonly prior?: PriorAttempt;
  /** Replaces the whole journal fake. */
  readonly journal?: JobJournal;
  /** Called after each journal event is recorded, e.g. to abort right after a submit. */
  readonly onJournal?: (event: JournalEvent) => void;
  /** Fake clock start, in milliseconds. */
  readonly startTime?: number;
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface FakeContext {
  readonly ctx: ProviderContext;
  /** Every wait the code under test asked for, in milliseconds. */
  readonly sleeps: number[];
  /** Every ctx.onRateLimited call's argument. */
  readonly rateLimited: (number | undefined)[];
  readonly journalEvents: JournalEvent[];
  readonly progress: ProgressEvent[];
  readonly logs: LogLine[];
  /** Moves the fake clock without sleeping. */
  advance(ms: number): void;
  /** Closes the HTTP client this helper created (not one passed in). */
  close(): Promise<void>;
}

export function makeContext(overrides: ContextOverrides = {}): FakeContext {
  let now = overrides.startTime ?? 0;
  const sleeps: number[] = [];
  const rateLimited: (number | undefined)[] = [];
  const journalEvents: JournalEvent[] = [];
  const progress: ProgressEvent[] = [];
  const logs: LogLine[] = [];

  const clock: Clock = { now: () => now };
  const sleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) throw signal.reason;
    sleeps.push(ms);
    now += ms;
    // Yield to the event loop so real I/O (the emulator) makes progress between polls.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw signal.reason;
  };
  const record = (event: JournalEvent) => {
    journalEvents.push(event);
    overrides.onJournal?.(event);
  };
  const journal: JobJournal = overrides.journal ?? {
    prior: overrides.prior,
    async submitting(clientTaskId) {
      record(clientTaskId === undefined ? { kind: 'submitting' } : { kind: 'submitting', clientTaskId });
    },
    async submitted(taskId) {
      record({ kind: 'submitted', taskId });
    },
  };
  const logger: Logger = {
    debug: (message) => logs.push({ level: 'debug', message }),
    info: (message) => logs.push({ level: 'info', message }),
    warn: (message) => logs.push({ level: 'warn', message }),
    error: (message) => logs.push({ level: 'error', message }),
  };
  const ownHttp = overrides.http ? undefined : createHttpClient();

  const ctx: ProviderContext = {
    signal: overrides.signal ?? new AbortController().signal,
    http: overrides.http ?? ownHttp!,
    clock: overrides.clock ?? clock,
    sleep: overrides.sleep ?? sleep,
    logger: overrides.logger ?? logger,
    journal,
    onRateLimited: overrides.onRateLimited ?? ((ms) => void rateLimited.push(ms)),
    onProgress: overrides.onProgress ?? ((event) => void progress.push(event)),
    deadline: overrides.deadline ?? Number.MAX_SAFE_INTEGER,
  };

  return {
    ctx,
    sleeps,
    rateLimited,
    journalEvents,
    progress,
    logs,
    advance: (ms) => void (now += ms),
    close: async () => {
      await ownHttp?.close();
    },
  };
}

/** The ProviderError a job rejected with (fails the test if it resolved or threw anything else). */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
