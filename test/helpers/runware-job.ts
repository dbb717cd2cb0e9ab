import type { ModelId } from '../../src/core/campaign.js';
import type { GenerationRequest } from '../../src/core/generation.js';
import { createRunwareProvider } from '../../src/providers/runware/index.js';
import { startRunwareEmulator, type RunwareEmulator, type RunwareEmulatorOptions } from './emulators/runware.js';
import { useHarness, type Harness } from './provider-harness.js';
import { generationRequest } from './generation-request.js';

/** Runware adapter tests: the harness, a request for a Seedream story, and what reached the emulator. */

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface RunwareHarness extends Harness<RunwareEmulator, RunwareEmulatorOptions> {
  request(overrides?: Partial<GenerationRequest>): GenerationRequest;
  submits(): RunwareEmulator['server']['requests'];
  /** The taskUUID of every imageInference request, in order. */
  submittedUuids(): string[];
}

export function useRunware(): RunwareHarness {
  const h = useHarness({ emulator: startRunwareEmulator, factory: createRunwareProvider, envPrefix: 'RUNWARE' });
  const submits = () => h.emu.server.requests.filter((r) => r.route === 'submit');
  return Object.assign(h, {
    request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
      const model: ModelId = overrides.model ?? 'seedream-4.5';
      const size = h.provider.generationSize(model, { width: 1080, height: 1920 });
      return generationRequest({ key: 'key-1', provider: 'runware', model, prompt: 'a frosted glass bottle on black stone', size, ...overrides }, { size: 'story' });
    },
    submits,
    submittedUuids: () => submits().map((r) => (r.json as { taskUUID: string }[])[0]!.taskUUID),
  });
}
