import { createHash } from 'node:crypto';
import type { GenerationRequest } from '../providers/types.js';

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

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every depth, so equal data hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
