import { afterEach } from 'vitest';
import type { GenerationRequest } from '../../src/core/generation.js';
import { createRunComfyProvider } from '../../src/providers/runcomfy/index.js';
import { type RunComfyEmulatorOptions, startRunComfyEmulator } from './emulators/runcomfy.js';
import { type ContextOverrides, makeContext } from './provider-context.js';
import { generationRequest } from './generation-request.js';

/** RunComfy adapter tests: an emulator and provider per call, cleaned up after each test. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, after everything registered later. */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function setup(options: RunComfyEmulatorOptions = {}, pollIntervalMs?: number) {
  const emu = await startRunComfyEmulator(options);
  onCleanup(() => emu.close());
  const provider = createRunComfyProvider({
    env: { RUNCOMFY_API_KEY: emu.apiKey, RUNCOMFY_BASE_URL: emu.baseUrl },
    pollIntervalMs,
    random: () => 0.5,
  });
  return { emu, provider };
}

export function context(overrides: ContextOverrides = {}) {
  const fake = makeContext(overrides);
  onCleanup(() => fake.close());
  return fake;
}

export function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return generationRequest({ key: 'k1', provider: 'runcomfy', prompt: 'a lighthouse at dawn', size: { width: 1440, height: 2560 }, ...overrides }, { size: 'story' });
}

/** Whatever the promise rejected with (AbortedError included); throws if it resolved. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

export function submittedTaskIds(events: readonly { kind: string; taskId?: string }[]): string[] {
  return events.filter((e) => e.kind === 'submitted').map((e) => e.taskId!);
}
