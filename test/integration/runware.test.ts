import { describe, expect, it } from 'vitest';
import type { Reference } from '../../src/core/campaign.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { useRunware, UUID_V4 } from '../helpers/runware-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunware();

describe('Runware adapter: text-to-image', () => {
  it('submits one async task, polls at the SDK cadence and downloads an image of the requested size', async () => {
    await h.start({ latencyMs: 30 });
    const fake = h.context();
    const req = h.request({ seed: 1234 });
    const result = await h.provider.generate(req, fake.ctx);

    expect(await imageSize(result.bytes)).toEqual({ ...req.size, format: 'png' });
    expect(result.taskId).toMatch(UUID_V4);
    expect(result.cost).toBe(0.04);
    expect(result.seed).toBe(1234);

    const [submit] = h.submits();
    expect(submit!.headers['authorization']).toBe(`Bearer ${h.emu.apiKey}`);
    expect(submit!.json).toEqual([
      expect.objectContaining({
        taskType: 'imageInference',
        taskUUID: result.taskId,
        model: 'bytedance:seedream@4.5',
        positivePrompt: req.prompt,
        width: req.size.width,
        height: req.size.height,
        seed: 1234,
        deliveryMethod: 'async',
        outputType: 'URL',
        outputFormat: 'PNG',
        includeCost: true,
      }),
    ]);
    const polls = h.emu.server.requests.filter((r) => r.route === 'poll');
    expect(polls.length).toBeGreaterThan(0);
    for (const p of polls) expect(p.json).toEqual([{ taskType: 'getResponse', taskUUID: result.taskId }]);
    // The result lives on a CDN: the key must not travel there.
    const downloads = h.emu.server.requests.filter((r) => r.route === 'download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.headers['authorization']).toBeUndefined();

    expect(fake.sleeps[0]).toBe(1000);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: result.taskId },
      { kind: 'submitted', taskId: result.taskId },
    ]);
    expect(h.emu.billed()).toBe(1);
  });

  it.each(['seedream-4.0', 'seedream-5-lite'] as const)('generates with %s at a size the emulator accepts', async (model) => {
    await h.start({ latencyMs: 0 });
    const req = h.request({ model, size: h.provider.generationSize(model, { width: 1200, height: 628 }) });
    const result = await h.provider.generate(req, h.context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject(req.size);
  });

  it('polls 1 s after submit, then backs off x1.5, cut short by the deadline', async () => {
    await h.start({ latencyMs: 60_000 });
    const fake = h.context({ deadline: 5_000 });
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(fake.sleeps).toEqual([1000, 1500, 2250, 250]);
    expect(h.emu.server.count('poll')).toBe(4);
  });

  it('polls at a fixed interval when pollIntervalMs is configured', async () => {
    await h.start({ latencyMs: 20 }, { pollIntervalMs: 250 });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    expect(new Set(fake.sleeps)).toEqual(new Set([250]));
  });

  it('asks for numberResults candidates in one task and returns every one, cost summed', async () => {
    await h.start({ latencyMs: 0 });
    const result = await h.provider.generate(h.request({ options: { numberResults: 3 } }), h.context().ctx);
    expect(h.submits()).toHaveLength(1);
    expect((h.submits()[0]!.json as { numberResults: number }[])[0]!.numberResults).toBe(3);
    expect(result.images).toHaveLength(3);
    expect(result.bytes).toBe(result.images![0]);
    expect(result.cost).toBeCloseTo(0.12);
    expect(result.currency).toBe('USD');
  });

  it('returns one image and no candidate list by default', async () => {
    await h.start({ latencyMs: 0 });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(result.images).toBeUndefined();
    expect((h.submits()[0]!.json as { numberResults: number }[])[0]!.numberResults).toBe(1);
  });

  it('sends JPG when providerOptions ask for it', async () => {
    await h.start({ latencyMs: 0 });
    const result = await h.provider.generate(h.request({ options: { outputFormat: 'JPG' } }), h.context().ctx);
    expect((await imageSize(result.bytes)).format).toBe('jpeg');
  });

  it('passes outputFormat WEBP and outputQuality through, and the emulator delivers WEBP', async () => {
    await h.start({ latencyMs: 0 });
    const result = await h.provider.generate(h.request({ options: { outputFormat: 'webp', outputQuality: 40 } }), h.context().ctx);
    expect(h.submits()[0]!.json).toEqual([expect.objectContaining({ outputFormat: 'WEBP', outputQuality: 40 })]);
    expect((await imageSize(result.bytes)).format).toBe('webp');
  });
});

describe('Runware adapter: image-to-image', () => {
  it('inlines a local reference as a data URI and passes a URL reference through', async () => {
    await h.start({ latencyMs: 0 });
    const bytes = await makeImage(320, 240, 'png', 3);
    const local: Reference = { kind: 'file', path: '/campaign/refs/bottle.png', sha256: 'x', mime: 'image/png', bytes, width: 320, height: 240 };
    const remote: Reference = { kind: 'url', url: 'https://assets.example.com/bg.jpg' };
    await h.provider.generate(h.request({ references: [local, remote] }), h.context().ctx);

    const refs = (h.submits()[0]!.json as { inputs: { referenceImages: string[] } }[])[0]!.inputs.referenceImages;
    expect(refs).toHaveLength(2);
    const [header, data] = refs[0]!.split(',');
    expect(header).toBe('data:image/png;base64');
    expect(Buffer.from(data!, 'base64').equals(bytes)).toBe(true);
    expect(refs[1]).toBe(remote.url);
    expect(h.emu.server.count('upload')).toBe(0);
  });
});
