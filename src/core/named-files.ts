import { extname, resolve } from 'node:path';
import type { ResolvedCampaign } from './campaign.js';

/**
 * The files a campaign's settings name, resolved: its template, the fonts and images of its text
 * and layers, its reference images. They may sit anywhere in the project (a brand folder, a font
 * package under node_modules): what `pressroom dev` watches and what a kept no-op outcome
 * (cache/replay.ts) checks besides the project's own folders.
 */
export function namedFiles(campaign: ResolvedCampaign): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (extname(value) !== '' && !value.includes('\n') && !/^[a-z]+:\/\//i.test(value)) found.push(resolve(campaign.dir, value));
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) Object.values(value).forEach(walk);
  };
  walk(campaign.text);
  walk(campaign.layers);
  for (const r of campaign.references) if (r.kind === 'file') found.push(r.path);
  return [...new Set([campaign.template.file, ...found])];
}
