import type { ImageRoute } from '../../src/commands/build.js';
import type { DeliveryContext } from '../../src/post/deliver.js';
import { createOutGuard } from '../../src/post/out-paths.js';

/** A delivery into `dir` with nothing delivered before. */
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
    ...over,
  };
}

/** Nothing cached, no provider call allowed, no bound on the post pool: tests give what they use. */
export function imageRoute(over: Partial<Omit<ImageRoute, 'cache'>> & { readonly read?: ImageRoute['cache']['read']; readonly peek?: ImageRoute['cache']['peek'] } = {}): ImageRoute {
  const { read, peek, ...rest } = over;
  return {
    cache: { read: read ?? (async () => undefined), peek: peek ?? (async () => undefined) },
    obtain: async () => Promise.reject(new Error('obtain must not be called')),
    slot: (fn) => fn(),
    cpuBound: false,
    ...rest,
  };
}
