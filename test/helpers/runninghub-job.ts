import { beforeEach } from 'vitest';
import type { Reference } from '../../src/core/campaign.js';
import type { GenerationRequest } from '../../src/core/generation.js';
import { createRunningHubProvider } from '../../src/providers/runninghub/index.js';
import { startRunningHubEmulator, type RunningHubEmulator, type RunningHubEmulatorOptions } from './emulators/runninghub.js';
import { useHarness, type Harness } from './provider-harness.js';
import { generationRequest } from './generation-request.js';

/** RunningHub adapter tests: the harness (an instant emulator before each test), a request, the bodies sent. */

export interface RunningHubHarness extends Harness<RunningHubEmulator, RunningHubEmulatorOptions> {
  request(overrides?: Partial<GenerationRequest>): GenerationRequest;
  submitBodies(): Record<string, unknown>[];
}

export function fileReference(bytes: Buffer, sha256 = 'sha-small'): Reference {
  return { kind: 'file', path: '/refs/product.png', sha256, mime: 'image/png', bytes, width: 64, height: 64 };
}

export function useRunningHub(): RunningHubHarness {
  const h = useHarness({ emulator: startRunningHubEmulator, factory: createRunningHubProvider, envPrefix: 'RUNNINGHUB', defaults: { latencyMs: 0 } });
  beforeEach(() => h.start());
  return Object.assign(h, {
    request: (overrides: Partial<GenerationRequest> = {}): GenerationRequest =>
      generationRequest({ key: 'job-1', provider: 'runninghub', prompt: 'a red bicycle against a white wall', size: { width: 2048, height: 2048 }, ...overrides }, { locale: 'en', copy: 'c' }),
    submitBodies: () => h.emu.submissions().map((r) => r.json as Record<string, unknown>),
  });
}
