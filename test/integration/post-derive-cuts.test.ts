import { describe, expect, it } from 'vitest';
import { keepCutsMade } from '../../src/post/cut-memo.js';
import { deriveImages, type ImageTarget, type RawPixels } from '../../src/post/derive.js';
import { makeImage } from '../helpers/images.js';

/**
 * Cuts shared: targets of one geometry (every locale of a size over one background) are cut once,
 * and with keepCutsMade (dev) kept across calls. Each draw paints into pixels of its own: a shared
 * or kept cut handed out without a copy would show one locale's text under the next one's.
 */

/** A draw that paints a band of its own colour across the cut, as a text layer writes in place. */
const painting = (value: number, seen: number[][]) => async (image: RawPixels): Promise<RawPixels> => {
  seen.push([...image.data.subarray(0, 8)]);
  image.data.fill(value, 0, image.width * image.channels * 20);
  return image;
};

const targets = (seen: number[][]): ImageTarget[] => [
  { width: 400, height: 300, format: 'png', quality: 90, draw: painting(10, seen) },
  { width: 400, height: 300, format: 'png', quality: 90, draw: painting(200, seen) },
  { width: 200, height: 400, format: 'png', quality: 90 },
  { width: 400, height: 300, format: 'png', quality: 90, draw: painting(90, seen) },
  { width: 400, height: 300, format: 'png', quality: 90 },
];

describe('cuts shared among targets, and kept by a long-running process', () => {
  it('gives each target the file it would get alone, and each draw an unpainted cut', async () => {
    const source = await makeImage(1024, 768, 'png', 5);
    const seen: number[][] = [];
    const together = await deriveImages(source, targets(seen));
    const alone: string[] = [];
    const seenAlone: number[][] = [];
    for (const t of targets(seenAlone)) alone.push((await deriveImages(source, [t]))[0]!.sha256);
    expect(together.map((d) => d.sha256)).toEqual(alone);
    // Every draw saw the background as cut, never a band another target painted.
    expect(seen).toEqual(seenAlone);
    expect(new Set(seen.map((s) => s.join())).size).toBe(1);
    // The three drawn files differ (each painted its own band); the plain ones are the bare cut.
    expect(new Set([together[0]!.sha256, together[1]!.sha256, together[3]!.sha256]).size).toBe(3);
  });

  it('with cuts kept: the same bytes on every call, a kept cut never painted by the draw that used it', async () => {
    const source = await makeImage(1024, 768, 'png', 6);
    const seenBefore: number[][] = [];
    const before = await deriveImages(source, targets(seenBefore));
    keepCutsMade();
    for (let round = 0; round < 3; round++) {
      const seen: number[][] = [];
      const now = await deriveImages(source, targets(seen));
      expect(now.map((d) => d.sha256), `round ${round}`).toEqual(before.map((d) => d.sha256));
      expect(seen, `round ${round}`).toEqual(seenBefore);
    }
    // Another image is not answered from this one's cuts.
    const other = await makeImage(1024, 768, 'png', 7);
    const seenOther: number[][] = [];
    const fromOther = await deriveImages(other, targets(seenOther));
    expect(fromOther[2]!.sha256).not.toBe(before[2]!.sha256);
  });
});
