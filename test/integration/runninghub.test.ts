import { describe, expect, it } from 'vitest';
import type { Reference, ModelId } from '../../src/core/campaign.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { useRunningHub, fileReference } from '../helpers/runninghub-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunningHub();

describe('RunningHub adapter: happy paths', () => {
  it('generates text-to-image: bearer auth, documented fields, one poll after one interval, image of the requested size', async () => {
    const fake = h.context();
    const result = await h.provider.generate(h.request({ size: { width: 2560, height: 1440 } }), fake.ctx);

    expect(await imageSize(result.bytes)).toEqual({ width: 2560, height: 1440, format: 'png' });
    expect(result.taskId).toBe(h.emu.tasks()[0]!.id);
    expect(result.cost).toBe(0.04);
    const [submit] = h.emu.submissions();
    expect(submit!.path).toBe('/openapi/v2/seedream-v4.5/text-to-image');
    expect(submit!.headers['authorization']).toBe(`Bearer ${h.emu.apiKey}`);
    expect(submit!.json).toEqual({
      prompt: 'a red bicycle against a white wall',
      width: 2560,
      height: 1440,
      sequentialImageGeneration: 'disabled',
      maxImages: 1,
    });
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }, { kind: 'submitted', taskId: result.taskId }]);
    // Nothing learned yet: the first poll comes after 1 s, not RunningHub's 5 s.
    expect(fake.sleeps[0]).toBe(1_000);
    expect(h.emu.server.count('query')).toBe(1);
    const download = h.emu.requests.find((r) => r.route === 'download')!;
    expect(download.headers['authorization']).toBeUndefined();
  });

  it.each<[ModelId, string, { width: number; height: number }]>([
    ['seedream-4.0', 'seedream-v4', { width: 1280, height: 720 }],
    ['seedream-4.5', 'seedream-v4.5', { width: 2048, height: 2048 }],
    ['seedream-5-lite', 'seedream-v5-lite', { width: 2720, height: 1536 }],
  ])('maps %s to the %s endpoint', async (model, endpoint, size) => {
    await h.provider.generate(h.request({ model, size }), h.context().ctx);
    expect(h.emu.submissions()[0]!.path).toBe(`/openapi/v2/${endpoint}/text-to-image`);
  });

  it('passes the planned generation size for every model through the emulator validation', async () => {
    for (const model of h.provider.models) {
      for (const delivery of [{ width: 1080, height: 1920 }, { width: 1200, height: 628 }, { width: 300, height: 250 }, { width: 3000, height: 1000 }]) {
        const size = h.provider.generationSize(model, delivery);
        const result = await h.provider.generate(h.request({ model, size, prompt: `${model} ${delivery.width}` }), h.context().ctx);
        expect(await imageSize(result.bytes)).toMatchObject(size);
      }
    }
  });

  it('reports status changes while the task advances through its lifecycle', async () => {
    await h.start({ latencyMs: 400 });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    const statuses = fake.progress.filter((p) => p.kind === 'status').map((p) => (p as { status: string }).status);
    expect(statuses.at(-1)).toBe('SUCCESS');
    expect(statuses.length).toBeGreaterThan(1);
    expect(fake.progress[0]).toEqual({ kind: 'submitted', taskId: h.emu.tasks()[0]!.id });
  });

  it('answers RUNNING at submit, as the seed page shows, and the adapter still polls to the end', async () => {
    const res = await fetch(`${h.emu.baseUrl}/seedream-v4.5/text-to-image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'raw', width: 2048, height: 2048 }),
    });
    expect(((await res.json()) as { status: string }).status).toBe('RUNNING');
    await h.start({ latencyMs: 60 });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.server.count('query')).toBeGreaterThan(0);
  });

  it('walks the documented lifecycle CREATE, QUEUED, RUNNING, SUCCESS', async () => {
    // The emulator's clock moves 10 ms per request: CREATE lasts the task's first ten requests.
    await h.start({ latencyMs: 1_000 });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    const statuses = [...new Set(fake.progress.filter((p) => p.kind === 'status').map((p) => (p as { status: string }).status))];
    expect(statuses).toEqual(['CREATE', 'QUEUED', 'RUNNING', 'SUCCESS']);
    // Polled until the hundredth request after the submit, however slowly the machine ran them.
    expect(h.emu.server.count('query')).toBe(100);
  });

  it('reports a task RunningHub cancelled (CANCEL) as cancelled, without resubmitting', async () => {
    await h.start({ latencyMs: 60_000 });
    h.emu.inject('query', { kind: 'custom', name: 'cancel' });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.message).toContain('cancelled');
    expect(err.taskId).toBe(h.emu.tasks()[0]!.id);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('honours config.pollIntervalMs', async () => {
    await h.start({}, { pollIntervalMs: 250 });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    expect(fake.sleeps[0]).toBe(250);
  });
});

describe('RunningHub adapter: references', () => {
  it('inlines a small local file as a data URI on the image-to-image endpoint', async () => {
    const png = await makeImage(64, 64);
    await h.provider.generate(h.request({ references: [fileReference(png)] }), h.context().ctx);
    const [body] = h.submitBodies();
    expect(h.emu.submissions()[0]!.path).toBe('/openapi/v2/seedream-v4.5/image-to-image');
    expect(body!['imageUrls']).toEqual([`data:image/png;base64,${png.toString('base64')}`]);
    expect(h.emu.server.count('upload')).toBe(0);
  });

  it('uploads a file over 5 MB as multipart and sends the download_url; the upload is reused by the next job', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    const ref = fileReference(big, 'sha-big');
    await h.provider.generate(h.request({ references: [ref] }), h.context().ctx);
    await h.provider.generate(h.request({ references: [ref], prompt: 'second job' }), h.context().ctx);

    expect(h.emu.server.count('upload')).toBe(1);
    const upload = h.emu.requests.find((r) => r.route === 'upload')!;
    expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(upload.headers['authorization']).toBe(`Bearer ${h.emu.apiKey}`);
    const [stored] = [...h.emu.uploads.values()];
    expect(Buffer.from(stored!.bytes).equals(big)).toBe(true);
    const urls = h.submitBodies().map((b) => b['imageUrls']);
    expect(urls[0]).toEqual([expect.stringMatching(new RegExp(`^${h.emu.origin}/files/uploads/`))]);
    expect(urls[1]).toEqual(urls[0]);
  });

  it('retries a failed upload (it is safe to repeat) and submits once', async () => {
    h.emu.inject('upload', { kind: 'status', status: 500, body: { code: 500, message: 'busy' } });
    await h.provider.generate(h.request({ references: [fileReference(Buffer.alloc(6 * 1024 * 1024, 3), 'sha-retry')] }), h.context().ctx);
    expect(h.emu.server.count('upload')).toBe(2);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('passes https URL references through unchanged', async () => {
    const url = 'https://cdn.example.com/ref.jpg';
    await h.provider.generate(h.request({ references: [{ kind: 'url', url }] }), h.context().ctx);
    expect(h.submitBodies()[0]!['imageUrls']).toEqual([url]);
  });

  it('checkReferences reports count, size and format problems', () => {
    const file = (mime: 'image/png' | 'image/webp', bytes: number): Reference => ({
      kind: 'file', path: '/r', sha256: 's', mime, bytes: new Uint8Array(bytes), width: 1, height: 1,
    });
    expect(h.provider.checkReferences!('seedream-4.5', [file('image/png', 100)])).toEqual([]);
    expect(h.provider.checkReferences!('seedream-4.5', [file('image/webp', 100)])).toHaveLength(1);
    expect(h.provider.checkReferences!('seedream-4.5', [file('image/png', 11 * 1024 * 1024)])).toHaveLength(1);
    expect(h.provider.checkReferences!('seedream-4.5', Array.from({ length: 11 }, () => file('image/png', 10)))).toHaveLength(1);
  });
});
