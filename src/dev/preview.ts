import type { CampaignManifest } from '../core/results.js';
import { approvalCellId, cellIdOf } from '../plan/approvals.js';
import { deliveryPlanOf } from '../plan/approved-delivery.js';
import { compositorFor } from '../compose/index.js';
import { composeInMemory, composeTarget } from '../post/compose.js';
import { thumbnailBytes } from '../post/thumbnails.js';
import type { DevCampaign } from './types.js';

/**
 * A review candidate as the reviewer must judge it: the ad, not the bare background. The
 * candidate's cached image is cut and typeset exactly as delivery would deliver it for its cell
 * (the file `approve --pick k` records), then shown as a WebP thumbnail or at full size. Nothing
 * is written; the last few are kept in memory.
 */

const KEPT = 48;
const made = new Map<string, Promise<Preview | undefined>>();

export interface Preview {
  readonly data: Buffer;
  readonly type: string;
}

const MIME: Readonly<Record<string, string>> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

export interface PreviewRequest {
  readonly cell: string;
  readonly pick: number;
  readonly full: boolean;
}

export function candidatePreview(dc: DevCampaign, manifest: CampaignManifest | undefined, request: PreviewRequest, read: (key: string) => Promise<Uint8Array | undefined>): Promise<Preview | undefined> {
  const asset = manifest?.assets.find((a) => approvalCellId(a) === request.cell);
  // Candidate 0 is the cell's own generation; the others are the review candidates the last build made.
  const key = request.pick === 0 ? dc.generations.find((g) => g.cells.some((c) => cellIdOf(c) === request.cell))?.key : asset?.candidates?.find((c) => c.pick === request.pick)?.key;
  const cell = dc.cells.find((c) => cellIdOf(c) === request.cell);
  if (!asset || !key || !cell) return Promise.resolve(undefined);
  const plan = deliveryPlanOf(dc.campaign, cell, key);
  const id = `${key}:${plan.recipe}:${request.full ? 'full' : 'thumb'}`;
  let preview = made.get(id);
  if (preview) {
    made.delete(id);
    made.set(id, preview);
    return preview;
  }
  preview = (async () => {
    const image = await read(key);
    if (!image) return undefined;
    const [file] = await composeInMemory(image, [composeTarget(plan, plan.placed)], compositorFor(dc.campaign));
    return request.full ? { data: file!.data, type: MIME[plan.format] ?? 'application/octet-stream' } : { data: await thumbnailBytes(file!.data), type: 'image/webp' };
  })();
  // A failure is not kept: the next request tries again.
  preview.catch(() => made.delete(id));
  made.set(id, preview);
  for (const key of made.keys()) {
    if (made.size <= KEPT) break;
    made.delete(key);
  }
  return preview;
}
