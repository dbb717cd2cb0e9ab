import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Synthetic campaign folders: size-agnostic template, repeated aspect ratios, many locales. */

const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'pl', 'ja'] as const;
const REGIONS = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'BR', 'NL', 'SE', 'JP'] as const;

/** `count` distinct BCP 47 tags (language x region), up to 100. */
export function localeTags(count: number): string[] {
  const tags: string[] = [];
  for (const region of REGIONS) for (const lang of LANGUAGES) tags.push(`${lang}-${region}`);
  if (count > tags.length) throw new Error(`at most ${tags.length} synthetic locales`);
  return tags.slice(0, count);
}

/** Ten small delivery sizes in three aspect ratios (1:1, 16:9, 9:16): three generations per prompt. */
export const SMALL_SIZES = [
  { id: 'sq64', width: 64, height: 64 },
  { id: 'sq96', width: 96, height: 96 },
  { id: 'sq128', width: 128, height: 128 },
  { id: 'sq160', width: 160, height: 160 },
  { id: 'wide160', width: 160, height: 90 },
  { id: 'wide128', width: 128, height: 72 },
  { id: 'wide96', width: 96, height: 54 },
  { id: 'tall160', width: 90, height: 160 },
  { id: 'tall128', width: 72, height: 128 },
  { id: 'tall96', width: 54, height: 96 },
] as const;

export const TEMPLATE = 'Product poster for {{brand}}: {{scene}}. Headline set in {{language}}: "{{headline}}". {{copy}}\n';

export interface CampaignSpec {
  readonly name: string;
  readonly variants: number;
  readonly locales: number;
  readonly sizes: readonly { readonly id: string; readonly width: number; readonly height: number }[];
  readonly format: 'jpeg' | 'png' | 'webp';
  /** Template fields the locales do not vary: fewer unique generations when true. */
  readonly localeFreePrompt?: boolean;
}

/** Writes `<root>/templates/bench.hbs` and `<root>/campaigns/<name>/campaign.yaml`; returns the campaign folder. */
export function writeCampaign(root: string, spec: CampaignSpec): string {
  mkdirSync(join(root, 'templates'), { recursive: true });
  const template = spec.localeFreePrompt ? 'Product poster for {{brand}}: {{scene}}.\n' : TEMPLATE;
  writeFileSync(join(root, 'templates', `${spec.name}.hbs`), template);
  const locales = Object.fromEntries(
    localeTags(spec.locales).map((tag, i) => [tag, { headline: `HEADLINE ${i + 1}`, copy: `Copy line for market ${tag}.` }]),
  );
  const campaign = {
    provider: 'local',
    model: 'seedream-4.0',
    template: spec.name,
    seed: 7,
    vars: { brand: 'AQUA//ONE' },
    variants: Array.from({ length: spec.variants }, (_, i) => ({ id: `v${String(i + 1).padStart(2, '0')}`, scene: `scene number ${i + 1}, a bottle on a ledge` })),
    locales,
    sizes: spec.sizes,
    output: { format: spec.format, quality: 80 },
  };
  const dir = join(root, 'campaigns', spec.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'campaign.yaml'), stringify(campaign));
  return dir;
}

/** The environment CLI children run with: no TTY behaviour, no user config leaking in. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true', NO_COLOR: '1', ...extra };
}
