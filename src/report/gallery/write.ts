import { readdir, readFile } from 'node:fs/promises';
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

function linkOf(value: unknown, folder: string): CampaignLink | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m['campaign'] !== folder || !Array.isArray(m['assets']) || !Array.isArray(m['failures'])) return undefined;
  return {
    campaign: folder,
    provider: String(m['provider'] ?? ''),
    model: String(m['model'] ?? ''),
    assets: m['assets'].length,
    failures: m['failures'].length,
    ...(typeof m['totalCost'] === 'number' ? { totalCost: m['totalCost'] } : {}),
  };
}

/**
 * out/index.html across every campaign folder of out/ that has a gallery, whichever build made it
 * (a build of one campaign keeps the others listed). Read from each folder's manifest.json.
 */
export async function writeIndexGallery(outRoot: string): Promise<string> {
  const folders = await readdir(outRoot, { withFileTypes: true }).catch(() => []);
  const links: CampaignLink[] = [];
  for (const f of folders.filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const hasPage = await readFile(join(outRoot, f, GALLERY_FILE), 'utf8').then(() => true, () => false);
    if (!hasPage) continue;
    const manifest = await readFile(join(outRoot, f, 'manifest.json'), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
    const link = linkOf(manifest, f);
    if (link) links.push(link);
  }
  const file = join(outRoot, GALLERY_FILE);
  await writeIfChanged(file, renderIndexGallery(links));
  return file;
}
