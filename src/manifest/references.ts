import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pixelLimitProblem, readImageHeader } from '../image/sharp.js';
import { readProjectFile, type FileProblem } from './project-file.js';
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
export async function resolveReference(entry: string, campaignDir: string, projectRoot: string): Promise<Reference | FileProblem> {
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
    return { problem: `${entry} is not a PNG, JPEG or WebP image` };
  }
  const tooLarge = width && height ? pixelLimitProblem(width, height) : undefined;
  if (tooLarge) return { problem: `${entry} ${tooLarge}` };
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
    return { problem: `${entry} is ${format ? `in ${format.toUpperCase()} format` : 'not an image'}; expected PNG, JPEG or WebP` };
  }
  if (!width || !height) return { problem: `${entry} has no readable dimensions` };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { kind: 'file', path, sha256, mime: MIME[format], bytes: new Uint8Array(bytes), width, height };
}

function resolveUrl(entry: string, scheme: string): Reference | { readonly problem: string } {
  if (scheme !== 'https') return { problem: `${scheme}: URLs are not accepted; use an https URL or a file path` };
  try {
    const url = new URL(entry);
    if (!url.hostname) return { problem: `${entry} has no host` };
    return { kind: 'url', url: url.href };
  } catch {
    return { problem: `${entry} is not a valid URL` };
  }
}
