import { resolve } from 'node:path';
import { z } from 'zod';
import { fontFileProblem } from '../typeset/font-file.js';
import { isScriptCode } from '../typeset/scripts.js';
import { isMapping } from './issues.js';
import { alphaColor, boxShape, imageLayerSchema, radius, shapeLayerSchema } from './layer-schema.js';
import { layerIdOf, layerListOf } from './layer-names.js';
import { readProjectFile } from './project-file.js';
import { finding, type Finding, type PathSegment } from './source.js';
import { closest } from './suggest.js';

/**
 * `text:` of campaign.yaml (layers typeset over the generated background) and `text:` of a size
 * (per-size overrides keyed by field), then their resolution into one layer list per size id.
 */

const expect = (what: string) => ({ error: what });

const COLOR = /^#[0-9a-f]{6}$/i;
const COLOR_TEXT = 'a colour #RRGGBB';

const BACKGROUND_TEXT = 'auto, none or a colour #RRGGBB';
const BOUND_TEXT = 'a size in pixels (1 or more) or a fraction of the box height (below 1)';
const bound = z.number(expect(BOUND_TEXT)).positive(expect(BOUND_TEXT)).max(2000, expect(BOUND_TEXT));
const PADDING_TEXT = 'padding in times the font size, 0-3: one number, or { x, y }';
const padding = z.number(expect(PADDING_TEXT)).min(0, expect(PADDING_TEXT)).max(3, expect(PADDING_TEXT));
export const TEXT_ALIGNS = ['start', 'center', 'end'] as const;
export const TEXT_VALIGNS = ['top', 'middle', 'bottom'] as const;
export const FONT_FILE = /\.(ttf|otf|woff2?)$/i;
/** Noto Sans for every script is built in; a brand face is a file the project ships. */
const FONT_TEXT = 'a .ttf, .otf, .woff or .woff2 file, relative to the campaign folder (Noto Sans is the default for every script)';
const FONT_KEY_TEXT = 'default, a script (ISO 15924: Latn, Arab, Geor, Zsye for emoji, ...) or a locale tag (ka-GE, ur)';

/** `fonts:` keys: where a brand font applies. */
export function isFontKey(key: string): boolean {
  if (key === 'default' || isScriptCode(key)) return true;
  // A script-shaped key that is no script we know (or a word) would silently apply to nothing.
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(key)) return false;
  try {
    return Intl.getCanonicalLocales(key).length === 1;
  } catch {
    return false;
  }
}

const fontFile = z.string(expect(FONT_TEXT)).regex(FONT_FILE, expect(FONT_TEXT));
const fontsMap = z.record(z.string().refine(isFontKey, expect(FONT_KEY_TEXT)), fontFile, expect(`a mapping of ${FONT_KEY_TEXT} to a font file`));
const KEEP_TEXT = 'a list of phrases never broken across lines ("iPhone 16")';
const keepList = z.array(z.string(expect(KEEP_TEXT)).min(1, expect(KEEP_TEXT)), expect(KEEP_TEXT));
const hyphenate = z.boolean(expect('true or false (dictionary hyphenation of words too long for a line)'));


const styleShape = {
  font: fontFile,
  fonts: fontsMap,
  keep: keepList,
  hyphenate,
  minRatio: z.number(expect('a ratio 0.5-10 (this layer at least that many times the size of every later layer)')).min(0.5, expect('a ratio 0.5-10')).max(10, expect('a ratio 0.5-10')),
  weight: z.int(expect('a weight 100-900')).min(100, expect('a weight 100-900')).max(900, expect('a weight 100-900')),
  color: z.string(expect(COLOR_TEXT)).regex(COLOR, expect(COLOR_TEXT)),
  align: z.enum(TEXT_ALIGNS, expect(`one of ${TEXT_ALIGNS.join(', ')}`)),
  valign: z.enum(TEXT_VALIGNS, expect(`one of ${TEXT_VALIGNS.join(', ')}`)),
  size: z.strictObject({ min: bound.optional().describe('Smallest size the copy may be set at: px (1 or more) or a fraction of the box height (below 1); below it the copy does not fit and is refused.'), max: bound.optional().describe('Largest size: px (1 or more) or a fraction of the box height (below 1); the copy is set at the largest size that fits.') }, expect('a mapping with min and max')),
  lineHeight: z.number(expect('a line height 0.8-3 (times the font size)')).min(0.8, expect('a line height 0.8-3 (times the font size)')).max(3, expect('a line height 0.8-3 (times the font size)')),
  maxLines: z.int(expect('an integer 1-20')).min(1, expect('an integer 1-20')).max(20, expect('an integer 1-20')),
  background: z.string(expect(BACKGROUND_TEXT)).refine((v) => v === 'auto' || v === 'none' || COLOR.test(v), expect(BACKGROUND_TEXT)),
  mirror: z.boolean(expect('true or false')),
  plate: z.strictObject(
    {
      color: alphaColor.describe('Colour of the button, #RRGGBB or #RRGGBBAA; the text must reach 4.5:1 against it.'),
      radius: radius.optional().describe('Corner radius: px (1 or more) or a fraction of the plate height (below 1; 0.5 is a pill). Default 0.25.'),
      padding: z
        .union([padding, z.strictObject({ x: padding.describe('Room left and right of the text, in times the font size.'), y: padding.describe('Room above the capitals and below the baseline, in times the font size.') }, expect(PADDING_TEXT))])
        .optional()
        .describe('Room around the set text, in times the font size: a number, or { x, y }. Default { x: 0.8, y: 0.45 }.'),
    },
    expect('a mapping with color (and radius, padding)'),
  ),
};

/** What an editor shows on hover for each setting (schema/campaign.schema.json). */
const STYLE_DOCS: Record<keyof typeof styleShape, string> = {
  font: 'A .ttf, .otf, .woff or .woff2 file relative to the campaign folder: shorthand for fonts: { default: ... }; Noto sets every script it lacks.',
  fonts: 'Brand fonts by script or locale: default, an ISO 15924 script (Arab, Geor, Zsye for emoji) or a locale tag; a font sets only words it has every letter of.',
  keep: 'Phrases never broken across lines ("iPhone 16", "Galaxy S25").',
  hyphenate: 'Dictionary hyphenation of words too long for a line (default true; soft hyphens are always honoured).',
  minRatio: 'This layer is set at least this many times the size of every later layer (default 1 for headline: never smaller than the copy).',
  weight: 'Font weight 100-900 (default 700 for headline, else 400).',
  color: 'Text colour #RRGGBB (default white).',
  align: 'Horizontal alignment: start (default; the right edge in right-to-left text) | center | end.',
  valign: 'Vertical alignment in the box: top (default) | middle | bottom.',
  size: 'Font size range: the copy is set at the largest size between min and max at which it fits the box.',
  lineHeight: 'Line advance in times the font size, 0.8-3 (default 1.2).',
  maxLines: 'Most lines the copy may take, 1-20 (default: as many as the box height holds).',
  background: 'auto (default: a scrim only where contrast is under 4.5:1) | none | a #RRGGBB plate behind the text.',
  mirror: 'Whether right-to-left locales mirror the box horizontally (default true).',
  plate: 'A button: a rounded rectangle drawn behind the set text plus padding, sized to the text (the box is where it may go); contrast is checked against it.',
};

const optionalStyle = Object.fromEntries(Object.entries(styleShape).map(([k, v]) => [k, v.optional().describe(STYLE_DOCS[k as keyof typeof styleShape])])) as {
  [K in keyof typeof styleShape]: z.ZodOptional<(typeof styleShape)[K]>;
};

const FIELD_TEXT = 'a locale field name (headline, copy, cta, ...)';
export const textLayerSchema = z.strictObject(
  {
    field: z.string(expect(FIELD_TEXT)).min(1, expect(FIELD_TEXT)).describe('The locale key this layer sets (headline, copy, cta, or any other); the prompt no longer sees it.'),
    box: z.strictObject(boxShape, expect('a mapping with x, y, width and height (fractions)')).describe('Where the copy goes: x, y, width and height as fractions of the delivered size.'),
    ...optionalStyle,
  },
  expect('a mapping with field and box'),
);

/** Any layer: text (`field:`), an image file (`image:`) or a shape (`shape:`), told apart by that key. */
export const layerSchema = z.union([textLayerSchema, imageLayerSchema, shapeLayerSchema], expect('a layer: a mapping with field (text), image or shape, and box'));

export const textSchema = z.strictObject(
  {
    layers: z.array(layerSchema, expect('a non-empty list of layers')).min(1, expect('a non-empty list of layers')).optional().describe('The older name of the campaign\'s `layers` (drawn in order): use one or the other.'),
    source: z.string(expect('the locale tag pseudo-locales are derived from')).optional().describe('The locale pseudo-locales (en-XA, ar-XB) are derived from, and whose keys every locale must have (default: the first).'),
    fonts: fontsMap.optional().describe('Brand fonts by script or locale for every layer: default, an ISO 15924 script (Arab, Geor, Zsye for emoji) or a locale tag; a font never sets a script it does not cover.'),
    keep: keepList.optional().describe('Phrases never broken across lines in any layer ("iPhone 16", "Galaxy S25").'),
    hyphenate: hyphenate.optional().describe('Dictionary hyphenation of words too long for a line (default true; soft hyphens are always honoured).'),
  },
  expect('a mapping with layers'),
);

/** `sizes[i].text.<field>`: part of a layer to change at this size, or false to leave the layer out. */
export const sizeTextSchema = z.record(
  z.string(),
  z.union([
    z.literal(false, expect('false')),
    z.strictObject({ box: z.strictObject(boxShape, expect('a mapping of x, y, width, height')).partial().optional().describe('The parts of the box to change at this size (fractions).'), ...optionalStyle }, expect('a mapping of layer settings')),
  ]),
  expect('a mapping of layer field to settings (or false)'),
);

export type TextLayerInput = z.output<typeof textLayerSchema>;
export type TextOptions = z.output<typeof textSchema>;
export type SizeTextInput = z.output<typeof sizeTextSchema>;

/**
 * What the schema cannot say on one field: boxes inside the frame, one layer per field, overrides
 * naming a layer that exists. Runs on raw data.
 */
export function checkText(data: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const { items: layers, at } = layerListOf(data);
  const fields = new Map<string, { index: number; layer: Record<string, unknown> }>();
  const ids = new Map<string, Record<string, unknown>>();
  const checkStyle = (style: Record<string, unknown>, path: (string | number)[]) => {
    if (isMapping(style.box)) findings.push(...boxInFrame(style.box, [...path, 'box']));
    if (isMapping(style.size) && typeof style.size.min === 'number' && typeof style.size.max === 'number') {
      const { min, max } = style.size;
      if ((min < 1) === (max < 1) && min > max) findings.push(finding('E_SCHEMA', { kind: 'size-range', min, max }, [...path, 'size']));
    }
  };
  layers.forEach((layer, i) => {
    if (!isMapping(layer)) return;
    const id = layerIdOf(layer, i);
    if (id !== undefined && !ids.has(id)) ids.set(id, layer);
    if (typeof layer.field === 'string') {
      const first = fields.get(layer.field);
      if (first) findings.push(finding('E_SCHEMA', { kind: 'duplicate-layer', field: layer.field, first: `${at.join('.')}[${first.index}]` }, [...at, i, 'field']));
      else fields.set(layer.field, { index: i, layer });
    }
    checkStyle(layer, [...at, i]);
  });
  if (!Array.isArray(data.sizes)) return findings;
  const merged = (base: Record<string, unknown> | undefined, override: Record<string, unknown>) => ({ ...override, box: { ...(base && isMapping(base.box) ? base.box : {}), ...(isMapping(override.box) ? override.box : {}) } });
  data.sizes.forEach((size, i) => {
    if (!isMapping(size)) return;
    if (isMapping(size.layers)) for (const [id, o] of Object.entries(size.layers)) if (isMapping(o)) checkStyle(merged(ids.get(id), o), ['sizes', i, 'layers', id]);
    if (!isMapping(size.text)) return;
    if (fields.size === 0) {
      findings.push(finding('E_SCHEMA', { kind: 'size-text-without-layers' }, ['sizes', i, 'text'], 'key'));
      return;
    }
    for (const [field, override] of Object.entries(size.text)) {
      const base = fields.get(field);
      const meant = base ? undefined : closest(field, [...fields.keys()]);
      if (!base) findings.push(finding('E_SCHEMA', { kind: 'no-layer', field, ...(meant !== undefined ? { meant } : {}) }, ['sizes', i, 'text', field], 'key'));
      else if (isMapping(override)) checkStyle(merged(base.layer, override), ['sizes', i, 'text', field]);
    }
  });
  return findings;
}

function boxInFrame(box: Record<string, unknown>, path: (string | number)[]): Finding[] {
  const { x, y, width, height } = box;
  const num = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  const findings: Finding[] = [];
  if (num(x) && num(width) && x + width > 1 + 1e-9) findings.push(finding('E_SCHEMA', { kind: 'box-off-edge', edge: 'right', start: x, extent: width }, path));
  if (num(y) && num(height) && y + height > 1 + 1e-9) findings.push(finding('E_SCHEMA', { kind: 'box-off-edge', edge: 'bottom', start: y, extent: height }, path));
  if (width === 0 || height === 0) findings.push(finding('E_SCHEMA', { kind: 'box-empty' }, path));
  return findings;
}

/** Brand font files may be large, but not unbounded. */
export const MAX_FONT_BYTES = 64 * 1024 * 1024;

/** Every brand font file, read the way every campaign file is (inside the project, regular, capped), and sniffed: a font, not a bomb. */
export async function checkFontFiles(data: Record<string, unknown>, campaignDir: string, projectRoot: string): Promise<Finding[]> {
  const fonts = fontReferences(data);
  const findings: Finding[] = [];
  for (const { font, path } of fonts.filter((f) => FONT_FILE.test(f.font))) {
    const read = await readProjectFile(resolve(campaignDir, font), projectRoot, { maxBytes: MAX_FONT_BYTES, shown: font, what: 'font file' });
    if ('problem' in read) findings.push(finding(read.code ?? 'E_SCHEMA', read.facts, path));
    const problem = 'problem' in read ? undefined : fontFileProblem(read.bytes);
    if (problem) findings.push(finding('E_FONT_FILE', { font, problem }, path));
  }
  return findings;
}

/** Every brand font a campaign names: `font:` and each `fonts:` entry of the text, its layers and its sizes' overrides. */
export function fontReferences(data: Record<string, unknown>): { font: string; path: PathSegment[] }[] {
  const out: { font: string; path: PathSegment[] }[] = [];
  const level = (node: unknown, path: PathSegment[]) => {
    if (!isMapping(node)) return;
    if (typeof node.font === 'string') out.push({ font: node.font, path: [...path, 'font'] });
    if (isMapping(node.fonts)) for (const [key, f] of Object.entries(node.fonts)) if (typeof f === 'string') out.push({ font: f, path: [...path, 'fonts', key] });
  };
  if (isMapping(data.text) && isMapping(data.text.fonts)) level({ fonts: data.text.fonts }, ['text']);
  const { items, at } = layerListOf(data);
  items.forEach((l, i) => level(l, [...at, i]));
  if (Array.isArray(data.sizes)) {
    data.sizes.forEach((size, i) => {
      if (isMapping(size) && isMapping(size.text)) for (const [field, o] of Object.entries(size.text)) level(o, ['sizes', i, 'text', field]);
    });
  }
  return out;
}
