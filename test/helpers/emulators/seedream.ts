/**
 * What every emulated host forwards to: ByteDance Seedream's size rules, written here from
 * docs/providers/seedream.md (Size rules) on their own. The emulators import nothing from src/,
 * so a misreading of the documents in the adapters cannot be mirrored by the emulators.
 */

export type SeedreamModel = 'seedream-4.0' | 'seedream-4.5' | 'seedream-5-lite';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Total pixels W×H (inclusive) per model; aspect W/H within 1/16..16 for all. */
const PIXELS: Readonly<Record<SeedreamModel, readonly [number, number]>> = {
  'seedream-4.0': [921_600, 16_777_216],
  'seedream-4.5': [3_686_400, 16_777_216],
  'seedream-5-lite': [3_686_400, 10_404_496],
};

/** Why Seedream would refuse `size` for `model`, in the upstream's words, or undefined. */
export function seedreamSizeProblem(model: SeedreamModel, size: Size): string | undefined {
  const { width: w, height: h } = size;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) return `${w}x${h} is not a positive integer size`;
  const [lo, hi] = PIXELS[model];
  if (w * h < lo || w * h > hi) return `${w}x${h} has ${w * h} pixels; ${model} takes ${lo} to ${hi}`;
  if (w / h < 1 / 16 || w / h > 16) return `${w}x${h} has an aspect ratio outside 1/16..16`;
  return undefined;
}
