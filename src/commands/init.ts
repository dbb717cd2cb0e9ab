import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError } from '../core/errors.js';
import { CAMPAIGN_SCHEMA_FILE, campaignJsonSchemaText } from '../manifest/json-schema.js';
import { SLUG } from '../manifest/schema.js';

/**
 * `pressroom init [name]`: campaigns/<name>/ with a commented campaign.yaml (its editor modeline
 * included) and its own template. Local provider: it builds at once, offline, with no key.
 */

export interface InitResult {
  readonly name: string;
  readonly files: readonly string[];
}

const TEMPLATE = `{{!-- The prompt of one cell. Variables: the campaign's vars, the variant's fields,
      the locale's strings (headline, copy, ...), language, locale, size.width/height/orientation. --}}
Product photo of {{product}}: {{scene}}. Bold headline in {{language}}: "{{headline}}". {{copy}}
`;

const campaignYaml = (name: string, schema: string) => `# yaml-language-server: $schema=${schema}
# A Pressroom campaign: every variant x locale x size is one delivered image.
# Check it with \`pressroom validate\`, see what a build would do with \`pressroom plan\`.
name: ${name}
# local renders offline proofs; runware | runninghub | runcomfy generate (keys in .env).
provider: local
model: seedream-4.5
# ./prompt.hbs is this folder's own template; a bare name (poster) means templates/poster.hbs.
template: ./prompt.hbs
vars:
  product: a reusable glass water bottle with a bamboo lid
variants:
  - id: hero
    scene: on a sunlit kitchen counter, soft morning light
locales:
  en-US: { headline: "Drink better", copy: "Glass inside, bamboo on top." }
  de-DE: { headline: "Besser trinken", copy: "Innen Glas, oben Bambus." }
sizes:
  - { id: square, width: 1080, height: 1080 }
  - { id: story, width: 1080, height: 1920 }
output: { format: png, quality: 90 }
# budget: 1.00          # USD per build: plan refuses above it, a build stops submitting at it
`;

export async function initCampaign(projectRoot: string, name = 'my-campaign'): Promise<InitResult> {
  if (!SLUG.test(name) || name.length > 64) {
    throw new InputError([{ code: 'E_USAGE', path: 'name', message: `expected a campaign name of letters, digits, - and _ but received ${JSON.stringify(name)}` }]);
  }
  const dir = join(projectRoot, 'campaigns', name);
  if (existsSync(dir)) throw new InputError([{ code: 'E_USAGE', path: 'name', message: `campaigns/${name} already exists; pick another name` }]);
  const files: string[] = [];
  // The schema the package ships when installed; otherwise a copy in the project.
  const installed = join(projectRoot, 'node_modules', 'pressroom', CAMPAIGN_SCHEMA_FILE);
  let schema = installed;
  if (!existsSync(installed)) {
    schema = join(projectRoot, CAMPAIGN_SCHEMA_FILE);
    if (!existsSync(schema)) {
      await mkdir(join(schema, '..'), { recursive: true });
      await writeFile(schema, campaignJsonSchemaText());
      files.push(schema);
    }
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'campaign.yaml'), campaignYaml(name, relative(dir, schema).split('\\').join('/')));
  await writeFile(join(dir, 'prompt.hbs'), TEMPLATE);
  files.push(join(dir, 'campaign.yaml'), join(dir, 'prompt.hbs'));
  return { name, files: files.map((f) => relative(projectRoot, f).split('\\').join('/')) };
}
