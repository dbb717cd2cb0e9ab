import { z } from 'zod';
import { SLUG, campaignSchema } from './schema.js';

/** Where the package ships the schema, relative to the package root; the examples' modeline points at it. */
export const CAMPAIGN_SCHEMA_FILE = 'schema/campaign.schema.json';

/**
 * campaign.yaml as JSON Schema (draft 2020-12), generated from the zod schema so the two cannot
 * drift: editors (yaml-language-server) complete and check with it. Input side: fields with a
 * default are optional. The checks zod cannot express (duplicate ids, locale files) stay in `validate`.
 */
export function campaignJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(campaignSchema, { io: 'input' }) as Record<string, unknown>;
  return { ...(withSlugCase(schema) as Record<string, unknown>), title: 'Pressroom campaign.yaml' };
}

/** JSON Schema patterns have no flags: the ids' case-insensitive pattern is spelt out in both cases. */
const SLUG_ANY_CASE = SLUG.source.replaceAll('a-z', 'A-Za-z');

function withSlugCase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSlugCase);
  if (node === null || typeof node !== 'object') return node;
  // Colours (`#ffd60a`, `#FFD60A`) are hex in either case, as zod reads them.
  const pattern = (v: unknown) => (v === SLUG.source ? SLUG_ANY_CASE : typeof v === 'string' ? v.replaceAll('[0-9a-f]', '[0-9a-fA-F]') : v);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'pattern' ? pattern(v) : withSlugCase(v)]));
}

export const campaignJsonSchemaText = () => `${JSON.stringify(campaignJsonSchema(), null, 2)}\n`;
