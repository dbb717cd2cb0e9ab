import { z } from 'zod';
import { MODEL_IDS, PROVIDER_NAMES } from '../core/campaign.js';
import { sizeTextSchema, textSchema } from './text-schema.js';

/**
 * The user-facing shape of campaign.yaml (and of a locale file). Every schema carries its own
 * `error` text: it is the "expected ..." half of the message the user reads, so it names the
 * accepted values rather than zod's internal types.
 */

/** Ids become file names under out/: no separators, no leading dot, so `../x` cannot escape. */
export const SLUG = /^[a-z0-9][a-z0-9_-]*$/i;
export const SLUG_MAX = 64;
/** Names the template data sets itself; a user field with one of them would be silently shadowed. */
export const RESERVED_NAMES = ['campaign', 'variant', 'locale', 'language', 'size'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
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
  .object({ headline: text, copy: text.optional() }, expect('a mapping of strings (headline, copy, ...)'))
  .catchall(text);

export const sizeSchema = z.strictObject(
  { id: slug, width: intRange(SIDE_MIN, SIDE_MAX), height: intRange(SIDE_MIN, SIDE_MAX), text: sizeTextSchema.optional() },
  expect('a mapping with id, width and height'),
);

/** `id` plus any fields the template wants. */
export const variantSchema = z.object({ id: slug }, expect('a mapping with an id')).catchall(z.unknown());

export const outputSchema = z.strictObject(
  {
    format: z.enum(OUTPUT_FORMATS, expect(oneOf(OUTPUT_FORMATS))).default('png'),
    quality: intRange(1, 100).default(DEFAULT_QUALITY),
  },
  expect('a mapping with format and quality'),
);

const price = z.number(expect('a price in USD per image, 0 or more')).min(0, expect('a price in USD per image, 0 or more'));

/** A strict object rather than a record keyed by an enum, so a misspelt model gets a did-you-mean. */
export const pricesSchema = z.strictObject(
  Object.fromEntries(MODEL_IDS.map((m) => [m, price.optional()])) as Record<(typeof MODEL_IDS)[number], z.ZodOptional<typeof price>>,
  expect(`a mapping of model (${MODEL_IDS.join(', ')}) to USD per image`),
);

export const campaignSchema = z.strictObject(
  {
    name: slug.optional(),
    provider: z.enum(PROVIDER_NAMES, expect(oneOf(PROVIDER_NAMES))).default(DEFAULT_PROVIDER),
    model: z.enum(MODEL_IDS, expect(oneOf(MODEL_IDS))).default(DEFAULT_MODEL),
    template: z.string(expect('a template name or a path to a .hbs file')).min(1, expect('a template name or a path to a .hbs file')),
    seed: intRange(0, SEED_MAX).optional(),
    candidates: intRange(1, 8).optional(),
    references: z.array(z.string(expect('a file path or an https URL')), expect('a list of file paths or https URLs')).default([]),
    vars: mapping.default({}),
    variants: z.array(variantSchema, expect('a non-empty list of variants')).min(1, expect('a non-empty list of variants')),
    locales: z.union([
      z.string(expect('a path to a folder of <tag>.yaml files')).min(1, expect('a path to a folder of <tag>.yaml files')),
      z.record(z.string(), localeStringsSchema, expect('a mapping of locale tags to strings')),
    ]),
    sizes: z.array(sizeSchema, expect('a non-empty list of sizes')).min(1, expect('a non-empty list of sizes')),
    output: outputSchema.default({ format: 'png', quality: DEFAULT_QUALITY }),
    providerOptions: mapping.default({}),
    prices: pricesSchema.optional(),
    text: textSchema.optional(),
    /** USD this campaign may spend per build: plan refuses above it, a build stops submitting at it. */
    budget: z.number(expect('a budget in USD, 0 or more')).min(0, expect('a budget in USD, 0 or more')).optional(),
  },
  expect('a mapping (the campaign)'),
);

export type CampaignInput = z.input<typeof campaignSchema>;
export type CampaignData = z.output<typeof campaignSchema>;
export type LocaleStrings = z.output<typeof localeStringsSchema>;
