import type { ImageRoute } from '../../src/commands/build.js';
import type { DeliveryContext } from '../../src/post/deliver.js';
import { createOutGuard } from '../../src/post/out-paths.js';

/** A delivery into `dir` with nothing cached and nothing delivered before. */
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
    post: (fn) => fn(),
    readCache: async () => undefined,
    ...over,
  };
}

/** Nothing cached and no provider call allowed: tests give what they use. */
export function imageRoute(over: Partial<ImageRoute> = {}): ImageRoute {
  return { read: async () => undefined, obtain: async () => Promise.reject(new Error('obtain must not be called')), cpuBound: false, ...over };
}

/** A headline layer placed on a cell, as the typesetter is handed one: `text` in a 200×50 box. */
export const placedHeadline = (text: string) => ({
  field: 'headline',
  text,
  locale: 'en-US',
  direction: 'ltr' as const,
  box: { x: 10, y: 10, width: 200, height: 50 },
  align: 'start' as const,
  valign: 'top' as const,
  weight: 700,
  color: '#FFFFFF',
  background: 'auto',
  minSize: 12,
  maxSize: 40,
  lineHeight: 1.2,
  hyphenate: true,
  regions: [{ x: 10, y: 10, width: 200, height: 50 }],
});
