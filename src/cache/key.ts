import { canonicalJson, sha256Hex } from '../core/hash.js';
import { LOCAL_PROOF_VERSION, type GenerationRequest } from '../core/generation.js';

/** Bump when the meaning of a cached entry changes; every old key then misses. */
export const CACHE_FORMAT_VERSION = 1;

/** Exactly what changes the generated image: no keys, base URLs, concurrency or output paths. */
export type KeyInput = Omit<GenerationRequest, 'key' | 'label'>;

export function generationKey(input: KeyInput): string {
  return sha256Hex(keyMaterialJson(input));
}

/**
 * canonicalJson of the key material, its fixed fields written out in their sorted order (only the
 * provider options are free-form): a campaign set hashes one key per prompt and size.
 */
function keyMaterialJson(input: KeyInput): string {
  const j = JSON.stringify;
  const references = input.references.map((r) => (r.kind === 'file' ? `sha256:${r.sha256}` : `url:${r.url}`));
  // Options that serialise to nothing (absent) are left out, as canonicalJson leaves them out.
  const options = canonicalJson(input.options) as string | undefined;
  return (
    `{"height":${j(input.size.height)},"model":${j(input.model)},${options === undefined ? '' : `"options":${options},`}"prompt":${j(input.prompt)},` +
    `"provider":${j(input.provider)},"references":${j(references)},${input.provider === 'local' ? `"renderer":${LOCAL_PROOF_VERSION},` : ''}"seed":${j(input.seed ?? null)},"v":${CACHE_FORMAT_VERSION},"width":${j(input.size.width)}}`
  );
}

/**
 * Image `index` (>= 1) of the request keyed `requestKey` when it returned several (numberResults):
 * the request's own key holds its first image, as for any request; the others are told apart by
 * their position in the answer, which is all that is known of them.
 */
export function resultImageKey(requestKey: string, index: number): string {
  return sha256Hex(canonicalJson({ v: CACHE_FORMAT_VERSION, request: requestKey, index }));
}
