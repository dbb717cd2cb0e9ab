import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCampaigns } from '../../src/commands/prepare.js';
import { runBuild } from '../../src/commands/build.js';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import type { Provider } from '../../src/providers/types.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { silentReporter } from '../../src/report/progress.js';
import { makeImage } from '../helpers/images.js';
import { makeProject } from '../helpers/project.js';

/** A provider that ignores the requested size, as presets do: 1000x700 whatever was asked. */
function presetProvider(calls: string[]): Provider {
  const local = createLocalProvider({ env: {} });
  return {
    ...local,
    async generate(request) {
      calls.push(request.key);
      return { bytes: await makeImage(1000, 700, 'jpeg', calls.length), taskId: `t${calls.length}`, cost: 0.02 };
    },
  };
}

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject();
});
afterAll(() => project.cleanup());

async function build(calls: string[]) {
  const provider = presetProvider(calls);
  const prepared = await prepareCampaigns({ projectRoot: project.dir, cwd: project.dir, paths: [], filter: {}, env: {}, providerFor: () => provider, requireKeys: true });
  const http = createHttpClient();
  try {
    return await runBuild(
      prepared,
      { cwd: project.dir, outRoot: join(project.dir, 'out'), cacheDir: join(project.dir, '.pressroom', 'cache'), force: false, jobTimeoutMs: 60_000, stop: new AbortController(), abort: new AbortController().signal },
      { http, clock: systemClock, sleep: realSleep, logger: silentLogger, reporter: silentReporter },
    );
  } finally {
    await http.close();
  }
}

describe('a provider that returns another size than asked', () => {
  it('derives every delivery size from what came back and records it', async () => {
    const calls: string[] = [];
    const result = await build(calls);
    expect(result.campaigns[0]).toMatchObject({ assets: 9, failed: 0 });
    expect(calls).toHaveLength(6);
    const manifest = JSON.parse(readFileSync(join(project.dir, 'out', 'demo', 'manifest.json'), 'utf8')) as CampaignManifest;
    for (const asset of manifest.assets) {
      expect(asset.generation).toMatchObject({ width: 1000, height: 700 });
      const meta = await sharp(join(project.dir, 'out', 'demo', asset.file)).metadata();
      expect([meta.width, meta.height]).toEqual([asset.width, asset.height]);
    }
    // Cost is counted once per generation, not once per asset cut from it.
    expect(manifest.totalCost).toBeCloseTo(0.02 * 6);
    expect(manifest.assets.reduce((s, a) => s + (a.cost ?? 0), 0)).toBeCloseTo(0.02 * 9);

    const again: string[] = [];
    await build(again);
    expect(again).toEqual([]);
  });
});
