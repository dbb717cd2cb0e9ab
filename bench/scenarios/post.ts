import type { Figure } from '../lib/figures.js';
export async function benchPost(_o: unknown): Promise<Figure[]> { return []; }
