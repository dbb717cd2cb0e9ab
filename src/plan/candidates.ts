import { generationKey, resultImageKey } from '../cache/key.js';
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

/** Candidate k of a generation as its own request: the same one with candidate k's seed. */
function seededCandidate(g: Generation, k: number): Generation {
  const { key: _key, label, ...keyInput } = g.request;
  const seed = candidateSeed(g.request.seed, k);
  const input = { ...keyInput, ...(seed !== undefined ? { seed } : {}) };
  const key = generationKey(input);
  return { key, request: { ...input, key, label }, cells: g.cells };
}

/** A provider's way to return several images per request, when it has one. */
export type MultipleResults = { readonly option: string; readonly max: number } | undefined;

/**
 * Cache keys of images 2..M of a request whose options ask the provider for M images (its first is
 * the request's own key): what was paid for is kept, and can be shown as candidates.
 */
export function extraImageKeysOf(key: string, options: Readonly<Record<string, unknown>>, multiple: MultipleResults): string[] {
  const m = multiple ? options[multiple.option] : undefined;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 2) return [];
  return Array.from({ length: m - 1 }, (_, i) => resultImageKey(key, i + 1));
}

/** How candidates 1..n-1 of one generation are obtained, and the cache key each ends up under. */
export interface CandidateRequests {
  /** The requests to obtain (each paid once): one per candidate, or one for all of them. */
  readonly generations: readonly Generation[];
  /** Cache key of candidate k at index k - 1. */
  readonly keys: readonly string[];
}

/**
 * Candidates 1..n-1 of a generation. A request that already asks for n images or more (the
 * campaign's own numberResults) serves them with no request of their own. Otherwise a provider that
 * returns several images per request gets one request asking for n - 1 of them (no seed is invented
 * for it: the key says the request, the count and the position); any other provider gets one
 * request per candidate with a derived seed.
 * Candidate 0 stays the generation itself, so turning candidates on re-pays for nothing.
 */
export function candidateRequests(gen: Generation, n: number, multiple: MultipleResults): CandidateRequests {
  if (n <= 1) return { generations: [], keys: [] };
  // The campaign already asks for enough images per request: the delivered one's siblings serve.
  const siblings = gen.extraImageKeys ?? [];
  if (siblings.length >= n - 1) return { generations: [], keys: siblings.slice(0, n - 1) };
  if (multiple && n - 1 <= multiple.max) {
    const { key: _key, label, ...keyInput } = gen.request;
    const input = { ...keyInput, options: { ...keyInput.options, [multiple.option]: n - 1 } };
    const key = generationKey(input);
    const extraImageKeys = extraImageKeysOf(key, input.options, multiple);
    return { generations: [{ key, request: { ...input, key, label }, cells: gen.cells, extraImageKeys }], keys: [key, ...extraImageKeys] };
  }
  const generations = Array.from({ length: n - 1 }, (_, i) => seededCandidate(gen, i + 1));
  return { generations, keys: generations.map((g) => g.key) };
}

/** The cache key of candidate k of a generation when n were made (k = 0: the generation's own). */
export function candidateKey(gen: Generation, k: number, n: number, multiple: MultipleResults): string | undefined {
  return k === 0 ? gen.key : candidateRequests(gen, n, multiple).keys[k - 1];
}
