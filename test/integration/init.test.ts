import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await tempDir('pressroom-init-');
});
afterAll(() => project.cleanup());

describe('pressroom init', () => {
  it('creates a campaign with a template and the modeline that builds offline at once', async () => {
    const init = await cli(project.dir, ['init', 'spring-sale']);
    expect(init.code, init.stderr).toBe(0);
    const yaml = readFileSync(join(project.dir, 'campaigns', 'spring-sale', 'campaign.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/campaign.schema.json');
    expect(existsSync(join(project.dir, 'schema', 'campaign.schema.json'))).toBe(true);

    const build = await cli(project.dir, ['build', '--json']);
    expect(build.code, build.stderr).toBe(0);
    // Text layers: one background per size, shared by both locales.
    expect(JSON.parse(build.stdout).campaigns).toEqual([expect.objectContaining({ name: 'spring-sale', assets: 4, failed: 0, generations: expect.objectContaining({ billed: 2 }) })]);
    expect(existsSync(join(project.dir, 'out', 'spring-sale', 'de-DE', 'hero-story.png'))).toBe(true);
  });

  it('sets the headline and copy as text layers, exactly as written, and keeps them out of the prompt', () => {
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'spring-sale', 'manifest.json'), 'utf8')) as {
      assets: { locale: string; size: string; prompt: string; layers?: { field: string; text: string; lines: string[]; contrast: number }[] }[];
    };
    const strings: Record<string, Record<string, string>> = {
      'en-US': { headline: 'Drink better', copy: 'Glass inside, bamboo on top.' },
      'de-DE': { headline: 'Besser trinken', copy: 'Innen Glas, oben Bambus.' },
    };
    expect(manifest.assets).toHaveLength(4);
    for (const a of manifest.assets) {
      expect(a.layers?.map((l) => [l.field, l.text])).toEqual([['headline', strings[a.locale]!.headline], ['copy', strings[a.locale]!.copy]]);
      // Short copy: each on one line, readable over the background.
      for (const l of a.layers!) {
        expect(l.lines).toHaveLength(1);
        expect(l.contrast).toBeGreaterThanOrEqual(4.5);
      }
      expect(a.prompt).not.toContain(strings[a.locale]!.headline);
      expect(a.prompt).toMatch(/No text/);
    }
  });

  it('draws its placeholder logo, a file of the campaign, in its box on every asset', () => {
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'spring-sale', 'manifest.json'), 'utf8')) as { assets: { size: string; width: number; height: number; images?: { id: string; file: string; box: { x: number; y: number; width: number; height: number } }[] }[] };
    expect(existsSync(join(project.dir, 'campaigns', 'spring-sale', 'brand', 'logo.svg'))).toBe(true);
    for (const a of manifest.assets) {
      const [logo] = a.images!;
      expect([logo!.id, logo!.file]).toEqual(['logo', 'brand/logo.svg']);
      expect(logo!.box.x).toBe(Math.round(0.08 * a.width));
      expect(logo!.box.y + logo!.box.height).toBeLessThanOrEqual(Math.round(0.84 * a.height) + 1);
    }
  });

  it('refuses a folder that exists and a name that is not one (exit 2)', async () => {
    const again = await cli(project.dir, ['init', 'spring-sale']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/campaigns\/spring-sale already exists/);
    expect((await cli(project.dir, ['init', '../escape'])).code).toBe(2);
  });
});
