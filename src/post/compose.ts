import type { DrawnImageEntry, PlacedAny } from '../core/layers.js';
import type { TypesetLayerEntry } from '../core/text.js';
import type { Compositor, CutSettings, RawPixels } from '../compose/index.js';
import { deriveImages } from './derive.js';

/** One delivered file to make in memory: the cut, its encoding and the layers drawn over it. */
export interface ComposeTarget extends CutSettings {
  readonly layers: readonly PlacedAny[];
}

export interface ComposedFile {
  readonly data: Buffer;
  readonly sha256: string;
  /** What the typesetter drew, per text layer (fonts included), as the manifest lists it. */
  readonly layers: readonly TypesetLayerEntry[];
}

/** What the compositor drew over one cut: its text layers as set, its image layers as placed. */
export interface DrawnLayers {
  readonly entries: readonly TypesetLayerEntry[];
  readonly images: readonly DrawnImageEntry[];
}

/**
 * Delivered files made exactly as delivery makes them (same cut, same layers, same encoder),
 * but kept in memory: what approving a candidate records and what `diff` compares, without
 * touching out/.
 */
export async function composeInMemory(image: Uint8Array, targets: readonly ComposeTarget[], compositor: Compositor | undefined): Promise<ComposedFile[]> {
  const drawn: (readonly TypesetLayerEntry[])[] = targets.map(() => []);
  const images = await deriveImages(
    image,
    targets.map((t, i) => withLayers(t, compositor, (d) => (drawn[i] = d.entries))),
  );
  return images.map((img, i) => ({ data: img.data, sha256: img.sha256, layers: drawn[i]! }));
}

/** A cut with its layers drawn over it before encoding (when it has any); what was drawn goes to `done`. */
export function withLayers<T extends ComposeTarget>(
  target: T,
  compositor: Compositor | undefined,
  done: (drawn: DrawnLayers) => void,
): Omit<T, 'layers'> & { draw?: (pixels: RawPixels) => Promise<RawPixels> } {
  const { layers, ...rest } = target;
  if (!compositor || layers.length === 0) return rest;
  return {
    ...rest,
    draw: async (pixels: RawPixels) => {
      const drawn = await compositor.draw(pixels, layers);
      done({ entries: drawn.entries, images: drawn.images });
      return drawn.image;
    },
  };
}

/** The target that makes a delivery's file again: its cut, encoding and byte cap, with these layers. */
export function composeTarget(
  d: Pick<ComposeTarget, 'width' | 'height' | 'format' | 'quality' | 'maxBytes' | 'focus'>,
  layers: readonly PlacedAny[],
): ComposeTarget {
  return { width: d.width, height: d.height, format: d.format, quality: d.quality, maxBytes: d.maxBytes, focus: d.focus, layers };
}
