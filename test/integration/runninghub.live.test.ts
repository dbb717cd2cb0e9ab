import { describe, expect, it } from 'vitest';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import { createRunningHubProvider } from '../../src/providers/runninghub/index.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { imageSize } from '../helpers/images.js';

/**
 * Opt-in smoke test against the real RunningHub host (spends money): set RUNNINGHUB_API_KEY and,
 * for the mainland host, RUNNINGHUB_BASE_URL=https://www.runninghub.cn/openapi/v2.
 */
describe.skipIf(!process.env['RUNNINGHUB_API_KEY'])('RunningHub live', () => {
  it('generates one Seedream 4.5 image of the planned size', async () => {
    const provider = createRunningHubProvider({ env: process.env });
    const http = createHttpClient();
    const taskIds: string[] = [];
    const ctx: ProviderContext = {
      signal: new AbortController().signal,
      http,
      clock: systemClock,
      sleep: realSleep,
      logger: silentLogger,
      journal: { submitting: async () => {}, submitted: async (id) => void taskIds.push(id) },
      onRateLimited: () => {},
      deadline: systemClock.now() + 10 * 60_000,
    };
    try {
      const size = provider.generationSize('seedream-4.5', { width: 1920, height: 1080 });
      const result = await provider.generate(
        {
          key: 'live-smoke',
          provider: 'runninghub',
          model: 'seedream-4.5',
          prompt: 'A minimalist product photo of a blue ceramic mug on a white table, soft daylight',
          size,
          references: [],
          options: {},
          label: { campaign: 'live', variant: 'v', locale: 'en', size: 'hd', headline: '', copy: '', direction: 'ltr' },
        },
        ctx,
      );
      expect(result.taskId).toBe(taskIds[0]);
      const actual = await imageSize(result.bytes);
      expect(actual.width / actual.height).toBeCloseTo(size.width / size.height, 1);
    } finally {
      await http.close();
    }
  }, 11 * 60_000);
});
