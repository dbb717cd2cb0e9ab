import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '../cache/key.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { OutputFormat } from '../manifest/types.js';

/** Bump when derivation (resize, crop, encode) changes, so every delivered file is re-derived. */
export const POST_VERSION = 1;

export interface AssetEntry {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  /** Relative to the campaign's out folder, always with forward slashes. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  readonly bytes: number;
  readonly sha256: string;
  readonly prompt: string;
  readonly provider: string;
  readonly model: string;
  readonly generation: {
    readonly key: string;
    readonly width: number;
    readonly height: number;
    readonly seed: number | null;
    readonly taskId?: string;
  };
  /** USD of the generation this asset was cut from (shared generations repeat it; see totalCost). */
  readonly cost?: number;
  /** Hash of everything that produced this file from the generated image: the in-place check. */
  readonly recipe: string;
}

export interface FailureEntry {
  readonly variant: string;
  readonly locale: string;
  readonly size: string;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly provider: string;
    readonly providerCode?: string;
    readonly taskId?: string;
  };
}

export interface SheetPage {
  readonly file: string;
  readonly sha256: string;
}

export interface CampaignManifest {
  readonly campaign: string;
  readonly provider: string;
  readonly model: string;
  readonly assets: readonly AssetEntry[];
  readonly failures: readonly FailureEntry[];
  readonly contactSheet: { readonly recipe: string; readonly pages: readonly SheetPage[] };
  /** USD, each generation counted once. */
  readonly totalCost?: number;
}

export const MANIFEST_FILE = 'manifest.json';

export function deliveryRecipe(input: { generationKey: string; width: number; height: number; format: OutputFormat; quality: number }): string {
  return sha256Hex(canonicalJson({ v: POST_VERSION, ...input })).slice(0, 32);
}

export function extensionOf(format: OutputFormat): string {
  return format === 'jpeg' ? 'jpg' : format;
}

export function assetPath(locale: string, variant: string, size: string, format: OutputFormat): string {
  return `${locale}/${variant}-${size}.${extensionOf(format)}`;
}

export async function readPreviousManifest(outDir: string): Promise<CampaignManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as CampaignManifest;
    return Array.isArray(parsed.assets) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function serialiseManifest(manifest: CampaignManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes the manifest unless the same bytes are already there (a cached rebuild touches nothing). */
export async function writeManifest(outDir: string, manifest: CampaignManifest): Promise<string> {
  const file = join(outDir, MANIFEST_FILE);
  const text = serialiseManifest(manifest);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(file, text);
  return file;
}
