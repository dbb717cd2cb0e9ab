import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reference } from '../../src/core/campaign.js';
import { createRunComfyProvider } from '../../src/providers/runcomfy/index.js';
import type { Provider } from '../../src/providers/types.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { providerFailure } from '../helpers/provider-context.js';
import { context, onCleanup, request, setup, submittedTaskIds } from '../helpers/runcomfy-job.js';
import { timeoutOnlyTheHang } from '../helpers/hang.js';
import { tempDir } from '../helpers/tmp.js';

describe('runcomfy adapter against its emulator', () => {
  it('generates text-to-image at the enumerated resolution and downloads it without the key', async () => {
    const { emu, provider } = await setup();
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);

    expect(await imageSize(result.bytes)).toMatchObject({ width: 1440, height: 2560, format: 'jpeg' });
    const [submit] = emu.requests('submit');
    expect(submit?.path).toBe('/v1/models/bytedance/seedream-4-5/text-to-image');
    expect(submit?.headers['authorization']).toBe(`Bearer ${emu.apiKey}`);
    expect(submit?.json).toEqual({ prompt: 'a lighthouse at dawn', resolution: '1440x2560 (9:16)' });
    expect(result.taskId).toBe([...emu.tasks.keys()][0]);
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }, { kind: 'submitted', taskId: result.taskId }]);
    expect(emu.requests('status').length).toBeGreaterThan(0);
    expect(emu.requests('result')).toHaveLength(1);
    const [download] = emu.requests('download');
    expect(download?.headers['authorization']).toBeUndefined();
    // Nothing learned yet: the first poll after 1 s, backing off to the skills' 2 s at most.
    expect(fake.sleeps[0]).toBe(1000);
    expect(Math.max(...fake.sleeps)).toBeLessThanOrEqual(2000);
    expect(fake.progress.map((p) => p.kind)).toContain('downloading');
  });

  it('uses config.pollIntervalMs instead of the recommended cadence', async () => {
    const { provider } = await setup({}, 100);
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(new Set(fake.sleeps)).toEqual(new Set([100]));
  });

  it('sends a local reference file to the edit model as a data URI', async () => {
    const { emu, provider } = await setup();
    const { dir, cleanup } = await tempDir();
    onCleanup(cleanup);
    const path = join(dir, 'product.png');
    await writeFile(path, await makeImage(64, 48, 'png', 3));
    const bytes = new Uint8Array(await readFile(path));
    const reference: Reference = { kind: 'file', path, sha256: 'unused', mime: 'image/png', bytes, width: 64, height: 48 };
    const url: Reference = { kind: 'url', url: 'https://cdn.example.com/logo.jpg' };

    const fake = context();
    const result = await provider.generate(request({ references: [reference, url], size: { width: 2048, height: 2048 } }), fake.ctx);

    expect(await imageSize(result.bytes)).toMatchObject({ width: 2048, height: 2048 });
    const [submit] = emu.requests('submit');
    expect(submit?.path).toBe('/v1/models/bytedance/seedream-4-5/edit');
    const images = (submit?.json as { images: string[] }).images;
    expect(images).toEqual([`data:image/png;base64,${Buffer.from(bytes).toString('base64')}`, 'https://cdn.example.com/logo.jpg']);
  });

  it('reads output.images[0] and the succeeded spelling (5-lite)', async () => {
    const { emu, provider } = await setup({ outputField: 'images', americanSpelling: true });
    const fake = context();
    const result = await provider.generate(request({ model: 'seedream-5-lite', size: { width: 2048, height: 2048 } }), fake.ctx);
    expect(await imageSize(result.bytes)).toMatchObject({ width: 2048, height: 2048 });
    expect(emu.requests('submit')[0]?.path).toBe('/v1/models/bytedance/seedream-5/lite/text-to-image');
    // 5-lite's schema documents `prompt` alone.
    expect(emu.requests('submit')[0]?.json).toEqual({ prompt: 'a lighthouse at dawn' });
  });

  it('runs jobs concurrently, submitting each prompt once', async () => {
    const { emu, provider } = await setup();
    const prompts = Array.from({ length: 8 }, (_, i) => `prompt ${i}`);
    await Promise.all(prompts.map((prompt) => provider.generate(request({ prompt }), context().ctx)));
    for (const prompt of prompts) expect(emu.submissions(prompt)).toBe(1);
  });
});

describe('runcomfy submit faults', () => {
  it('retries HTTP 429 on submit after the Retry-After wait and tells the scheduler', async () => {
    const { emu, provider } = await setup();
    emu.inject('submit', { kind: 'custom', name: 'rate_limit', data: { retryAfter: 3 } }, 2);
    const fake = context();
    await provider.generate(request(), fake.ctx);

    expect(emu.requests('submit')).toHaveLength(3);
    expect(emu.submissions()).toBe(1);
    expect(fake.rateLimited).toEqual([3000, 3000]);
    expect(fake.sleeps.slice(0, 2)).toEqual([3000, 3000]);
    expect(fake.journalEvents.filter((e) => e.kind === 'submitting')).toHaveLength(3);
  });

  it('waits out the emulator concurrency cap (429 + Retry-After) before submitting', async () => {
    const { emu, provider } = await setup({ maxActiveTasks: 1, retryAfterSeconds: 2, latencyMs: 150 });
    emu.createTask('someone else');
    const sleeps: number[] = [];
    // The emulator's time follows the adapter's waits: the cap frees up while it waits.
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      emu.clock.advance(ms);
    };
    const fake = context({ sleep });
    await provider.generate(request(), fake.ctx);

    expect(emu.requests('submit').length).toBeGreaterThan(1);
    expect(emu.submissions('a lighthouse at dawn')).toBe(1);
    expect(sleeps[0]).toBe(2000);
    expect(fake.rateLimited[0]).toBe(2000);
  });

  it.each([
    ['HTTP 500', { kind: 'status', status: 500, body: { error_code: 500001, error_message: 'Internal Error' } }, 'transient'],
    ['HTTP 502 text', { kind: 'status', status: 502, body: 'Redis lock timeout' }, 'transient'],
    ['a connection reset', { kind: 'reset' }, 'transient'],
    ['malformed JSON', { kind: 'malformed' }, 'transient'],
  ] as const)('does not resubmit after %s (the task may exist)', async (_name, fault, category) => {
    const { emu, provider } = await setup();
    emu.inject('submit', fault);
    const fake = context();
    const err = await providerFailure(provider.generate(request(), fake.ctx));

    expect(err.category).toBe(category);
    expect(err.mayHaveReachedServer).toBe(true);
    expect(emu.requests('submit')).toHaveLength(1);
    expect(fake.sleeps).toEqual([]);
    expect(submittedTaskIds(fake.journalEvents)).toEqual([]);
  });

  it('does not resubmit after a hung submit times out', async () => {
    const { emu, provider } = await setup();
    emu.inject('submit', { kind: 'hang' });
    const http = timeoutOnlyTheHang(emu.server, 300);
    onCleanup(() => http.close());
    const err = await providerFailure(provider.generate(request(), context({ http }).ctx));
    expect(err.category).toBe('timeout');
    expect(emu.requests('submit')).toHaveLength(1);
  });

  it('treats a 200 with a top-level error_code as an error', async () => {
    const { emu, provider } = await setup();
    emu.inject('submit', { kind: 'custom', name: 'error_code_200', data: { error_code: 400002, error_message: 'Insufficient resources' } });
    const err = await providerFailure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('quota');
    expect(err.providerCode).toBe('400002');
  });

  it('reports a wrong key as auth, without echoing the key', async () => {
    const { emu } = await setup();
    const secret = 'sk-wrong-key-123456';
    const provider = createRunComfyProvider({ env: { RUNCOMFY_API_KEY: secret, RUNCOMFY_BASE_URL: emu.baseUrl } });
    const fake = context();
    const err = await providerFailure(provider.generate(request(), fake.ctx));

    expect(err.category).toBe('auth');
    expect(err.providerCode).toBe('401001');
    expect(err.httpStatus).toBe(401);
    expect(emu.requests('submit')[0]?.headers['authorization']).toBe(`Bearer ${secret}`);
    expect(emu.requests('submit')).toHaveLength(1);
    expect(JSON.stringify({ message: err.message, details: err.details(), logs: fake.logs })).not.toContain(secret);
  });

  it('reports the emulator validation of the resolution enumeration as invalid_input', async () => {
    const { emu, provider } = await setup();
    const err = await providerFailure(
      provider.generate(request({ options: { resolution: '1024x1024 (1:1)' } }), context().ctx),
    );
    expect(err.category).toBe('invalid_input');
    expect(err.providerCode).toBe('422001');
    expect(emu.submissions()).toBe(0);
  });

  it('is refused (422 extra_forbidden) by the emulator when a field the schema does not document is sent', async () => {
    const { emu } = await setup();
    const res = await fetch(`${emu.baseUrl}/models/bytedance/seedream-4-5/edit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'p', images: ['https://x.test/a.jpg'], resolution: '2048x2048 (1:1)' }),
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('extra_forbidden');
  });

  it('refuses a model it does not offer before any request', async () => {
    const { emu, provider } = await setup();
    const err = await providerFailure(provider.generate(request({ model: 'seedream-4.0' }), context().ctx));
    expect(err.category).toBe('invalid_input');
    expect(emu.server.requests).toHaveLength(0);
  });
});

// Keeps the Provider type honest: the factory's result must satisfy the interface.
const _typed: Provider = createRunComfyProvider({ env: {} });
void _typed;
