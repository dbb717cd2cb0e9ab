import { describe, expect, it } from 'vitest';
import { realSleep, silentLogger, systemClock } from '../../src/core/deps.js';
import { createHttpClient } from '../../src/http/client.js';
import { createRunwareProvider } from '../../src/providers/runware/index.js';
import { imageSize } from '../helpers/images.js';

/**
 * Opt-in smoke test against the real Runware API: one Seedream 4.0 image at its smallest size
 * (about $0.03). Runs only when RUNWARE_API_KEY is set.
 */
describe.skipIf(!process.env['RUNWARE_API_KEY'])('Runware live', () => {
  it('generates and downloads one small image', async () => {
    const provider = createRunwareProvider({ env: process.env });
    const http = createHttpClient();
    const size = provider.generationSize('seedream-4.0', { width: 1280, height: 720 });
    const journal: string[] = [];
    try {
      const result = await provider.generate(
        {
          key: 'live-smoke',
          provider: 'runware',
          model: 'seedream-4.0',
          prompt: 'A minimalist product photo of a white ceramic mug on a pale blue background, soft daylight',
          size,
          references: [],
          options: {},
          label: { campaign: 'live', variant: 'v', locale: 'en-US', size: 'hd', headline: '', copy: '', direction: 'ltr' },
        },
        {
          signal: new AbortController().signal,
          http,
          clock: systemClock,
          sleep: realSleep,
          logger: silentLogger,
          journal: { submitting: async (id) => void journal.push(`submitting ${id}`), submitted: async (id) => void journal.push(`submitted ${id}`) },
          onRateLimited: () => {},
          deadline: systemClock.now() + 5 * 60_000,
        },
      );
      const meta = await imageSize(result.bytes);
      expect(meta.width).toBeGreaterThan(0);
      expect(result.taskId).toBeDefined();
      expect(journal).toEqual([`submitting ${result.taskId}`, `submitted ${result.taskId}`]);
    } finally {
      await http.close();
    }
  }, 6 * 60_000);
});
