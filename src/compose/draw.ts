import type { ResolvedCampaign } from '../core/campaign.js';
import type { Cell } from '../core/generation.js';
import type { DrawnImageEntry, LayerFile, PlacedAny, PlacedImage } from '../core/layers.js';
import type { PlacedLayer, TypesetLayerEntry } from '../core/text.js';
import { loadSharp } from '../image/sharp.js';
import { layerEntry, typeset, type FitResult, type LayerSpec } from '../typeset/index.js';
import { fontsFor } from './fonts.js';
import { imageRect, placedLayers, textOnly } from './place.js';
import { blendInto, imageOverlay, shapeOverlay, type Overlay, type RawPixels } from './raster.js';
import { engineSpec, fitAssetLayers } from './text.js';

/** What was drawn over one cut, for the manifest: text layers as set, image layers as placed. */
export interface Drawn {
  readonly image: RawPixels;
  readonly entries: readonly TypesetLayerEntry[];
  readonly images: readonly DrawnImageEntry[];
}

/** Draws a cell's layers over its cut background, in the campaign's order. */
export interface Compositor {
  layers(cell: Cell): readonly PlacedAny[];
  draw(image: RawPixels, layers: readonly PlacedAny[]): Promise<Drawn>;
  /** Whether every image layer's file is one the campaign has now (an approved logo replaced since cannot be drawn again). */
  canDraw(layers: readonly PlacedAny[]): boolean;
}

/** The campaign's compositor, or undefined when it draws nothing over its images. */
export function compositorFor(campaign: ResolvedCampaign): Compositor | undefined {
  return campaign.layers || campaign.text ? createCompositor(campaign) : undefined;
}

/** Rasters of one logo at one size, shared by every cell that draws it (a campaign has few). */
const MAX_CACHED_RASTERS = 64;

export function createCompositor(campaign: ResolvedCampaign): Compositor {
  const files = new Map<string, LayerFile>();
  for (const layers of Object.values(campaign.layers?.bySize ?? {})) for (const l of layers) if (l.kind === 'image') for (const f of Object.values(l.files)) files.set(f.sha256, f);
  const rasters = new Map<string, Promise<Overlay>>();
  const raster = (p: PlacedImage): Promise<Overlay> => {
    const file = files.get(p.sha256);
    if (!file) return Promise.reject(new Error(`no file with sha256 ${p.sha256} for image layer ${p.id}`));
    const key = `${p.sha256}\u0000${JSON.stringify([p.box, p.fit, p.align, p.valign])}`;
    let hit = rasters.get(key);
    if (!hit) {
      if (rasters.size >= MAX_CACHED_RASTERS) rasters.clear();
      rasters.set(key, (hit = imageOverlay(file, p)));
    }
    return hit;
  };
  return {
    layers: (cell) => placedLayers(campaign, cell.locale, cell.size),
    canDraw: (layers) => layers.every((l) => l.kind !== 'image' || files.has(l.sha256)),
    async draw(image, layers) {
      if (layers.length === 0) return { image, entries: [], images: [] };
      const rgba = image.channels === 4 ? image : await withAlpha(image);
      const frame = { ...rgba, channels: 4 as const };
      const texts = textOnly(layers);
      const fonts = texts.length > 0 ? fontsFor(campaign.dir) : undefined;
      const fits = fonts ? fitAssetLayers(texts, fonts) : [];
      const fitOf = new Map<PlacedLayer, FitResult>(texts.map((t, i) => [t, fits[i]!]));
      const entries: TypesetLayerEntry[] = [];
      const images: DrawnImageEntry[] = [];
      // Consecutive text layers are set in one call; the fits, made over all of them, keep the hierarchy across runs.
      let run: PlacedLayer[] = [];
      const flush = () => {
        if (run.length === 0) return;
        const specs: LayerSpec[] = run.map(engineSpec);
        const done = typeset({ data: frame.data, width: frame.width, height: frame.height, channels: 4 }, specs, fonts!, { fits: run.map((t) => fitOf.get(t)!) });
        entries.push(...done.layers.map(layerEntry));
        run = [];
      };
      for (const layer of layers) {
        if (layer.kind !== 'image' && layer.kind !== 'shape') {
          run.push(layer);
          continue;
        }
        flush();
        if (layer.kind === 'image') {
          blendInto(frame, await raster(layer));
          const file = files.get(layer.sha256)!;
          images.push({ id: layer.id, file: layer.file, sha256: layer.sha256, box: clipTo(imageRect(file, layer).drawn, layer.box) });
        } else blendInto(frame, await shapeOverlay(layer));
      }
      flush();
      return { image: frame, entries, images };
    },
  };
}

function clipTo(r: DrawnImageEntry['box'], to: DrawnImageEntry['box']): DrawnImageEntry['box'] {
  const x = Math.max(r.x, to.x);
  const y = Math.max(r.y, to.y);
  return { x, y, width: Math.min(r.x + r.width, to.x + to.width) - x, height: Math.min(r.y + r.height, to.y + to.height) - y };
}

/** Layers draw into RGBA: an opaque cut gains an alpha channel (delivery drops it again). */
async function withAlpha(image: RawPixels): Promise<RawPixels> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}
