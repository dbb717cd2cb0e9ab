import { afterEach } from 'vitest';
import type { Provider, ProviderConfig } from '../../src/providers/types.js';
import { makeContext, type ContextOverrides, type FakeContext } from './provider-context.js';

/**
 * The shared set-up of a provider's adapter tests: one emulator and one provider per test, fake
 * contexts that are closed after it. `h.emu` and `h.provider` are the current test's.
 */

export interface Harness<E, O> {
  emu: E;
  provider: Provider;
  /** Starts the emulator with `options` (over the harness defaults) and a provider for it. */
  start(options?: O, config?: Partial<ProviderConfig>): Promise<void>;
  context(overrides?: ContextOverrides): FakeContext;
}

export interface HarnessSpec<E, O> {
  readonly emulator: (options: O) => Promise<E & { close(): Promise<void>; readonly apiKey: string; readonly baseUrl: string }>;
  readonly factory: (config: ProviderConfig) => Provider;
  /** RUNWARE, RUNNINGHUB, ...: the provider's env prefix. */
  readonly envPrefix: string;
  readonly defaults?: O;
}

export function useHarness<E extends { close(): Promise<void>; readonly apiKey: string; readonly baseUrl: string }, O extends object>(spec: HarnessSpec<E, O>): Harness<E, O> {
  const fakes: FakeContext[] = [];
  const emulators: E[] = [];
  const h: Harness<E, O> = {
    emu: undefined as unknown as E,
    provider: undefined as unknown as Provider,
    async start(options, config = {}) {
      h.emu = await spec.emulator({ ...spec.defaults, ...options } as O);
      emulators.push(h.emu);
      h.provider = spec.factory({
        env: { [`${spec.envPrefix}_API_KEY`]: h.emu.apiKey, [`${spec.envPrefix}_BASE_URL`]: h.emu.baseUrl },
        random: () => 0.5,
        ...config,
      });
    },
    context(overrides = {}) {
      const fake = makeContext(overrides);
      fakes.push(fake);
      return fake;
    },
  };
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    await Promise.all(emulators.splice(0).map((e) => e.close()));
  });
  return h;
}
