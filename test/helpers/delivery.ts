import type { DeliveryContext } from '../../src/post/deliver.js';
import { createOutGuard } from '../../src/post/out-paths.js';

/** A delivery into `dir` with nothing cached, nothing delivered before and no provider call allowed. */
export function deliveryContext(dir: string, over: Partial<DeliveryContext> = {}): DeliveryContext {
  return {
    outDir: dir,
    output: { format: 'png', quality: 90 },
    shownOutDir: 'out/demo',
    guard: createOutGuard(dir),
    previous: new Map(),
    stamps: new Map(),
    force: false,
    verify: false,
    peekCache: async () => undefined,
    cpuBound: false,
    post: (fn) => fn(),
    readCache: async () => undefined,
    obtain: async () => Promise.reject(new Error('obtain must not be called')),
    ...over,
  };
}
