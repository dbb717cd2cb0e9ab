import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_SCHEMA_FILE, campaignJsonSchema, campaignJsonSchemaText } from '../../src/manifest/json-schema.js';
import { campaignSchema } from '../../src/manifest/schema.js';
import { REPO } from '../helpers/examples.js';
import { cli } from '../helpers/project.js';

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(campaignJsonSchema());
const examples = readdirSync(join(REPO, 'campaigns')).map((name) => join(REPO, 'campaigns', name, 'campaign.yaml'));

const GOOD = { template: 'poster', variants: [{ id: 'hero', scene: 'x' }], locales: { 'en-US': { headline: 'Hi', copy: 'c' } }, sizes: [{ id: 'sq', width: 1080, height: 1080 }] };

/** Each bad in a different way; both schemas must refuse every one. */
const BAD: Record<string, unknown> = {
  'no variants': { ...GOOD, variants: [] },
  'unknown field': { ...GOOD, colour: 'red' },
  'unknown provider': { ...GOOD, provider: 'midjourney' },
  'unknown model': { ...GOOD, model: 'seedream-9' },
  'size too small': { ...GOOD, sizes: [{ id: 'sq', width: 8, height: 1080 }] },
  'size not an integer': { ...GOOD, sizes: [{ id: 'sq', width: 10.5, height: 1080 }] },
  'extra size field': { ...GOOD, sizes: [{ id: 'sq', width: 1080, height: 1080, dpi: 72 }] },
  'id with a space': { ...GOOD, variants: [{ id: 'the hero' }] },
  'locale without headline': { ...GOOD, locales: { 'en-US': { copy: 'c' } } },
  'negative price': { ...GOOD, prices: { 'seedream-4.5': -1 } },
  'price for an unknown model': { ...GOOD, prices: { 'seedream-9': 0.1 } },
  'negative budget': { ...GOOD, budget: -5 },
  'budget as text': { ...GOOD, budget: 'ten dollars' },
  'bad output format': { ...GOOD, output: { format: 'gif', quality: 90 } },
  'empty template': { ...GOOD, template: '' },
  'seed out of range': { ...GOOD, seed: -1 },
};

describe('the campaign JSON Schema', () => {
  it('is shipped, generated from the zod schema, and `pressroom schema` writes the same', async () => {
    expect(readFileSync(join(REPO, CAMPAIGN_SCHEMA_FILE), 'utf8')).toBe(campaignJsonSchemaText());
    const run = await cli(REPO, ['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(campaignJsonSchemaText());
  });

  it.each(examples)('accepts %s, which carries the modeline', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=../../${CAMPAIGN_SCHEMA_FILE}`);
    const data = parse(text) as unknown;
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(campaignSchema.safeParse(data).success).toBe(true);
  });

  it('agrees with zod on a good campaign and on every bad one', () => {
    for (const good of [GOOD, { ...GOOD, variants: [{ id: 'Hero' }], budget: 2.5, prices: { 'seedream-4.5': 0.04 } }]) {
      expect([validate(good), campaignSchema.safeParse(good).success]).toEqual([true, true]);
    }
    for (const [what, input] of Object.entries(BAD)) {
      expect([what, validate(input), campaignSchema.safeParse(input).success]).toEqual([what, false, false]);
    }
  });

  it('describes every property, so editor hovers say what a field does', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      const properties = schema['properties'];
      if (properties && typeof properties === 'object') {
        for (const [name, child] of Object.entries(properties)) {
          const description = (child as Record<string, unknown>)['description'];
          if (typeof description !== 'string' || description.trim().length < 10) undescribed.push(`${path}.${name}`);
        }
      }
      for (const [k, v] of Object.entries(schema)) walk(v, `${path}/${k}`);
    };
    const schema = campaignJsonSchema();
    walk(schema, '');
    expect(undescribed).toEqual([]);
    // The walk reaches the nested fields: a layer's box edge and a locale's headline have their own words.
    const text = JSON.stringify(schema);
    expect(text).toContain('Left edge of the box');
    expect(text).toContain('The headline in this locale');
  });

  it('has the same top-level fields as the campaign format in README.md', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Campaign format'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const documented = [...block.matchAll(/^([A-Za-z]+):/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(campaignJsonSchema()['properties'] as object).sort());
  });
});
