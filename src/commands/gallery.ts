import type { CampaignManifest } from '../core/results.js';
import type { OutGuard } from '../post/out-paths.js';
import { writeThumbnails } from '../post/thumbnails.js';
import type { GalleryShot } from '../report/gallery/html.js';
import { writeCampaignGallery } from '../report/gallery/write.js';
import type { PreparedCampaign } from './prepare.js';

/** post (thumbnails) -> report (the page) for one campaign's gallery, after its manifest. */
export async function writeGallery(
  p: PreparedCampaign,
  manifest: CampaignManifest,
  out: { readonly outDir: string; readonly guard: OutGuard },
  extraShots?: ReadonlyMap<string, readonly GalleryShot[]>,
): Promise<string> {
  const thumbs = await writeThumbnails(out.outDir, out.guard, manifest.assets);
  const locales = p.campaign.locales.map((l) => {
    const headline = l.strings['headline'];
    return { tag: l.tag, direction: l.direction, ...(typeof headline === 'string' ? { headline } : {}) };
  });
  return writeCampaignGallery(out.outDir, {
    campaign: manifest.campaign,
    provider: manifest.provider,
    model: manifest.model,
    ...(manifest.totalCost !== undefined ? { totalCost: manifest.totalCost } : {}),
    locales,
    assets: manifest.assets,
    failures: manifest.failures,
    thumbs,
    ...(extraShots ? { extraShots } : {}),
  });
}
