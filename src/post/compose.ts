import type { OutputFormat } from '../core/campaign.js';
import type { PlacedLayer, TypesetLayerEntry } from '../core/text.js';
import { deriveImages, type RawPixels } from './derive.js';
import type { Typesetter } from './text-layers.js';

/** One delivered file to make in memory: the cut, its encoding and the layers drawn over it. */
export interface ComposeTarget {
  readonly width: number;
  readonly height: number;
  readonly format: OutputFormat;
  readonly quality: number;
  readonly layers: readonly PlacedLayer[];
}

export interface ComposedFile {
  readonly data: Buffer;
  readonly sha256: string;
  /** What the typesetter drew, per layer (fonts included), as the manifest lists it. */
  readonly layers: readonly TypesetLayerEntry[];
}

/**
 * Delivered files made exactly as delivery makes them (same cut, same typesetting, same encoder),
 * but kept in memory: what approving a candidate records and what `diff` compares, without
 * touching out/.
 */
export async function composeInMemory(image: Uint8Array, targets: readonly ComposeTarget[], typesetter: Typesetter | undefined): Promise<ComposedFile[]> {
  const drawn: (readonly TypesetLayerEntry[])[] = targets.map(() => []);
  const images = await deriveImages(
    image,
    targets.map((t, i) => withLayers(t, typesetter, (entries) => (drawn[i] = entries))),
  );
  return images.map((img, i) => ({ data: img.data, sha256: img.sha256, layers: drawn[i]! }));
}

/** A cut with its text layers drawn over it before encoding (when it has any); what was drawn goes to `drawn`. */
export function withLayers<T extends ComposeTarget>(
  target: T,
  typesetter: Typesetter | undefined,
  drawn: (entries: readonly TypesetLayerEntry[]) => void,
): Omit<T, 'layers'> & { draw?: (pixels: RawPixels) => Promise<RawPixels> } {
  const { layers, ...rest } = target;
  if (!typesetter || layers.length === 0) return rest;
  return {
    ...rest,
    draw: async (pixels: RawPixels) => {
      const done = await typesetter.draw(pixels, layers);
      drawn(done.entries);
      return done.image;
    },
  };
}
