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
    expect(JSON.parse(build.stdout).campaigns).toEqual([expect.objectContaining({ name: 'spring-sale', assets: 4, failed: 0 })]);
    expect(existsSync(join(project.dir, 'out', 'spring-sale', 'de-DE', 'hero-story.png'))).toBe(true);
  });

  it('refuses a folder that exists and a name that is not one (exit 2)', async () => {
    const again = await cli(project.dir, ['init', 'spring-sale']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/campaigns\/spring-sale already exists/);
    expect((await cli(project.dir, ['init', '../escape'])).code).toBe(2);
  });
});
