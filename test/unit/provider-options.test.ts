import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/core/errors.js';
import { checkRunwareOptions } from '../../src/providers/runware/options.js';
import { checkRunningHubOptions } from '../../src/providers/runninghub/wire.js';

describe('Runware providerOptions allow-list', () => {
  it('accepts the settings Pressroom understands', () => {
    const options = { outputFormat: 'webp', outputQuality: 90, numberResults: 4, providerSettings: { bytedance: { optimizePromptMode: 'fast' } } };
    expect(checkRunwareOptions('seedream-4.5', options)).toEqual([]);
  });

  it('refuses maxSequentialImages, which bills several images and keeps one', () => {
    const problems = checkRunwareOptions('seedream-4.5', { providerSettings: { bytedance: { maxSequentialImages: 4 } } });
    expect(problems.map((p) => p.path)).toEqual(['providerSettings.bytedance.maxSequentialImages']);
    expect(problems[0]!.facts).toEqual({ provider: 'runware', option: 'providerSettings.bytedance.maxSequentialImages', known: expect.arrayContaining(['outputFormat']) });
    expect(messageOf('E_PROVIDER_OPTION', problems[0]!.facts)).toContain('not a setting Pressroom understands');
  });

  it('refuses unknown keys at any depth and values out of range', () => {
    const problems = checkRunwareOptions('seedream-4.5', { steps: 30, outputQuality: 100, numberResults: 0, providerSettings: { other: {} }, webhookURL: 'http://x' });
    expect(problems.map((p) => p.path).sort()).toEqual(['numberResults', 'outputQuality', 'providerSettings.other', 'steps', 'webhookURL']);
  });
});

describe('RunningHub providerOptions', () => {
  it('refuses every key: the Seedream endpoints document none beyond what the adapter sets', () => {
    expect(checkRunningHubOptions('seedream-4.5', {})).toEqual([]);
    expect(checkRunningHubOptions('seedream-4.5', { watermark: false, seed: 3 }).map((p) => p.path)).toEqual(['watermark', 'seed']);
  });
});
