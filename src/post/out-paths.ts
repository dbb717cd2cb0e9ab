import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { relativeInside } from '../core/path-inside.js';
import type { CampaignManifest } from '../core/results.js';
import { sheetPageNumber } from './sheet-layout.js';

/**
 * Which paths under out/<campaign> Pressroom may overwrite or delete: the names its own plan
 * produces, in folders that really lie inside out/<campaign>. A manifest.json is a file anyone can
 * edit, so nothing read from it is trusted before it passes these checks.
 */

const LOCALE = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const EXTENSION = { png: 'png', jpeg: 'jpg', webp: 'webp', avif: 'avif' } as const;
const SHA256 = /^[0-9a-f]{64}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `<locale>/<variant>-<size>.<ext>` for the entry's own cell and format, and nothing else. */
export function isPlannedDeliveryFile(entry: { readonly file?: unknown; readonly locale?: unknown; readonly variant?: unknown; readonly size?: unknown; readonly format?: unknown }): boolean {
  const { file, locale, variant, size, format } = entry;
  if (typeof file !== 'string' || typeof locale !== 'string' || typeof variant !== 'string' || typeof size !== 'string') return false;
  if (!LOCALE.test(locale) || !ID.test(variant) || !ID.test(size)) return false;
  const ext = typeof format === 'string' && Object.hasOwn(EXTENSION, format) ? EXTENSION[format as keyof typeof EXTENSION] : undefined;
  return ext !== undefined && file === `${locale}/${variant}-${size}.${ext}`;
}

/**
 * Why a previous build's manifest cannot be trusted, or undefined when every file it names has the
 * shape this campaign's plan produces. An untrusted manifest is ignored as a whole: one doctored
 * entry says the file was not written by Pressroom.
 */
export function previousManifestProblem(value: unknown, campaign: string): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  if (value['campaign'] !== campaign) return `it belongs to campaign ${JSON.stringify(value['campaign'])}, not ${JSON.stringify(campaign)}`;
  const assets = value['assets'];
  if (!Array.isArray(assets)) return 'assets is not a list';
  for (const [i, a] of assets.entries()) {
    if (!isRecord(a) || !isPlannedDeliveryFile(a)) return `assets[${i}].file ${JSON.stringify(isRecord(a) ? a['file'] : a)} is not a file Pressroom delivers (<locale>/<variant>-<size>.<ext>)`;
    if (typeof a['bytes'] !== 'number' || typeof a['sha256'] !== 'string' || !SHA256.test(a['sha256']) || typeof a['recipe'] !== 'string') return `assets[${i}] lacks bytes, sha256 or recipe`;
    if (!isRecord(a['generation']) || typeof a['generation']['key'] !== 'string') return `assets[${i}].generation.key is missing`;
  }
  if (!Array.isArray(value['failures'])) return 'failures is not a list';
  const sheet = value['contactSheet'];
  if (!isRecord(sheet) || typeof sheet['recipe'] !== 'string' || !Array.isArray(sheet['pages'])) return 'contactSheet is not { recipe, pages }';
  for (const [i, pg] of sheet['pages'].entries()) {
    if (!isRecord(pg) || typeof pg['file'] !== 'string' || sheetPageNumber(pg['file']) === undefined || typeof pg['sha256'] !== 'string') {
      return `contactSheet.pages[${i}] is not a contact-sheet(-N).png page`;
    }
  }
  return undefined;
}

/** The previous manifest if it can be trusted, else undefined and why. */
export function trustedManifest(value: unknown, campaign: string): { manifest?: CampaignManifest; problem?: string } {
  if (value === undefined) return {};
  const problem = previousManifestProblem(value, campaign);
  return problem ? { problem } : { manifest: value as CampaignManifest };
}

/**
 * `file` (relative to outDir) as an absolute path when every folder on its way, outDir included,
 * is a real folder inside outDir (no symbolic link anywhere from outDir down), else undefined: a
 * campaign or locale folder that is a link, even to somewhere else inside out/, is never written
 * or deleted through. outDir's parent (out/ or --out) may itself be a link. The file itself may
 * be a link: a write replaces it and a delete removes it, neither follows it; a link to a folder
 * is refused.
 */
export type OutGuard = (file: string) => Promise<string | undefined>;

export function createOutGuard(outDir: string): OutGuard {
  const base = resolve(outDir);
  let root: Promise<string | undefined> | undefined;
  return async (file) => {
    if (isAbsolute(file)) return undefined;
    const target = resolve(base, file);
    if (!relativeInside(base, target)) return undefined;
    root ??= realRoot(base);
    const real = await root;
    if (real === undefined) return undefined;
    // The nearest folder on the way that exists; the write creates the rest inside it.
    let dir = dirname(target);
    for (;;) {
      const at = await realpath(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : undefined));
      if (at === undefined) return undefined;
      if (at !== null) {
        if (at !== join(real, relative(base, dir))) return undefined;
        break;
      }
      if (dir === base) break;
      dir = dirname(dir);
    }
    const info = await lstat(target).catch(() => undefined);
    if (info?.isSymbolicLink() && (await stat(target).catch(() => undefined))?.isDirectory()) return undefined;
    return target;
  };
}

/** outDir as the real path it must have: its parent resolved, itself not a link. */
async function realRoot(base: string): Promise<string | undefined> {
  const info = await lstat(base).catch(() => undefined);
  if (info && !info.isDirectory()) return undefined;
  const parent = await realpath(dirname(base)).catch(() => dirname(base));
  return join(parent, basename(base));
}
