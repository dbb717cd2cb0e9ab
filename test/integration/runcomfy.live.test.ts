import { describe, expect, it } from 'vitest';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import { createRunComfyProvider } from '../../src/providers/runcomfy/index.js';
import { imageSize } from '../helpers/images.js';

/**
 * Opt-in smoke test against the real RunComfy host (costs one image):
 * RUNCOMFY_API_KEY=... npx vitest run test/integration/runcomfy.live.test.ts
 */
describe.skipIf(!process.env['RUNCOMFY_API_KEY'])('runcomfy live', () => {
  it('generates one Seedream 4.5 image', { timeout: 360_000 }, async () => {
    const provider = createRunComfyProvider({ env: process.env });
    const http = createHttpClient();
    const taskIds: string[] = [];
    try {
      const result = await provider.generate(
        {
          key: 'live-smoke',
          provider: 'runcomfy',
          model: 'seedream-4.5',
          prompt: 'A small red paper boat on a calm blue pond, soft morning light, product photo',
          size: { width: 2048, height: 2048 },
          references: [],
          options: {},
          label: { campaign: 'live', variant: 'v', locale: 'en-US', size: 'square', headline: '', copy: '', direction: 'ltr' },
        },
        {
          signal: new AbortController().signal,
          http,
          clock: systemClock,
          sleep: realSleep,
          logger: silentLogger,
          journal: { submitting: async () => {}, submitted: async (id) => void taskIds.push(id) },
          onRateLimited: () => {},
          deadline: systemClock.now() + 300_000,
        },
      );
      expect(taskIds).toEqual([result.taskId]);
      expect(await imageSize(result.bytes)).toMatchObject({ width: 2048, height: 2048 });
    } finally {
      await http.close();
    }
  });
});
