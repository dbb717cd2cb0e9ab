import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { findCampaigns, resolveCampaignPath } from '../../src/manifest/find.js';
import { tempDir } from '../helpers/tmp.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-find-'));
  for (const name of ['zeta', 'alpha']) {
    mkdirSync(join(root, 'campaigns', name), { recursive: true });
    writeFileSync(join(root, 'campaigns', name, 'campaign.yaml'), 'x: 1\n');
  }
  mkdirSync(join(root, 'campaigns', 'empty'), { recursive: true });
  writeFileSync(join(root, 'campaigns', 'stray.yaml'), 'x: 1\n');
  mkdirSync(join(root, 'elsewhere', 'one'), { recursive: true });
  writeFileSync(join(root, 'elsewhere', 'one', 'campaign.yaml'), 'x: 1\n');
});
afterAll(() => cleanup());

function notFound(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems[0]!.code).toBe('E_NOT_FOUND');
    return (err as InputError).problems[0]!.message;
  }
  throw new Error('expected E_NOT_FOUND');
}

describe('findCampaigns', () => {
  it('lists campaigns/<name>/campaign.yaml, sorted, skipping folders without one and loose files', async () => {
    expect(await findCampaigns(root)).toEqual([join(root, 'campaigns/alpha/campaign.yaml'), join(root, 'campaigns/zeta/campaign.yaml')]);
  });

  it('is empty for a project without campaigns/', async () => {
    expect(await findCampaigns(join(root, 'elsewhere'))).toEqual([]);
  });
});

describe('resolveCampaignPath', () => {
  it('accepts the file, its folder, or a bare campaign name, relative to cwd', () => {
    const file = join(root, 'elsewhere/one/campaign.yaml');
    expect(resolveCampaignPath('elsewhere/one/campaign.yaml', root)).toBe(file);
    expect(resolveCampaignPath('elsewhere/one', root)).toBe(file);
    expect(resolveCampaignPath(join(root, 'elsewhere/one'), '/')).toBe(file);
    expect(resolveCampaignPath('alpha', root)).toBe(join(root, 'campaigns/alpha/campaign.yaml'));
  });

  it('reports a folder without campaign.yaml and a name that matches nothing', () => {
    expect(notFound(() => resolveCampaignPath('campaigns/empty', root))).toBe('no campaign.yaml in campaigns/empty');
    expect(notFound(() => resolveCampaignPath('nope', root))).toBe('campaign not found: nope');
    expect(notFound(() => resolveCampaignPath('../Not A Slug', root))).toBe('campaign not found: ../Not A Slug');
  });
});
