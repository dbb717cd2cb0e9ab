import { describe, expect, it } from 'vitest';
import { MODEL_IDS, aspectLabel, orientation } from '../../src/core/campaign.js';
import { SEEDREAM_RULES, checkSize, generationSizeFor, nearestPreset } from '../../src/providers/kit/sizes.js';

const deliveries = [
  [1080, 1080],
  [1080, 1920],
  [1200, 628],
  [1920, 480],
  [1500, 500],
  [1080, 1350],
  [8000, 500],
  [16, 256],
  [16384, 16384],
  [4000, 100], // 40:1: beyond Seedream's 16:1
] as const;

describe('generationSizeFor', () => {
  it.each(MODEL_IDS.flatMap((m) => deliveries.map(([w, h]) => [m, w, h] as const)))('%s %ix%i is valid for the model', (model, width, height) => {
    const rule = SEEDREAM_RULES[model];
    const size = generationSizeFor({ width, height }, rule);
    expect(checkSize(size, rule)).toBeUndefined();
    expect(size.width % rule.step).toBe(0);
    expect(size.height % rule.step).toBe(0);
  });

  it('keeps the delivery aspect ratio within rounding', () => {
    for (const [w, h] of deliveries.slice(0, 7)) {
      const size = generationSizeFor({ width: w, height: h }, SEEDREAM_RULES['seedream-4.5']);
      expect(Math.abs(Math.log(size.width / size.height) - Math.log(w / h))).toBeLessThan(0.02);
    }
  });

  it('clamps an aspect beyond 16:1 to the nearest allowed', () => {
    const size = generationSizeFor({ width: 4000, height: 100 }, SEEDREAM_RULES['seedream-4.0']);
    expect(size.width / size.height).toBeCloseTo(16, 0);
  });

  it('respects per-side bounds by moving towards square', () => {
    const rule = { ...SEEDREAM_RULES['seedream-5-lite'], minSide: 1344, maxSide: 4704 };
    const size = generationSizeFor({ width: 1920, height: 480 }, rule);
    expect(checkSize(size, rule)).toBeUndefined();
    expect(size.width).toBeGreaterThan(size.height);
  });

  it('gives two square deliveries the same generation size', () => {
    const rule = SEEDREAM_RULES['seedream-4.5'];
    expect(generationSizeFor({ width: 1080, height: 1080 }, rule)).toEqual(generationSizeFor({ width: 600, height: 600 }, rule));
  });
});

describe('checkSize', () => {
  it.each([
    ['seedream-4.5', 1500, 1500, false],
    ['seedream-4.5', 3750, 1250, true],
    ['seedream-5-lite', 3750, 1250, true],
    ['seedream-4.0', 1600, 600, true],
    ['seedream-4.0', 800, 800, false],
    ['seedream-5-lite', 4096, 4096, false],
  ] as const)('%s %ix%i valid=%s (docs/providers/seedream.md examples)', (model, width, height, valid) => {
    expect(checkSize({ width, height }, SEEDREAM_RULES[model]) === undefined).toBe(valid);
  });
});

describe('nearestPreset and labels', () => {
  const presets = [
    { width: 2048, height: 2048 },
    { width: 2560, height: 1440 },
    { width: 1440, height: 2560 },
    { width: 3024, height: 1296 },
    { width: 4096, height: 4096 },
  ];
  it('picks the closest aspect, the larger on ties', () => {
    expect(nearestPreset({ width: 1080, height: 1920 }, presets)).toEqual({ width: 1440, height: 2560 });
    expect(nearestPreset({ width: 1920, height: 480 }, presets)).toEqual({ width: 3024, height: 1296 });
    expect(nearestPreset({ width: 500, height: 500 }, presets)).toEqual({ width: 4096, height: 4096 });
  });
  it('labels aspect and orientation', () => {
    expect(aspectLabel({ width: 1080, height: 1920 })).toBe('9:16');
    expect(aspectLabel({ width: 1200, height: 628 })).toBe('300:157');
    expect(orientation({ width: 5, height: 5 })).toBe('square');
    expect(orientation({ width: 6, height: 5 })).toBe('landscape');
  });
});
