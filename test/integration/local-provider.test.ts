import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { silentLogger, systemClock, realSleep } from '../../src/core/deps.js';
import { AbortedError, ProviderError } from '../../src/core/errors.js';
import type { HttpClient } from '../../src/http/client.js';
import { SEEDREAM_RULES, checkSize } from '../../src/providers/kit/sizes.js';
import { createLocalProvider } from '../../src/providers/local/index.js';
import { MODEL_IDS } from '../../src/core/campaign.js';
import { type GenerationRequest } from '../../src/core/generation.js';
import { type ProviderContext } from '../../src/providers/types.js';
import { imageSize } from '../helpers/images.js';
import { generationRequest } from '../helpers/generation-request.js';

const provider = createLocalProvider({ env: {} });

// The local provider must never touch the network: any use of the client fails the test.
const noHttp = new Proxy({} as HttpClient, {
  get() {
    throw new Error('the local provider used the HTTP client');
  },
});

function context(signal = new AbortController().signal): ProviderContext {
  return {
    signal,
    http: noHttp,
    clock: systemClock,
    sleep: realSleep,
    logger: silentLogger,
    journal: { async submitting() {}, async submitted() {} },
    onRateLimited() {},
    deadline: Number.POSITIVE_INFINITY,
  };
}

function request(overrides: Partial<GenerationRequest> = {}, label: Partial<GenerationRequest['label']> = {}): GenerationRequest {
  const prompt = 'Studio photo of a serum bottle on wet stone, soft morning light, headline "HYDRATION, REFINED"';
  const summer = { campaign: 'summer', variant: 'hero', size: 'square', headline: 'HYDRATION, REFINED', copy: 'A weightless serum.' };
  return generationRequest({ key: 'a'.repeat(64), model: 'seedream-4.0', prompt, ...overrides }, { ...summer, ...label });
}

async function meanColour(bytes: Uint8Array): Promise<number[]> {
  const { channels } = await sharp(bytes).stats();
  return channels.slice(0, 3).map((c) => c.mean);
}

describe('local provider', () => {
  it('describes itself as free, keyless and idempotent, offering every model', () => {
    expect(provider).toMatchObject({ name: 'local', requiredEnv: [], defaultConcurrency: 2, idempotentSubmit: true });
    expect([...provider.models]).toEqual([...MODEL_IDS]);
    for (const model of MODEL_IDS) expect(provider.prices[model]).toBe(0);
  });

  it.each(MODEL_IDS)('asks %s for a size its rules accept', (model) => {
    for (const delivery of [
      { width: 1080, height: 1920 },
      { width: 1200, height: 628 },
      { width: 728, height: 90 },
    ]) {
      expect(checkSize(provider.generationSize(model, delivery), SEEDREAM_RULES[model])).toBeUndefined();
    }
  });

  it.each([
    [1024, 1024],
    [1536, 2736],
    [2736, 1536],
    [4096, 256],
  ])('renders a %ix%i JPEG', async (width, height) => {
    const result = await provider.generate(request({ size: { width, height } }), context());
    expect(await imageSize(result.bytes)).toEqual({ width, height, format: 'jpeg' });
    expect(result.cost).toBeUndefined(); // free, so the manifest lists no cost
  });

  it('returns the same bytes for the same request', async () => {
    const first = await provider.generate(request(), context());
    const second = await provider.generate(request(), context());
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
  });

  it('paints a different background for a different key', async () => {
    const a = await meanColour((await provider.generate(request({ key: 'a'.repeat(64) }), context())).bytes);
    const b = await meanColour((await provider.generate(request({ key: 'b'.repeat(64) }), context())).bytes);
    const distance = Math.hypot(...a.map((v, i) => v - b[i]!));
    expect(distance).toBeGreaterThan(10);
  });

  it('sets headline and copy in type: the text changes the image', async () => {
    const withText = await provider.generate(request(), context());
    const blank = await provider.generate(request({}, { headline: '', copy: '' }), context());
    expect(Buffer.from(withText.bytes).equals(Buffer.from(blank.bytes))).toBe(false);
  });

  it('renders markup-like, right-to-left, CJK and overlong text without failing', async () => {
    const hostile = await provider.generate(
      request({ prompt: '<span foreground="red">& unclosed <b>' }, { headline: '<b>Tom & Jerry</b> "quoted"', copy: 'a\u0000b <i>' }),
      context(),
    );
    expect((await imageSize(hostile.bytes)).format).toBe('jpeg');
    const arabic = await provider.generate(request({}, { locale: 'ar-SA', headline: 'ترطيب، بإتقان', copy: 'سيروم خفيف', direction: 'rtl' }), context());
    const japanese = await provider.generate(request({}, { locale: 'ja-JP', headline: 'ハイドレーション、洗練。', copy: '軽やかな美容液。' }), context());
    const overlong = await provider.generate(request({}, { headline: 'HYDRATION '.repeat(300), copy: 'refined '.repeat(500) }), context());
    for (const r of [arabic, japanese, overlong]) expect(await imageSize(r.bytes)).toEqual({ width: 1024, height: 1024, format: 'jpeg' });
  });

  it('puts right-to-left text on the right', async () => {
    // Only the headline differs from a blank proof, so the changed pixels are where the headline is.
    const base = request({ size: { width: 1024, height: 1024 } }, { copy: '', headline: '' });
    const inkSide = async (label: Partial<GenerationRequest['label']>) => {
      const blankRequest = { ...base, label: { ...base.label, ...label, headline: '' } };
      const blank = await sharp((await provider.generate(blankRequest, context())).bytes).raw().toBuffer();
      const text = await sharp((await provider.generate({ ...base, label: { ...base.label, ...label } }, context())).bytes).raw().toBuffer();
      let left = 0;
      let right = 0;
      // The top half only: the small print at the bottom names the locale, so it differs too.
      for (let i = 0; i < text.length / 2; i += 3) {
        if (Math.abs(text[i]! - blank[i]!) > 40) ((i / 3) % 1024 < 512 ? left++ : right++);
      }
      return { left, right };
    };
    const rtl = await inkSide({ headline: 'ترطيب', locale: 'ar-SA', direction: 'rtl' });
    const ltr = await inkSide({ headline: 'Hydration', locale: 'en-US', direction: 'ltr' });
    expect(rtl.right).toBeGreaterThan(rtl.left * 5);
    expect(ltr.left).toBeGreaterThan(ltr.right * 5);
  });

  it('throws AbortedError when aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider.generate(request(), context(controller.signal))).rejects.toBeInstanceOf(AbortedError);
  });

  it('throws AbortedError when aborted while rendering', async () => {
    const controller = new AbortController();
    const pending = provider.generate(request({ size: { width: 2048, height: 2048 } }), context(controller.signal));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
  });

  it.each([
    [0, 100],
    [100.5, 100],
    [20_000, 100],
    [8192, 8192],
  ])('refuses a %sx%s proof as invalid input', async (width, height) => {
    const error = await provider.generate(request({ size: { width, height } }), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).category).toBe('invalid_input');
  });
});
