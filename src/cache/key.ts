import { canonicalJson, sha256Hex } from '../core/hash.js';
import type { GenerationRequest } from '../core/generation.js';

/** Bump when the meaning of a cached entry changes; every old key then misses. */
export const CACHE_FORMAT_VERSION = 1;

/** Exactly what changes the generated image: no keys, base URLs, concurrency or output paths. */
export type KeyInput = Omit<GenerationRequest, 'key' | 'label'>;

export function generationKey(input: KeyInput): string {
  const material = {
    v: CACHE_FORMAT_VERSION,
    provider: input.provider,
    model: input.model,
    prompt: input.prompt,
    width: input.size.width,
    height: input.size.height,
    seed: input.seed ?? null,
    references: input.references.map((r) => (r.kind === 'file' ? `sha256:${r.sha256}` : `url:${r.url}`)),
    options: input.options,
  };
  return sha256Hex(canonicalJson(material));
}

/**
 * Image `index` (>= 1) of the request keyed `requestKey` when it returned several (numberResults):
 * the request's own key holds its first image, as for any request; the others are told apart by
 * their position in the answer, which is all that is known of them.
 */
export function resultImageKey(requestKey: string, index: number): string {
  return sha256Hex(canonicalJson({ v: CACHE_FORMAT_VERSION, request: requestKey, index }));
}
