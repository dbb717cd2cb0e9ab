import type { Figure } from '../lib/figures.js';
export async function benchCachedRebuild(_o: unknown): Promise<Figure[]> { return []; }
