import type { Provider, ProviderContext } from '../../src/providers/types.js';
import { makeImage } from './images.js';

/**
 * A Runware-shaped provider whose answers are scripted: each call throws the next error, or returns
 * a 16×16 image (the default once the script runs out). It records each call's context in `calls`.
 * `cost`: what each image reports, in USD (none when absent).
 */
export function scriptedProvider(script: (Error | 'image')[] = ['image'], calls: ProviderContext[] = [], cost?: number): Provider {
  return {
    name: 'runware',
    models: ['seedream-4.5'],
    requiredEnv: [],
    defaultConcurrency: 2,
    prices: {},
    idempotentSubmit: true,
    generationSize: (_m, d) => d,
    async generate(_req, ctx) {
      calls.push(ctx);
      const next = script.shift() ?? 'image';
      if (next instanceof Error) throw next;
      return { bytes: await makeImage(16, 16), taskId: `task-${calls.length}`, ...(cost !== undefined ? { cost, currency: 'USD' } : {}) };
    },
  };
}
