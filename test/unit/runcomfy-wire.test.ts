import { describe, expect, it } from 'vitest';
import type { Reference } from '../../src/core/campaign.js';
import { createRunComfyProvider } from '../../src/providers/runcomfy/index.js';
import {
  buildSubmit,
  checkRunComfyReferences,
  outputUrl,
  presetsFor,
  runComfyGenerationSize,
  stateOf,
  checkRunComfyOptions,
} from '../../src/providers/runcomfy/wire.js';

const png = (bytes = 100, mime: 'image/png' | 'image/jpeg' | 'image/webp' = 'image/png'): Reference => ({
  kind: 'file',
  path: '/refs/a.png',
  sha256: 'x',
  mime,
  bytes: new Uint8Array(bytes).fill(7),
  width: 64,
  height: 64,
});

describe('runcomfy provider info', () => {
  const provider = createRunComfyProvider({ env: {} });

  it('offers only the documented models', () => {
    expect([...provider.models].sort()).toEqual(['seedream-4.5', 'seedream-5-lite']);
    expect(provider.idempotentSubmit).toBe(false);
    expect(provider.requiredEnv).toEqual(['RUNCOMFY_API_KEY']);
  });
});

describe('runComfyGenerationSize', () => {
  it.each([
    [1080, 1080, 2048, 2048],
    [1080, 1920, 1440, 2560],
    [1920, 1080, 2560, 1440],
    [1200, 900, 2304, 1728],
    [1080, 1350, 1728, 2304], // 4:5 is nearest to 3:4
    [2520, 1080, 3024, 1296], // 21:9
    [1200, 628, 2560, 1440], // 1.91:1 is nearest to 16:9
    [728, 90, 3024, 1296], // a leaderboard banner gets the widest preset
    [3000, 3000, 4096, 4096], // larger than 2K square: the 4K square covers it
  ])('%ix%i -> %ix%i for 4.5', (w, h, gw, gh) => {
    expect(runComfyGenerationSize('seedream-4.5', { width: w, height: h })).toEqual({ width: gw, height: gh });
  });

  it('never picks 4096x4096 for 5-lite (over its pixel limit)', () => {
    expect(presetsFor('seedream-5-lite').some((p) => p.width === 4096)).toBe(false);
    expect(runComfyGenerationSize('seedream-5-lite', { width: 3000, height: 3000 })).toEqual({ width: 2048, height: 2048 });
  });
});

describe('buildSubmit', () => {
  it('sends the enumerated resolution string and the prompt to the text-to-image id', () => {
    const submit = buildSubmit('seedream-4.5', 'a cat', { width: 1440, height: 2560 }, [], {});
    expect(submit).toEqual({
      modelPath: 'bytedance/seedream-4-5/text-to-image',
      body: { resolution: '1440x2560 (9:16)', prompt: 'a cat' },
    });
  });

  it('maps a size outside the enumeration to the nearest preset', () => {
    const submit = buildSubmit('seedream-4.5', 'a cat', { width: 1080, height: 1920 }, [], {});
    expect(submit).toMatchObject({ modelPath: 'bytedance/seedream-4-5/text-to-image', body: { resolution: '1440x2560 (9:16)' } });
  });

  it('sends only the fields each schema documents: prompt alone to 5-lite, prompt and images to edit', () => {
    expect(buildSubmit('seedream-5-lite', 'a cat', { width: 1080, height: 1920 }, [], { resolution: '4K' })).toEqual({
      modelPath: 'bytedance/seedream-5/lite/text-to-image',
      body: { prompt: 'a cat' },
    });
    const edit = buildSubmit('seedream-4.5', 'edit', { width: 2560, height: 1440 }, [{ kind: 'url', url: 'https://x.test/a.jpg' }], {});
    expect(edit).toEqual({ modelPath: 'bytedance/seedream-4-5/edit', body: { prompt: 'edit', images: ['https://x.test/a.jpg'] } });
  });

  it('plans 5-lite at its documented default, the only size it can be asked for', () => {
    expect(runComfyGenerationSize('seedream-5-lite', { width: 1080, height: 1920 })).toEqual({ width: 2048, height: 2048 });
  });

  it('allows a documented resolution in providerOptions for 4.5 only, refusing everything else', () => {
    expect(checkRunComfyOptions('seedream-4.5', { resolution: '4K' })).toEqual([]);
    expect(checkRunComfyOptions('seedream-4.5', { resolution: '1024x1024 (1:1)' }).map((p) => p.path)).toEqual(['resolution']);
    expect(checkRunComfyOptions('seedream-5-lite', { resolution: '2K', seed: 3 }).map((p) => p.path)).toEqual(['resolution', 'seed']);
  });

  it('uses the edit id with references as data URIs and https URLs', () => {
    const submit = buildSubmit('seedream-4.5', 'edit', { width: 2048, height: 2048 }, [png(3), { kind: 'url', url: 'https://x.test/a.jpg' }], {});
    expect(submit).toMatchObject({
      modelPath: 'bytedance/seedream-4-5/edit',
      body: { images: [`data:image/png;base64,${Buffer.from([7, 7, 7]).toString('base64')}`, 'https://x.test/a.jpg'] },
    });
  });

  it('lets provider options set fields but never the prompt', () => {
    const submit = buildSubmit('seedream-4.5', 'mine', { width: 2048, height: 2048 }, [], { resolution: '4K', prompt: 'theirs' });
    expect(submit).toMatchObject({ body: { resolution: '4K', prompt: 'mine' } });
  });

  it('refuses references on 5-lite (no documented edit id)', () => {
    expect(typeof buildSubmit('seedream-5-lite', 'p', { width: 2048, height: 2048 }, [png()], {})).toBe('string');
    expect(typeof buildSubmit('seedream-4.0', 'p', { width: 2048, height: 2048 }, [], {})).toBe('string');
  });
});

describe('checkRunComfyReferences', () => {
  it('accepts up to 14 PNG/JPEG files and https URLs', () => {
    const refs = [...Array.from({ length: 13 }, () => png()), { kind: 'url', url: 'https://x.test/a.png' } as const];
    expect(checkRunComfyReferences('seedream-4.5', refs)).toEqual([]);
  });

  it.each([
    ['15 references', Array.from({ length: 15 }, () => png())],
    ['a WebP file', [png(100, 'image/webp')]],
    ['a file over 10 MB', [png(10 * 1024 * 1024 + 1)]],
    ['an http URL', [{ kind: 'url', url: 'http://x.test/a.png' } as const]],
  ])('reports %s', (_name, refs) => {
    expect(checkRunComfyReferences('seedream-4.5', refs)).toHaveLength(1);
  });

  it('reports any reference for 5-lite', () => {
    expect(checkRunComfyReferences('seedream-5-lite', [png()])).toHaveLength(1);
  });
});

describe('response shapes', () => {
  it.each([
    ['in_queue', 'queued'],
    ['in_progress', 'running'],
    ['completed', 'completed'],
    ['succeeded', 'completed'],
    ['failed', 'failed'],
    ['cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['warming_up', 'unknown'],
  ])('status %s is %s', (status, state) => {
    expect(stateOf(status)).toBe(state);
  });

  it('reads output.image, falling back to output.images[0]', () => {
    expect(outputUrl({ output: { image: 'https://a' } })).toBe('https://a');
    expect(outputUrl({ output: { images: ['https://b', 'https://c'] } })).toBe('https://b');
    expect(outputUrl({ output: null })).toBeUndefined();
  });
});
