import { jobFailure } from '../core/outcome.js';
import type { Generation } from '../core/generation.js';
import type { ImageOutcome } from '../core/results.js';
import { generateImage, type RunContext } from './execute.js';

/**
 * Where a generation's image may come from when its files must be cut: the provider (a build), the
 * cache alone (`assemble`, which never generates), or the cache alone because an approval picked
 * it (a picked candidate is never made again, --force or not: the cache holds the approved image).
 */
export type ImageSource = 'provider' | 'cache-only' | 'approved';

/** The image of one generation, from where `source` allows; a miss or a failed job is data, never thrown. */
export async function obtainImage(gen: Generation, source: ImageSource, run: RunContext): Promise<ImageOutcome> {
  if (source === 'provider') return generateImage(gen, run);
  const hit = source === 'approved' ? await run.cache.read(gen.key) : undefined;
  if (hit) return { kind: 'cached', meta: hit.meta, bytes: hit.bytes };
  return { kind: 'failed', failure: jobFailure('E_CACHE_MISS', { kind: source === 'approved' ? 'approved' : 'assemble' }, run.provider.name) };
}
