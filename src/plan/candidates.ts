import { generationKey } from '../cache/key.js';
import { sha256Hex } from '../core/hash.js';
import type { Generation } from '../core/generation.js';

/** Seeds the providers accept (the manifest's seed range). */
const SEED_SPACE = 2 ** 31 - 1;

/**
 * The seed of candidate k of a cell: k = 0 is the campaign's own seed (absent: the provider picks),
 * so the generations and caches of a campaign without candidates stay exactly as they were; k >= 1
 * is derived from the campaign seed and k alone, so the same candidate is the same image tomorrow.
 */
export function candidateSeed(seed: number | undefined, k: number): number | undefined {
  if (k === 0) return seed;
  return Number.parseInt(sha256Hex(`pressroom-candidate:${seed ?? 'none'}:${k}`).slice(0, 12), 16) % SEED_SPACE;
}

/**
 * Candidate k of every generation: the same request with candidate k's seed and the key that
 * follows from it. A provider that returns several images per request (Runware numberResults)
 * could serve candidates 1..N-1 from the k = 0 request instead; this is where it would plug in.
 */
export function candidateGenerations(generations: readonly Generation[], k: number): Generation[] {
  if (k === 0) return [...generations];
  return generations.map((g) => {
    const { key: _key, label, ...keyInput } = g.request;
    const seed = candidateSeed(g.request.seed, k);
    const input = { ...keyInput, ...(seed !== undefined ? { seed } : {}) };
    const key = generationKey(input);
    return { key, request: { ...input, key, label }, cells: g.cells };
  });
}
