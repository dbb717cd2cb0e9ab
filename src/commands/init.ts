import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InputError, problem } from '../core/errors.js';
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

const TEMPLATE = `{{!-- The prompt of one cell: the background only. headline and copy are text layers
      (layers in campaign.yaml), typeset over the image afterwards exactly as written, so the
      model draws no text and they are not variables here. Variables: the campaign's vars, the
      variant's fields, language, locale, size.width/height/aspect/orientation. --}}
Product photograph of {{product}}: {{scene}}. Composition for a {{size.orientation}} {{size.aspect}} frame:
the product in the lower half, calm uncluttered space in the upper third for the headline.
No text, letters, logos or watermarks anywhere in the image.
`;

/** A logo-shaped placeholder, drawing only (no text: an SVG's text would be set in whatever fonts a machine has). */
const PLACEHOLDER_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="96" viewBox="0 0 360 96">
  <!-- Placeholder: replace with your logo (SVG or PNG), keeping the file name or changing the layer's image: -->
  <rect x="2" y="2" width="356" height="92" rx="46" fill="#111111" fill-opacity="0.72" stroke="#FFFFFF" stroke-opacity="0.85" stroke-width="3" stroke-dasharray="10 8"/>
  <circle cx="48" cy="48" r="22" fill="#FFFFFF" fill-opacity="0.9"/>
  <rect x="88" y="30" width="190" height="14" rx="7" fill="#FFFFFF" fill-opacity="0.9"/>
  <rect x="88" y="54" width="130" height="12" rx="6" fill="#FFFFFF" fill-opacity="0.6"/>
</svg>
`;

const campaignYaml = (name: string, schema: string) => `# yaml-language-server: $schema=${schema}
# A Pressroom campaign: every variant x locale x size is one delivered image.
# The model paints a background without text; the logo, and the headline and copy of each locale,
# are drawn over it (layers below), the copy exactly as written, in every script.
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
layers:                               # drawn in this order over the picture
  - field: headline                   # a key of each locale
    box: { x: 0.08, y: 0.06, width: 0.84, height: 0.16 }  # fractions of the delivered size
    size: { min: 32, max: 0.5 }       # px, or a fraction of the box height: set as large as it fits
    maxLines: 2
  - field: copy
    box: { x: 0.08, y: 0.24, width: 0.7, height: 0.1 }
    size: { min: 20, max: 0.4 }
    maxLines: 2
  # Your logo: a placeholder until you replace brand/logo.svg (an SVG is drawn sharp at every size;
  # a PNG must be at least as large as it is drawn).
  - { image: brand/logo.svg, id: logo, box: { x: 0.08, y: 0.76, width: 0.3, height: 0.08 } }
sizes:
  - { id: square, width: 1080, height: 1080 }
  - id: story
    width: 1080
    height: 1920
    text: { headline: { box: { y: 0.1, height: 0.12 } }, copy: { box: { y: 0.23, height: 0.07 } } }   # clear of the story's top bar
output: { format: png, quality: 90 }
# budget: 1.00          # USD per build: plan refuses above it, a build stops submitting at it
`;

export async function initCampaign(projectRoot: string, name = 'my-campaign'): Promise<InitResult> {
  if (!SLUG.test(name) || name.length > 64) {
    throw new InputError([problem('E_USAGE', { kind: 'value', expected: 'a campaign name of letters, digits, - and _', received: name }, { path: 'name' })]);
  }
  const dir = join(projectRoot, 'campaigns', name);
  if (existsSync(dir)) throw new InputError([problem('E_USAGE', { kind: 'campaign-exists', name }, { path: 'name' })]);
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
  await mkdir(join(dir, 'brand'), { recursive: true });
  await writeFile(join(dir, 'brand', 'logo.svg'), PLACEHOLDER_LOGO);
  files.push(join(dir, 'campaign.yaml'), join(dir, 'prompt.hbs'), join(dir, 'brand', 'logo.svg'));
  return { name, files: files.map((f) => relative(projectRoot, f).split('\\').join('/')) };
}
