import { z } from 'zod';
import { MODEL_IDS, PROVIDER_NAMES } from '../core/campaign.js';
import { sizeLayersSchema } from './layer-schema.js';
import { outputFormat, OUTPUT_FORMATS, quality, sizeDeliveryShape } from './size-schema.js';
import { SLUG, SLUG_MAX } from './slug.js';
import { layerSchema, sizeTextSchema, textSchema } from './text-schema.js';

export { OUTPUT_FORMATS, SLUG, SLUG_MAX };

/**
 * The user-facing shape of campaign.yaml (and of a locale file). Every schema carries its own
 * `error` text: it is the "expected ..." half of the message the user reads, so it names the
 * accepted values rather than zod's internal types.
 */

/** Names the template data sets itself; a user field with one of them would be silently shadowed. */
export const RESERVED_NAMES = ['campaign', 'variant', 'locale', 'language', 'size'] as const;
export const SIDE_MIN = 16;
export const SIDE_MAX = 16_384;
/** Seedream generates aspect ratios from 1/16 to 16 only; beyond that no crop can be derived. */
export const MAX_ASPECT = 16;
export const MAX_PIXELS = SIDE_MAX * SIDE_MAX;
export const SEED_MAX = 4_294_967_295;
export const DEFAULT_PROVIDER = 'local' satisfies (typeof PROVIDER_NAMES)[number];
export const DEFAULT_MODEL = 'seedream-4.5' satisfies (typeof MODEL_IDS)[number];
export const DEFAULT_QUALITY = 90;

const expect = (what: string) => ({ error: what });
const oneOf = (values: readonly string[]) => `one of ${values.join(', ')}`;

const SLUG_TEXT = `a slug of letters, digits, - and _ (starting with a letter or digit, at most ${SLUG_MAX} characters)`;
const slug = z.string(expect(SLUG_TEXT)).max(SLUG_MAX, expect(SLUG_TEXT)).regex(SLUG, expect(SLUG_TEXT));

const intRange = (min: number, max: number) => {
  const text = `integer ${min}-${max}`;
  return z.int(expect(text)).min(min, expect(text)).max(max, expect(text));
};

const mapping = z.record(z.string(), z.unknown(), expect('a mapping'));
const text = z.string(expect('a string'));

export const localeStringsSchema = z
  .object(
    {
      headline: text.describe('The headline in this locale, exactly as the translators wrote it: {{headline}} in templates, or typeset by a text layer.'),
      copy: text.optional().describe('Body copy in this locale: {{copy}} in templates, or typeset by a text layer. Any other key (cta, ...) is a string the same way.'),
    },
    expect('a mapping of strings (headline, copy, ...)'),
  )
  .catchall(text);

export const sizeSchema = z.strictObject(
  {
    id: slug.describe('Size id, unique in the campaign: part of each delivered file name (<locale>/<variant>-<size>.<ext>) and of --size.'),
    width: intRange(SIDE_MIN, SIDE_MAX).optional().describe(`Delivered width in pixels, exactly (${SIDE_MIN}-${SIDE_MAX}; required without a preset); the image is generated at a valid size of the same aspect, then cut to it.`),
    height: intRange(SIDE_MIN, SIDE_MAX).optional().describe(`Delivered height in pixels, exactly (${SIDE_MIN}-${SIDE_MAX}; required without a preset).`),
    ...sizeDeliveryShape,
    text: sizeTextSchema.optional().describe('Text layers at this size: per layer field, the settings to change here (box, size, ...), or false to leave that layer out.'),
    layers: sizeLayersSchema.optional().describe('Image and shape layers at this size: per layer id, the settings to change here (box, image, fit, color, ...), or false to leave any layer out.'),
  },
  expect('a mapping with id, and width and height or a preset'),
);

const FOCUS_TEXT = 'a point { x, y } of the generated image, fractions 0 to 1';
const focusFraction = z.number(expect(FOCUS_TEXT)).min(0, expect(FOCUS_TEXT)).max(1, expect(FOCUS_TEXT));

/** `id`, the crop (not the template's), plus any fields the template wants. */
export const variantSchema = z
  .object(
    {
      id: slug.describe('Variant id, unique in the campaign: part of each delivered file name and of --variant. Every other field of the variant goes to the template.'),
      focus: z
        .strictObject({ x: focusFraction.describe('Across, 0 (left) to 1 (right).'), y: focusFraction.describe('Down, 0 (top) to 1 (bottom).') }, expect(FOCUS_TEXT))
        .optional()
        .describe('A point of the generated image (fractions) that every crop of this variant keeps, as near the middle as the edges allow: the product, say. Not part of the prompt.'),
      crop: z.enum(['centre', 'attention'], expect('centre or attention')).optional().describe("centre (default) | attention: sharp's attention strategy picks each crop (the most salient region). Not part of the prompt."),
    },
    expect('a mapping with an id'),
  )
  .catchall(z.unknown());

export const outputSchema = z.strictObject(
  {
    format: outputFormat.default('png').describe('File format of every delivered asset (a size or its preset may say otherwise): png (default) | jpeg | webp | avif.'),
    quality: quality.default(DEFAULT_QUALITY).describe(`Encoder quality 1-100 for jpeg, webp and avif (default ${DEFAULT_QUALITY}); under a byte cap, the most the encoder starts from.`),
  },
  expect('a mapping with format and quality'),
);

const price = z.number(expect('a price in USD per image, 0 or more')).min(0, expect('a price in USD per image, 0 or more'));

/** A strict object rather than a record keyed by an enum, so a misspelt model gets a did-you-mean. */
export const pricesSchema = z.strictObject(
  Object.fromEntries(MODEL_IDS.map((m) => [m, price.optional().describe(`USD per image of ${m}, over the provider's built-in price.`)])) as Record<(typeof MODEL_IDS)[number], z.ZodOptional<typeof price>>,
  expect(`a mapping of model (${MODEL_IDS.join(', ')}) to USD per image`),
);

/**
 * Each field's description is what an editor shows on hover (schema/campaign.schema.json, via
 * json-schema.ts); README's "Campaign format" block lists the same fields.
 */
export const campaignSchema = z.strictObject(
  {
    name: slug.optional().describe('Campaign name: the out/<name>/ folder and the name in every report. Defaults to the folder name; a slug of letters, digits, - and _.'),
    provider: z
      .enum(PROVIDER_NAMES, expect(oneOf(PROVIDER_NAMES)))
      .default(DEFAULT_PROVIDER)
      .describe('Image provider: local (default: offline proofs, no key) | runninghub | runware | runcomfy (keys from the environment or .env). --provider overrides it.'),
    model: z.enum(MODEL_IDS, expect(oneOf(MODEL_IDS))).default(DEFAULT_MODEL).describe('Seedream model: seedream-4.0 | seedream-4.5 (default) | seedream-5-lite. --model overrides it.'),
    template: z
      .string(expect('a template name or a path to a .hbs file'))
      .min(1, expect('a template name or a path to a .hbs file'))
      .describe('The prompt template: a name (poster means templates/poster.hbs) or a path to a .hbs file relative to this file. It sees vars, the variant, the locale strings, language and size.'),
    seed: intRange(0, SEED_MAX).optional().describe(`Seed for providers that take one (0-${SEED_MAX}); part of the cache key.`),
    candidates: intRange(1, 8).optional().describe('Images per cell for review (1-8), side by side in the gallery; candidate 0 is the delivered one. Approve another with pressroom approve --pick k.'),
    references: z
      .array(z.string(expect('a file path or an https URL')), expect('a list of file paths or https URLs'))
      .default([])
      .describe('Reference images for image-to-image: files relative to this folder (inside the project), or https URLs. Their bytes are part of the cache key.'),
    vars: mapping.default({}).describe('Data shared by every prompt of the campaign (brand, product, ...); variant and locale fields of the same name win.'),
    variants: z
      .array(variantSchema, expect('a non-empty list of variants'))
      .min(1, expect('a non-empty list of variants'))
      .describe('The creative variants (required): each an id plus any fields the template uses (scene, mood, ...).'),
    locales: z
      .union([
        z.string(expect('a path to a folder of <tag>.yaml files')).min(1, expect('a path to a folder of <tag>.yaml files')),
        z.record(z.string(), localeStringsSchema, expect('a mapping of locale tags to strings')),
      ])
      .describe('The locales (required): BCP 47 tag (de-DE, ar-SA, zh-Hant-HK) to its strings (headline, copy, ...), or a path to a folder holding one <tag>.yaml per locale.'),
    sizes: z
      .array(sizeSchema, expect('a non-empty list of sizes'))
      .min(1, expect('a non-empty list of sizes'))
      .describe('The delivered sizes (required): each an id and exact width and height in pixels.'),
    output: outputSchema.default({ format: 'png', quality: DEFAULT_QUALITY }).describe('Format and quality of the delivered files.'),
    providerOptions: mapping.default({}).describe("Extra request fields for the provider (part of the cache key); each provider allows its own list, anything else is refused at validate."),
    prices: pricesSchema.optional().describe("USD per image by model, over the provider's built-in table, for plan's estimate and the budget checks."),
    layers: z
      .array(layerSchema, expect('a non-empty list of layers'))
      .min(1, expect('a non-empty list of layers'))
      .optional()
      .describe('What is drawn over the generated image, in order: text (field: a locale string typeset exactly, in every script; the prompt no longer sees it), image (an SVG or PNG of the project: a logo) and shape (a rectangle of colour) layers.'),
    text: textSchema.optional().describe('Settings of the text layers (source locale, brand fonts, keep, hyphenate); text.layers is the older name of layers.'),
    alt: z
      .string(expect('a Handlebars template of the alt text'))
      .min(1, expect('a Handlebars template of the alt text'))
      .optional()
      .describe('Alt text of each asset, a Handlebars template over the cell\'s data ({{headline}} — {{scene}}): in manifest.json (assets[].alt) and the gallery. Default: the headline and copy.'),
    budget: z
      .number(expect('a budget in USD, 0 or more'))
      .min(0, expect('a budget in USD, 0 or more'))
      .optional()
      .describe('USD this campaign may spend per build: plan refuses an estimate above it (exit 3), a build stops submitting once it is spent.'),
  },
  expect('a mapping (the campaign)'),
);

export type CampaignInput = z.input<typeof campaignSchema>;
export type CampaignData = z.output<typeof campaignSchema>;
export type LocaleStrings = z.output<typeof localeStringsSchema>;
