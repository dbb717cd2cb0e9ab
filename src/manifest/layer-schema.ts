import { z } from 'zod';
import { SLUG, SLUG_MAX } from './slug.js';

/**
 * Image and shape layers of campaign.yaml (`layers:`), and what a size may change of them
 * (`sizes[].layers.<id>`); the pieces every layer kind shares (a box, a colour with alpha, a radius).
 * Text layers are text-schema.ts's; the union of the three is there.
 */

const expect = (what: string) => ({ error: what });

const FRACTION = 'a fraction of the delivered size, 0 to 1';
const fraction = z.number(expect(FRACTION)).min(0, expect(FRACTION)).max(1, expect(FRACTION));
export const boxShape = {
  x: fraction.describe('Left edge of the box, as a fraction of the delivered width (0 to 1); mirrored in right-to-left locales unless mirror is false.'),
  y: fraction.describe('Top edge of the box, as a fraction of the delivered height (0 to 1).'),
  width: fraction.describe('Width of the box, as a fraction of the delivered width.'),
  height: fraction.describe('Height of the box, as a fraction of the delivered height.'),
};
const box = z.strictObject(boxShape, expect('a mapping with x, y, width and height (fractions)'));

/** Shapes and plates may be translucent. */
export const ALPHA_COLOR = /^#[0-9a-f]{6}([0-9a-f]{2})?$/i;
const ALPHA_COLOR_TEXT = 'a colour #RRGGBB, or #RRGGBBAA with alpha';
export const alphaColor = z.string(expect(ALPHA_COLOR_TEXT)).regex(ALPHA_COLOR, expect(ALPHA_COLOR_TEXT));
const RADIUS_TEXT = 'a corner radius in pixels (1 or more) or a fraction of the height (below 1; 0.5 is a pill)';
export const radius = z.number(expect(RADIUS_TEXT)).min(0, expect(RADIUS_TEXT)).max(2000, expect(RADIUS_TEXT));

export const IMAGE_FILE = /\.(svg|png)$/i;
const IMAGE_TEXT = 'an .svg or .png file relative to the campaign folder';
const imageFile = z.string(expect(IMAGE_TEXT)).regex(IMAGE_FILE, expect(IMAGE_TEXT));
const IMAGES_TEXT = `${IMAGE_TEXT}, or a mapping of default and locale tags (ar-SA, ar) to such files`;
const imageFiles = z.union([imageFile, z.record(z.string(), imageFile, expect(IMAGES_TEXT))], expect(IMAGES_TEXT));

const ID_TEXT = `a layer id: letters, digits, - and _ (at most ${SLUG_MAX})`;
const layerId = z.string(expect(ID_TEXT)).max(SLUG_MAX, expect(ID_TEXT)).regex(SLUG, expect(ID_TEXT));

export const IMAGE_FITS = ['contain', 'cover'] as const;
const ALIGNS = ['start', 'center', 'end'] as const;
const VALIGNS = ['top', 'middle', 'bottom'] as const;

/** What an image layer says beyond its file and box; a size may change each. */
const imageSettings = {
  fit: z.enum(IMAGE_FITS, expect('contain or cover')).optional().describe('contain (default): the whole file inside the box; cover: the box filled, the file cut to it.'),
  align: z.enum(ALIGNS, expect('start, center or end')).optional().describe('Horizontal place in the box: start (default; the right edge in right-to-left locales) | center | end.'),
  valign: z.enum(VALIGNS, expect('top, middle or bottom')).optional().describe('Vertical place in the box: top | middle (default) | bottom.'),
  mirror: z.boolean(expect('true or false')).optional().describe('Whether right-to-left locales mirror the box horizontally (default true).'),
  upscale: z.boolean(expect('true or false')).optional().describe('Allow a PNG to be drawn larger than its pixels (default false: that is an error, it would blur). SVGs are drawn at any size.'),
};

export const imageLayerSchema = z.strictObject(
  {
    image: imageFiles.describe('The file to draw: an .svg (rasterised at the delivered size) or .png, relative to the campaign folder; or { default: ..., ar-SA: ... } per locale. Its bytes are part of the delivered file\'s recipe: a new logo redraws, never regenerates.'),
    id: layerId.optional().describe("How errors and sizes[].layers name the layer (default: the default file's name without extension)."),
    box: box.describe('Where the image goes: x, y, width and height as fractions of the delivered size.'),
    ...imageSettings,
  },
  expect('an image layer: a mapping with image and box'),
);

export const shapeLayerSchema = z.strictObject(
  {
    shape: z.literal('rect', expect('rect')).describe('The shape: rect (a rectangle, rounded by radius).'),
    id: layerId.optional().describe('How errors and sizes[].layers name the layer (default: rect-<index>).'),
    box: box.describe('Where the shape goes: x, y, width and height as fractions of the delivered size.'),
    color: alphaColor.describe('Fill: #RRGGBB, or #RRGGBBAA with alpha (#00000080 is black at half opacity).'),
    radius: radius.optional().describe("Corner radius: px (1 or more) or a fraction of the box's shorter side (below 1). Default 0."),
    mirror: z.boolean(expect('true or false')).optional().describe('Whether right-to-left locales mirror the box horizontally (default true).'),
  },
  expect('a shape layer: a mapping with shape, box and color'),
);

/** `sizes[i].layers.<id>`: what to change of an image or shape layer at this size, or false to leave any layer out. */
export const sizeLayersSchema = z.record(
  z.string(),
  z.union([
    z.literal(false, expect('false')),
    z.strictObject(
      {
        box: z.strictObject(boxShape, expect('a mapping of x, y, width, height')).partial().optional().describe('The parts of the box to change at this size (fractions).'),
        image: imageFiles.optional().describe('Another file for this size (.svg or .png, or per locale).'),
        ...imageSettings,
        color: alphaColor.optional().describe("A shape's fill at this size."),
        radius: radius.optional().describe("A shape's corner radius at this size."),
      },
      expect('a mapping of layer settings'),
    ),
  ]),
  expect('a mapping of layer id to settings (or false)'),
);
