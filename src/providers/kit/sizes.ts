import type { ModelId, PixelSize } from '../../core/campaign.js';

/**
 * Seedream accepts a range of total pixels and aspect ratios (docs/providers/seedream.md, Size rules). A delivery
 * size maps to a generation size of the same aspect, generated once and then cropped by sharp.
 */
export interface SizeRule {
  readonly minPixels: number;
  readonly maxPixels: number;
  readonly minAspect: number;
  readonly maxAspect: number;
  /** Per-side bounds some providers add (RunningHub's v5-lite form). */
  readonly minSide?: number;
  readonly maxSide?: number;
  /** Sides are multiples of this. */
  readonly step: number;
}

export const SEEDREAM_RULES: Readonly<Record<ModelId, SizeRule>> = {
  'seedream-4.0': { minPixels: 921_600, maxPixels: 16_777_216, minAspect: 1 / 16, maxAspect: 16, step: 16 },
  'seedream-4.5': { minPixels: 3_686_400, maxPixels: 16_777_216, minAspect: 1 / 16, maxAspect: 16, step: 16 },
  'seedream-5-lite': { minPixels: 3_686_400, maxPixels: 10_404_496, minAspect: 1 / 16, maxAspect: 16, step: 16 },
};

/** The models' default 2048x2048: big enough to crop any common delivery size from. */
export const TARGET_PIXELS = 2048 * 2048;

/** Why `size` breaks `rule`, or undefined when it is valid. */
export function checkSize(size: PixelSize, rule: SizeRule): string | undefined {
  const { width: w, height: h } = size;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) return `${w}x${h} is not a positive integer size`;
  const pixels = w * h;
  if (pixels < rule.minPixels || pixels > rule.maxPixels) {
    return `${w}x${h} has ${pixels} pixels; expected ${rule.minPixels} to ${rule.maxPixels}`;
  }
  const aspect = w / h;
  if (aspect < rule.minAspect - 1e-9 || aspect > rule.maxAspect + 1e-9) return `${w}x${h} has aspect ratio ${aspect.toFixed(3)}; expected 1/16 to 16`;
  if (rule.minSide !== undefined && Math.min(w, h) < rule.minSide) return `${w}x${h} has a side under ${rule.minSide}`;
  if (rule.maxSide !== undefined && Math.max(w, h) > rule.maxSide) return `${w}x${h} has a side over ${rule.maxSide}`;
  return undefined;
}

/** Total-pixel interval in which aspect `r` keeps both sides within the rule, or undefined. */
function pixelInterval(r: number, rule: SizeRule): [number, number] | undefined {
  let lo = rule.minPixels;
  let hi = rule.maxPixels;
  if (rule.minSide !== undefined) lo = Math.max(lo, rule.minSide ** 2 * Math.max(r, 1 / r));
  if (rule.maxSide !== undefined) hi = Math.min(hi, rule.maxSide ** 2 * Math.min(r, 1 / r));
  return lo <= hi ? [lo, hi] : undefined;
}

/** Nearest aspect to `r` (in log space, towards square) that the rule can produce. */
function feasibleAspect(r: number, rule: SizeRule): number {
  const clamped = Math.min(rule.maxAspect, Math.max(rule.minAspect, r));
  if (pixelInterval(clamped, rule)) return clamped;
  let feasible = 0; // log-aspect of a square: always feasible for real rules
  let infeasible = Math.log(clamped);
  for (let i = 0; i < 40; i++) {
    const mid = (feasible + infeasible) / 2;
    if (pixelInterval(Math.exp(mid), rule)) feasible = mid;
    else infeasible = mid;
  }
  return Math.exp(feasible);
}

/** A valid generation size with the delivery size's aspect (or the nearest the rule allows). */
export function generationSizeFor(delivery: PixelSize, rule: SizeRule, targetPixels = TARGET_PIXELS): PixelSize {
  const r = feasibleAspect(delivery.width / delivery.height, rule);
  const [lo, hi] = pixelInterval(r, rule) ?? [rule.minPixels, rule.maxPixels];
  const area = Math.min(hi, Math.max(lo, Math.max(targetPixels, delivery.width * delivery.height)));
  const s = rule.step;
  let width = Math.max(s, Math.round(Math.sqrt(area * r) / s) * s);
  let height = Math.max(s, Math.round(Math.sqrt(area / r) / s) * s);
  // Rounding may step just outside a bound; walk back inside one step at a time.
  for (let i = 0; i < 8 && checkSize({ width, height }, rule); i++) {
    // A square stays square: move both sides, otherwise the smaller (growing) or larger (shrinking) one.
    const delta = width * height < rule.minPixels || (rule.minSide !== undefined && Math.min(width, height) < rule.minSide) ? s : -s;
    if (width === height) {
      width += delta;
      height += delta;
    } else if ((delta > 0) === (width < height)) width += delta;
    else height += delta;
  }
  return { width, height };
}

/** The enumerated size closest in aspect ratio (ties: the larger). For providers with fixed lists. */
export function nearestPreset(delivery: PixelSize, presets: readonly PixelSize[]): PixelSize {
  const target = Math.log(delivery.width / delivery.height);
  let best = presets[0];
  if (!best) throw new Error('nearestPreset needs at least one preset');
  let bestScore = Infinity;
  for (const p of presets) {
    const score = Math.abs(Math.log(p.width / p.height) - target);
    if (score < bestScore - 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && p.width * p.height > best.width * best.height)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
