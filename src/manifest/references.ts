import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { MAX_INPUT_PIXELS, readImageHeader } from '../image/sharp.js';
import type { FactsOf } from '../core/errors.js';
import { readProjectFile } from './project-file.js';
import type { Reference } from '../core/campaign.js';

/** Providers reject larger uploads, and the bytes are held in memory and hashed into the cache key. */
export const MAX_REFERENCE_BYTES = 10 * 1024 * 1024;

const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;

/** A URL scheme, but not a Windows drive letter (`C:`). */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * A reference entry -> a Reference, read and checked now so the cache key covers the bytes and a
 * bad file fails the build before any job is paid for.
 */
/** Why a reference was refused: a file refused by rule keeps its own code (E_PATH, E_ENCODING). */
export interface ReferenceProblem {
  readonly facts: FactsOf<'E_REFERENCE'>;
  readonly code?: 'E_PATH' | 'E_ENCODING';
}

export async function resolveReference(entry: string, campaignDir: string, projectRoot: string): Promise<Reference | ReferenceProblem> {
  const scheme = SCHEME.exec(entry)?.[1]?.toLowerCase();
  if (scheme !== undefined) return resolveUrl(entry, scheme);
  const path = resolve(campaignDir, entry);
  const read = await readProjectFile(path, projectRoot, { maxBytes: MAX_REFERENCE_BYTES, shown: entry, what: 'reference' });
  if ('problem' in read) return read;
  const { bytes } = read;
  let format: string | undefined;
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ format, width, height } = await readImageHeader(bytes));
  } catch {
    return { facts: { kind: 'not-image', entry } };
  }
  if (width && height && width * height > MAX_INPUT_PIXELS) return { facts: { kind: 'too-many-pixels', entry, width, height, limit: MAX_INPUT_PIXELS } };
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') return { facts: { kind: 'format', entry, ...(format ? { format } : {}) } };
  if (!width || !height) return { facts: { kind: 'no-dimensions', entry } };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { kind: 'file', path, sha256, mime: MIME[format], bytes: new Uint8Array(bytes), width, height };
}

function resolveUrl(entry: string, scheme: string): Reference | ReferenceProblem {
  if (scheme !== 'https') return { facts: { kind: 'scheme', scheme } };
  try {
    const url = new URL(entry);
    if (!url.hostname) return { facts: { kind: 'no-host', entry } };
    return { kind: 'url', url: url.href };
  } catch {
    return { facts: { kind: 'bad-url', entry } };
  }
}
