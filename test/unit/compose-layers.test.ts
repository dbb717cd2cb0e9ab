import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { CampaignLayer, LayerFile } from '../../src/core/layers.js';
import type { TextLayer } from '../../src/core/text.js';
import { createCompositor, imageRect, placeImage, placeShape, placedLayers } from '../../src/compose/index.js';
import { campaignFixture } from '../helpers/campaign.js';

/** Layers drawn over a cut: each kind where its box says, in the campaign's order. */

const LOGO_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#7B2CBF"/><circle cx="50" cy="50" r="30" fill="#FFD60A"/></svg>');
const file = (bytes: Buffer, format: 'svg' | 'png', width: number, height: number, path = 'brand/logo.svg'): LayerFile => ({
  path,
  sha256: createHash('sha256').update(bytes).digest('hex'),
  format,
  width,
  height,
  bytes: new Uint8Array(bytes),
});
const logo = file(LOGO_SVG, 'svg', 300, 100);
const image = (over: Partial<Extract<CampaignLayer, { kind: 'image' }>> = {}): CampaignLayer => ({
  kind: 'image',
  id: 'logo',
  index: 0,
  files: { default: logo },
  box: { x: 0.1, y: 0.1, width: 0.5, height: 0.3 },
  fit: 'contain',
  align: 'start',
  valign: 'middle',
  mirror: true,
  upscale: false,
  ...over,
});
const size = { id: 'card', width: 400, height: 300 };
const en = { tag: 'en-US', language: 'English', direction: 'ltr' as const, strings: { headline: 'Try it', cta: 'Try it' } };
const ar = { tag: 'ar-SA', language: 'Arabic', direction: 'rtl' as const, strings: { headline: 'جرّبه', cta: 'جرّبه' } };

function frame(width = 400, height = 300) {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([128, 128, 128, 255], i);
  return { data, width, height, channels: 4 as const };
}
const px = (f: { data: Buffer; width: number }, x: number, y: number) => [...f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4)];

describe('placing image and shape layers', () => {
  it('mirrors the box for right-to-left locales and puts `start` on the right', () => {
    const layer = image() as Extract<CampaignLayer, { kind: 'image' }>;
    expect(placeImage(layer, size, en)).toMatchObject({ box: { x: 40, y: 30, width: 200, height: 90 }, align: 'left' });
    expect(placeImage(layer, size, ar)).toMatchObject({ box: { x: 160, y: 30, width: 200, height: 90 }, align: 'right' });
    expect(placeImage({ ...layer, mirror: false }, size, ar)).toMatchObject({ box: { x: 40 }, align: 'right' });
  });

  it('picks the locale\'s own file, else its language\'s, else the default', () => {
    const arabic = file(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="10"/>'), 'svg', 30, 10, 'brand/logo-ar.svg');
    const layer = image({ files: { default: logo, ar: arabic } }) as Extract<CampaignLayer, { kind: 'image' }>;
    expect(placeImage(layer, size, ar).file).toBe('brand/logo-ar.svg');
    expect(placeImage(layer, size, en).file).toBe('brand/logo.svg');
  });

  it('fits `contain` inside the box, aligned, and `cover` over all of it', () => {
    const box = { x: 0, y: 0, width: 200, height: 200 };
    expect(imageRect({ width: 300, height: 100 }, { box, fit: 'contain', align: 'right', valign: 'bottom' }).drawn).toEqual({ x: 0, y: 133, width: 200, height: 67 });
    expect(imageRect({ width: 300, height: 100 }, { box, fit: 'contain', align: 'center', valign: 'middle' }).drawn).toEqual({ x: 0, y: 67, width: 200, height: 67 });
    const cover = imageRect({ width: 300, height: 100 }, { box, fit: 'cover', align: 'left', valign: 'top' });
    expect([cover.drawn.width, cover.drawn.height, cover.scale]).toEqual([600, 200, 2]);
  });

  it('rounds a shape\'s corner radius to at most half its shorter side', () => {
    const shape = { kind: 'shape', id: 'rect-0', index: 0, shape: 'rect', box: { x: 0, y: 0, width: 0.5, height: 0.1 }, color: '#000000', radius: { fraction: 0.9 }, mirror: true } as const;
    expect(placeShape(shape, size, en).radius).toBe(15);
  });
});

describe('drawing layers', () => {
  const campaign = (layers: CampaignLayer[]) => campaignFixture({ sizes: [size], layers: { bySize: { card: layers } } });

  it("draws an SVG logo's pixels inside its box, at the box's size, and nothing outside it", async () => {
    const c = campaign([image()]);
    const compositor = createCompositor(c);
    const placed = placedLayers(c, en, size);
    const drawn = await compositor.draw(frame(), placed);
    const box = drawn.images[0]!.box;
    expect(box).toEqual({ x: 40, y: 42, width: 200, height: 67 });
    const f = drawn.image as ReturnType<typeof frame>;
    expect(px(f, box.x + 150, box.y + 33)).toEqual([0x7b, 0x2c, 0xbf, 255]);
    expect(px(f, box.x + 33, box.y + 33)).toEqual([0xff, 0xd6, 0x0a, 255]);
    for (const [x, y] of [[box.x - 2, box.y + 30], [box.x + 100, box.y - 2], [box.x + 100, box.y + box.height + 1], [box.x + box.width + 1, box.y + 30]] as const) {
      expect(px(f, x, y)).toEqual([128, 128, 128, 255]);
    }
  });

  it('draws a PNG scaled down, and a `cover` image only inside its box', async () => {
    const png = await sharp(LOGO_SVG, { density: 144 }).png().toBuffer();
    const c = campaign([image({ files: { default: file(png, 'png', 600, 200, 'brand/logo.png') }, fit: 'cover', box: { x: 0.25, y: 0.25, width: 0.25, height: 0.25 } })]);
    const drawn = await createCompositor(c).draw(frame(), placedLayers(c, en, size));
    const f = drawn.image as ReturnType<typeof frame>;
    expect(drawn.images[0]!.box).toEqual({ x: 100, y: 75, width: 100, height: 75 });
    expect(px(f, 150, 100)).not.toEqual([128, 128, 128, 255]);
    expect(px(f, 99, 100)).toEqual([128, 128, 128, 255]);
    expect(px(f, 201, 100)).toEqual([128, 128, 128, 255]);
  });

  it('blends a translucent shape over what is under it', async () => {
    const c = campaign([{ kind: 'shape', id: 'shade', index: 0, shape: 'rect', box: { x: 0, y: 0, width: 1, height: 0.5 }, color: '#00000080', radius: { px: 0 }, mirror: true }]);
    const white = { ...frame(), data: Buffer.alloc(400 * 300 * 4, 255) };
    const f = (await createCompositor(c).draw(white, placedLayers(c, en, size))).image as ReturnType<typeof frame>;
    const [r, g, b, a] = px(f, 200, 75);
    expect(Math.abs(r! - 127)).toBeLessThanOrEqual(1);
    expect([g, b, a]).toEqual([r, r, 255]);
    expect(px(f, 200, 200)).toEqual([255, 255, 255, 255]);
  });

  it('draws a plate behind a text layer, sized to the set text, and measures contrast against it', async () => {
    const cta: TextLayer = {
      kind: 'text',
      field: 'cta',
      index: 0,
      box: { x: 0.1, y: 0.5, width: 0.8, height: 0.3 },
      style: { hyphenate: true, weight: 700, color: '#FFFFFF', align: 'start', valign: 'top', size: { min: { px: 12 }, max: { fraction: 0.45 } }, lineHeight: 1.2, background: 'auto', mirror: true, plate: { color: '#0B6E4F', radius: { fraction: 0.5 }, padding: { x: 0.8, y: 0.45 } } },
    };
    for (const locale of [en, ar]) {
      const c = campaign([cta]);
      const drawn = await createCompositor(c).draw(frame(), placedLayers(c, locale, size));
      const entry = drawn.entries[0]!;
      const plate = entry.plate!;
      expect(entry.treatment).toBe('plate');
      expect(entry.contrast).toBeCloseTo(6.25, 1);
      // Inside the box, narrower than it: a button around the words, not the whole box.
      expect(plate.x).toBeGreaterThanOrEqual(entry.box.x);
      expect(plate.x + plate.width).toBeLessThanOrEqual(entry.box.x + entry.box.width);
      expect(plate.width).toBeLessThan(entry.box.width * 0.8);
      const f = drawn.image as ReturnType<typeof frame>;
      // The padding between the plate's edge and the text is the plate's colour; outside, the picture.
      const midY = plate.y + Math.round(plate.height / 2);
      const pad = Math.round(entry.size * 0.4);
      expect(px(f, locale === en ? plate.x + pad : plate.x + plate.width - pad, midY)).toEqual([0x0b, 0x6e, 0x4f, 255]);
      expect(px(f, locale === en ? plate.x + plate.width + 3 : plate.x - 3, midY)).toEqual([128, 128, 128, 255]);
    }
  });

  it("draws in the campaign's order: a later layer covers an earlier one", async () => {
    const rect = (id: string, color: string): CampaignLayer => ({ kind: 'shape', id, index: 0, shape: 'rect', box: { x: 0, y: 0, width: 0.5, height: 0.5 }, color, radius: { px: 0 }, mirror: false });
    const redOver = campaign([rect('a', '#0000FF'), rect('b', '#FF0000')]);
    const f = (await createCompositor(redOver).draw(frame(), placedLayers(redOver, en, size))).image as ReturnType<typeof frame>;
    expect(px(f, 50, 50)).toEqual([255, 0, 0, 255]);
  });
});
