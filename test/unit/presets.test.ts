import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBytes, resolveSizes } from '../../src/manifest/size-schema.js';
import { PRESETS, presetOf, presetTableMarkdown } from '../../src/manifest/presets.js';
import { MAX_ASPECT, SIDE_MAX, SIDE_MIN } from '../../src/manifest/schema.js';
import { REPO } from '../helpers/examples.js';

describe('the preset table', () => {
  it('has the placements the issue names, the IAB/Google display sizes with their 150 KB cap', () => {
    const ids = PRESETS.map((p) => p.id);
    for (const id of ['meta-feed-square', 'meta-feed-portrait', 'meta-story', 'meta-reels', 'instagram-story', 'tiktok-infeed', 'youtube-thumbnail', 'linkedin-landscape', 'x-landscape', 'pinterest-pin']) {
      expect(ids).toContain(id);
    }
    for (const [w, h] of [[300, 250], [728, 90], [160, 600], [300, 600], [320, 50], [970, 250]] as const) {
      const p = presetOf(`display-${w}x${h}`)!;
      expect([p.width, p.height, p.maxBytes]).toEqual([w, h, 150_000]);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(PRESETS)('$id cites an https spec and gives pixels, formats, a cap and bands Pressroom can deliver', (p) => {
    expect(new URL(p.source).protocol).toBe('https:');
    expect(p.width).toBeGreaterThanOrEqual(SIDE_MIN);
    expect(p.height).toBeLessThanOrEqual(SIDE_MAX);
    expect(Math.max(p.width / p.height, p.height / p.width)).toBeLessThanOrEqual(MAX_ASPECT);
    expect(p.formats.length).toBeGreaterThan(0);
    expect(p.maxBytes).toBeGreaterThanOrEqual(100_000);
    for (const band of p.safeAreas) {
      expect(band.x + band.width).toBeLessThanOrEqual(1);
      expect(band.y + band.height).toBeLessThanOrEqual(1);
      expect(band.covers.length).toBeGreaterThan(5);
    }
  });

  it('is what docs/presets.md shows', () => {
    const doc = readFileSync(join(REPO, 'docs', 'presets.md'), 'utf8');
    const shown = /<!-- presets:begin -->\n([\s\S]*?)\n<!-- presets:end -->/.exec(doc)?.[1];
    expect(shown).toBe(presetTableMarkdown());
  });
});

describe('byte caps as written', () => {
  it.each([
    [150_000, 150_000],
    ['150KB', 150_000],
    ['150 kb', 150_000],
    ['200KiB', 204_800],
    ['1.5MB', 1_500_000],
    ['2MiB', 2_097_152],
    ['999', undefined],
    [999, undefined],
    [1500.5, undefined],
    ['150 KB please', undefined],
    ['-5KB', undefined],
  ] as const)('%s is %s bytes', (written, bytes) => {
    expect(parseBytes(written)).toBe(bytes);
  });
});

describe('a size from its preset', () => {
  const output = { format: 'png' as const, quality: 90 };

  it('takes the preset\'s pixels, first format, cap and bands', () => {
    const [story] = resolveSizes([{ id: 'story', preset: 'meta-story' }], output, false);
    expect(story).toMatchObject({ id: 'story', width: 1080, height: 1920, output: { format: 'jpeg', quality: 90 }, maxBytes: 30_000_000, preset: 'meta-story' });
    expect(story!.safeAreas!.map((b) => [b.name, b.y, b.height])).toEqual([
      ['top', 0, 0.14],
      ['bottom', 0.8, 0.2],
    ]);
  });

  it('lets every field be overridden', () => {
    const [s] = resolveSizes([{ id: 's', preset: 'meta-story', width: 720, height: 1280, maxBytes: '200KB', output: { format: 'png', quality: 70 }, safeAreas: false }], output, false);
    expect(s).toEqual({ id: 's', width: 720, height: 1280, output: { format: 'png', quality: 70 }, maxBytes: 200_000, preset: 'meta-story' });
    const [t] = resolveSizes([{ id: 't', preset: 'meta-story', safeAreas: [{ name: 'header', x: 0, y: 0, width: 1, height: 0.1 }] }], output, false);
    expect(t!.safeAreas).toEqual([{ name: 'header', x: 0, y: 0, width: 1, height: 0.1, covers: 'the app' }]);
  });

  it("keeps the campaign's format when the campaign writes one, and a size without a preset the campaign's", () => {
    const [a, b] = resolveSizes([{ id: 'a', preset: 'display-300x250' }, { id: 'b', width: 100, height: 100 }], { format: 'png', quality: 80 }, true);
    expect(a!.output).toEqual({ format: 'png', quality: 80 });
    expect(b).toEqual({ id: 'b', width: 100, height: 100, output: { format: 'png', quality: 80 } });
  });
});
