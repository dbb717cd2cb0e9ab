import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommand, assembleCommand, prepare } from '../../src/commands/api.js';
import { resolveSettings, type Settings } from '../../src/commands/settings.js';
import { makeProject } from '../helpers/project.js';

/**
 * dev hands a build the campaigns it has just read (BuildControl.prepared). A build that could pay
 * must not take them: its own prepare is where the keys are checked (and webhooks and shards set up).
 */
let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

const settingsFor = (over: Record<string, unknown>): Promise<Settings> => resolveSettings({ cwd: project.dir, env: {}, stderr: { write: () => true }, ...over }, project.dir);

describe('a build given prepared campaigns', () => {
  it('a paid provider: prepares again, and a missing key stops it before anything is written', async () => {
    const settings = await settingsFor({ provider: 'runware', outRoot: 'out-paid' });
    const prepared = await prepare(settings, ['campaigns/demo'], false);
    expect(prepared[0]!.provider.name).toBe('runware');
    const result = await buildCommand(settings, ['campaigns/demo'], { prepared });
    expect(result).toMatchObject({ status: 'invalid', exitCode: 2, campaigns: [] });
    expect(result.errors.map((e) => e.code)).toEqual(['E_ENV']);
    expect(existsSync(join(project.dir, 'out-paid'))).toBe(false);
  });

  it('the free local provider, and assembling from the cache: takes them as they are', async () => {
    const settings = await settingsFor({ outRoot: 'out-free', filter: { sizes: ['thumb'] } });
    // Read for one locale: taken as given, the build delivers that locale only, though its own filter says every one.
    const prepared = await prepare(await settingsFor({ filter: { sizes: ['thumb'], locales: ['de-DE'] } }), ['campaigns/demo'], false);
    const built = await buildCommand(settings, ['campaigns/demo'], { prepared });
    expect(built.errors).toEqual([]);
    const count = (r: typeof built) => r.campaigns[0]!.delivered;
    expect(count(built)).toMatchObject({ new: 1, leftOut: 8 });
    expect(count(await buildCommand(settings, ['campaigns/demo']))).toMatchObject({ new: 2, unchanged: 1, leftOut: 6 });
    expect(count(await assembleCommand(settings, ['campaigns/demo'], { prepared }))).toMatchObject({ new: 0, unchanged: 1, leftOut: 8 });
  });
});
