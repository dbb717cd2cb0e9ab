import { generationKey } from '../../src/cache/key.js';
import type { Generation } from '../../src/core/generation.js';
import { createProviders } from '../../src/providers/registry.js';
import type { JobJournal, Provider } from '../../src/providers/types.js';
import type { ModelId, PixelSize } from '../../src/core/campaign.js';
import type { RemoteEmulator } from './remote-emulator.js';

export const API_KEY = 'bench-key-not-a-secret';

/**
 * Seedream 4.0's smallest valid square (921,600 px): the emulators serve an image of the
 * requested size, and a small one keeps download and cache cost out of the orchestration figure.
 */
export const SMALL_GENERATION: PixelSize = { width: 960, height: 960 };
export const BENCH_MODEL: ModelId = 'seedream-4.0';

/** A real adapter pointed at the emulator, polling every `pollIntervalMs`. */
export function providerFor(emulator: RemoteEmulator, pollIntervalMs: number): Provider {
  const env = { [`${emulator.envPrefix}_API_KEY`]: API_KEY, [`${emulator.envPrefix}_BASE_URL`]: emulator.baseUrl };
  return createProviders({ env, pollIntervalMs })(emulator.provider);
}

/** `count` distinct text-to-image generations (distinct prompts, so distinct keys). */
export function makeGenerations(provider: Provider, count: number, tag: string): Generation[] {
  return Array.from({ length: count }, (_, i) => {
    const input = {
      provider: provider.name,
      model: BENCH_MODEL,
      prompt: `bench ${tag} job ${i}: a matte-blue bottle on a granite ledge at sunrise, product photo`,
      size: SMALL_GENERATION,
      references: [],
      options: {},
    };
    const key = generationKey(input);
    const label = { campaign: 'bench', variant: `v${i}`, locale: 'en-US', size: 'square', headline: 'BENCH', copy: '', direction: 'ltr' as const };
    return { key, request: { ...input, key, label }, cells: [] };
  });
}

/** A journal handle that records nothing: for the reference runs, which have no resume story. */
export const NO_JOURNAL: JobJournal = { async submitting() {}, async submitted() {} };
