import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeOutputFile } from '../../fs/write-error.js';
import { type CampaignGallery, type CampaignLink, renderCampaignGallery, renderIndexGallery } from './html.js';

export const GALLERY_FILE = 'index.html';

/** Writes `text` unless the same bytes are there: a cached rebuild leaves the page untouched. */
async function writeIfChanged(file: string, text: string): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeOutputFile(file, text);
}

/** out/<campaign>/index.html. */
export async function writeCampaignGallery(outDir: string, gallery: CampaignGallery): Promise<string> {
  const file = join(outDir, GALLERY_FILE);
  await writeIfChanged(file, renderCampaignGallery(gallery));
  return file;
}

/** Thumbnails shown per campaign on out/index.html. */
const PREVIEWS = 6;

/** One asset per size first, then one per locale not yet shown, in matrix order: the campaign at a glance. */
export function previewAssets<T extends { readonly locale: string; readonly size: string }>(assets: readonly T[], max = PREVIEWS): T[] {
  const chosen = new Set<number>();
  const pick = (key: (a: T) => string) => {
    const seen = new Set([...chosen].map((i) => key(assets[i]!)));
    assets.forEach((a, i) => {
      if (chosen.size < max && !seen.has(key(a))) {
        seen.add(key(a));
        chosen.add(i);
      }
    });
  };
  pick((a) => a.size);
  pick((a) => a.locale);
  return [...chosen].sort((a, b) => a - b).map((i) => assets[i]!);
}

function linkOf(value: unknown, folder: string, thumbOf: (sha256: string) => string): CampaignLink | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m['campaign'] !== folder || !Array.isArray(m['assets']) || !Array.isArray(m['failures'])) return undefined;
  // Read loosely: a manifest is a file anyone can edit.
  const assets = (m['assets'] as unknown[]).flatMap((a) => {
    const r = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
    const [locale, size, variant, sha] = [r['locale'], r['size'], r['variant'], r['sha256']];
    if (typeof locale !== 'string' || typeof size !== 'string' || typeof variant !== 'string' || typeof sha !== 'string') return [];
    return [{ locale, size, thumb: `${folder}/${thumbOf(sha)}`, label: `${variant} · ${locale} · ${size}` }];
  });
  return {
    campaign: folder,
    provider: String(m['provider'] ?? ''),
    model: String(m['model'] ?? ''),
    assets: m['assets'].length,
    failures: m['failures'].length,
    ...(typeof m['totalCost'] === 'number' ? { totalCost: m['totalCost'] } : {}),
    previews: previewAssets(assets).map(({ thumb, label }) => ({ thumb, label })),
  };
}

/**
 * out/index.html across every campaign folder of out/ that has a gallery, whichever build made it
 * (a build of one campaign keeps the others listed). Read from each folder's manifest.json, with a
 * few of its thumbnails (`thumbOf`: a delivered file's sha256 -> its thumbnail, relative to the
 * campaign folder; post names them); one that is not in place is left out.
 */
export async function writeIndexGallery(outRoot: string, thumbOf: (sha256: string) => string): Promise<string> {
  const folders = await readdir(outRoot, { withFileTypes: true }).catch(() => []);
  const links: CampaignLink[] = [];
  const isFile = (rel: string) => stat(join(outRoot, rel)).then((s) => s.isFile(), () => false);
  for (const f of folders.filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const hasPage = await readFile(join(outRoot, f, GALLERY_FILE), 'utf8').then(() => true, () => false);
    if (!hasPage) continue;
    const manifest = await readFile(join(outRoot, f, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
    const link = linkOf(manifest, f, thumbOf);
    if (!link) continue;
    const present = await Promise.all((link.previews ?? []).map((p) => isFile(p.thumb)));
    links.push({ ...link, previews: (link.previews ?? []).filter((_, i) => present[i]) });
  }
  const file = join(outRoot, GALLERY_FILE);
  await writeIfChanged(file, renderIndexGallery(links));
  return file;
}
