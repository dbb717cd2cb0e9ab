import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import type { Reference, ModelId } from '../../src/core/campaign.js';
import { createRunningHubProvider } from '../../src/providers/runninghub/index.js';
import type { GenerationRequest } from '../../src/core/generation.js';
import type { Provider } from '../../src/providers/types.js';
import { startRunningHubEmulator, type RunningHubEmulator, type RunningHubEmulatorOptions } from '../helpers/emulators/runninghub.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { makeContext, type ContextOverrides, type FakeContext, providerFailure } from '../helpers/provider-context.js';

let emu: RunningHubEmulator;
let provider: Provider;
const contexts: FakeContext[] = [];

async function setup(options: RunningHubEmulatorOptions = {}, pollIntervalMs?: number): Promise<void> {
  await emu?.close();
  emu = await startRunningHubEmulator({ latencyMs: 0, ...options });
  provider = createRunningHubProvider({
    env: { RUNNINGHUB_API_KEY: emu.apiKey, RUNNINGHUB_BASE_URL: emu.baseUrl },
    ...(pollIntervalMs ? { pollIntervalMs } : {}),
    random: () => 0.5,
  });
}

function context(overrides: ContextOverrides = {}): FakeContext {
  const fake = makeContext(overrides);
  contexts.push(fake);
  return fake;
}

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    key: 'job-1',
    provider: 'runninghub',
    model: 'seedream-4.5',
    prompt: 'a red bicycle against a white wall',
    size: { width: 2048, height: 2048 },
    references: [],
    options: {},
    label: { campaign: 'c', variant: 'v', locale: 'en', size: 's', headline: 'h', copy: 'c', direction: 'ltr' },
    ...overrides,
  };
}

const failure = providerFailure;

async function fileReference(bytes: Buffer, sha256 = 'sha-small'): Promise<Reference> {
  return { kind: 'file', path: '/refs/product.png', sha256, mime: 'image/png', bytes, width: 64, height: 64 };
}

const submitBodies = () => emu.submissions().map((r) => r.json as Record<string, unknown>);

beforeEach(async () => setup());
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await emu.close();
});

describe('RunningHub adapter: happy paths', () => {
  it('generates text-to-image: bearer auth, documented fields, one poll after one interval, image of the requested size', async () => {
    const fake = context();
    const result = await provider.generate(request({ size: { width: 2560, height: 1440 } }), fake.ctx);

    expect(await imageSize(result.bytes)).toEqual({ width: 2560, height: 1440, format: 'png' });
    expect(result.taskId).toBe(emu.tasks()[0]!.id);
    expect(result.cost).toBe(0.04);
    const [submit] = emu.submissions();
    expect(submit!.path).toBe('/openapi/v2/seedream-v4.5/text-to-image');
    expect(submit!.headers['authorization']).toBe(`Bearer ${emu.apiKey}`);
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
    expect(emu.server.count('query')).toBe(1);
    const download = emu.requests.find((r) => r.route === 'download')!;
    expect(download.headers['authorization']).toBeUndefined();
  });

  it.each<[ModelId, string, { width: number; height: number }]>([
    ['seedream-4.0', 'seedream-v4', { width: 1280, height: 720 }],
    ['seedream-4.5', 'seedream-v4.5', { width: 2048, height: 2048 }],
    ['seedream-5-lite', 'seedream-v5-lite', { width: 2720, height: 1536 }],
  ])('maps %s to the %s endpoint', async (model, endpoint, size) => {
    await provider.generate(request({ model, size }), context().ctx);
    expect(emu.submissions()[0]!.path).toBe(`/openapi/v2/${endpoint}/text-to-image`);
  });

  it('passes the planned generation size for every model through the emulator validation', async () => {
    for (const model of provider.models) {
      for (const delivery of [{ width: 1080, height: 1920 }, { width: 1200, height: 628 }, { width: 300, height: 250 }, { width: 3000, height: 1000 }]) {
        const size = provider.generationSize(model, delivery);
        const result = await provider.generate(request({ model, size, prompt: `${model} ${delivery.width}` }), context().ctx);
        expect(await imageSize(result.bytes)).toMatchObject(size);
      }
    }
  });

  it('reports status changes while the task advances through its lifecycle', async () => {
    await setup({ latencyMs: 400 });
    const fake = context({ sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 15))) });
    await provider.generate(request(), fake.ctx);
    const statuses = fake.progress.filter((p) => p.kind === 'status').map((p) => (p as { status: string }).status);
    expect(statuses.at(-1)).toBe('SUCCESS');
    expect(statuses.length).toBeGreaterThan(1);
    expect(fake.progress[0]).toEqual({ kind: 'submitted', taskId: emu.tasks()[0]!.id });
  });

  it('answers RUNNING at submit, as the seed page shows, and the adapter still polls to the end', async () => {
    const res = await fetch(`${emu.baseUrl}/seedream-v4.5/text-to-image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'raw', width: 2048, height: 2048 }),
    });
    expect(((await res.json()) as { status: string }).status).toBe('RUNNING');
    await setup({ latencyMs: 60 });
    const result = await provider.generate(request(), context({ sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 15))) }).ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.server.count('query')).toBeGreaterThan(0);
  });

  it('walks the documented lifecycle CREATE, QUEUED, RUNNING, SUCCESS', async () => {
    // CREATE lasts the first tenth of the task: 100 ms here, polled every 10 ms.
    await setup({ latencyMs: 1_000 });
    const fake = context({ sleep: () => new Promise((r) => setTimeout(r, 10)) });
    await provider.generate(request(), fake.ctx);
    const statuses = [...new Set(fake.progress.filter((p) => p.kind === 'status').map((p) => (p as { status: string }).status))];
    expect(statuses).toEqual(['CREATE', 'QUEUED', 'RUNNING', 'SUCCESS']);
  });

  it('reports a task RunningHub cancelled (CANCEL) as cancelled, without resubmitting', async () => {
    await setup({ latencyMs: 60_000 });
    emu.inject('query', { kind: 'custom', name: 'cancel' });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.message).toContain('cancelled');
    expect(err.taskId).toBe(emu.tasks()[0]!.id);
    expect(emu.submissions()).toHaveLength(1);
  });

  it('honours config.pollIntervalMs', async () => {
    await setup({}, 250);
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(fake.sleeps[0]).toBe(250);
  });
});

describe('RunningHub adapter: references', () => {
  it('inlines a small local file as a data URI on the image-to-image endpoint', async () => {
    const png = await makeImage(64, 64);
    await provider.generate(request({ references: [await fileReference(png)] }), context().ctx);
    const [body] = submitBodies();
    expect(emu.submissions()[0]!.path).toBe('/openapi/v2/seedream-v4.5/image-to-image');
    expect(body!['imageUrls']).toEqual([`data:image/png;base64,${png.toString('base64')}`]);
    expect(emu.server.count('upload')).toBe(0);
  });

  it('uploads a file over 5 MB as multipart and sends the download_url; the upload is reused by the next job', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    const ref = await fileReference(big, 'sha-big');
    await provider.generate(request({ references: [ref] }), context().ctx);
    await provider.generate(request({ references: [ref], prompt: 'second job' }), context().ctx);

    expect(emu.server.count('upload')).toBe(1);
    const upload = emu.requests.find((r) => r.route === 'upload')!;
    expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data/);
    expect(upload.headers['authorization']).toBe(`Bearer ${emu.apiKey}`);
    const [stored] = [...emu.uploads.values()];
    expect(Buffer.from(stored!.bytes).equals(big)).toBe(true);
    const urls = submitBodies().map((b) => b['imageUrls']);
    expect(urls[0]).toEqual([expect.stringMatching(new RegExp(`^${emu.origin}/files/uploads/`))]);
    expect(urls[1]).toEqual(urls[0]);
  });

  it('retries a failed upload (it is safe to repeat) and submits once', async () => {
    emu.inject('upload', { kind: 'status', status: 500, body: { code: 500, message: 'busy' } });
    await provider.generate(request({ references: [await fileReference(Buffer.alloc(6 * 1024 * 1024, 3), 'sha-retry')] }), context().ctx);
    expect(emu.server.count('upload')).toBe(2);
    expect(emu.submissions()).toHaveLength(1);
  });

  it('passes https URL references through unchanged', async () => {
    const url = 'https://cdn.example.com/ref.jpg';
    await provider.generate(request({ references: [{ kind: 'url', url }] }), context().ctx);
    expect(submitBodies()[0]!['imageUrls']).toEqual([url]);
  });

  it('checkReferences reports count, size and format problems', () => {
    const file = (mime: 'image/png' | 'image/webp', bytes: number): Reference => ({
      kind: 'file', path: '/r', sha256: 's', mime, bytes: new Uint8Array(bytes), width: 1, height: 1,
    });
    expect(provider.checkReferences!('seedream-4.5', [file('image/png', 100)])).toEqual([]);
    expect(provider.checkReferences!('seedream-4.5', [file('image/webp', 100)])).toHaveLength(1);
    expect(provider.checkReferences!('seedream-4.5', [file('image/png', 11 * 1024 * 1024)])).toHaveLength(1);
    expect(provider.checkReferences!('seedream-4.5', Array.from({ length: 11 }, () => file('image/png', 10)))).toHaveLength(1);
  });
});

describe('RunningHub adapter: submit faults', () => {
  it('does not resubmit after a 5xx: the task may exist', async () => {
    emu.inject('submit', { kind: 'status', status: 502, body: { message: 'bad gateway' } });
    const fake = context();
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.httpStatus).toBe(502);
    expect(emu.submissions()).toHaveLength(1);
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }]);
  });

  it('does not resubmit after a connection reset', async () => {
    emu.inject('submit', { kind: 'reset' });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(err.mayHaveReachedServer).toBe(true);
    expect(emu.submissions()).toHaveLength(1);
  });

  it('does not resubmit after a malformed answer', async () => {
    emu.inject('submit', { kind: 'malformed' });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(emu.submissions()).toHaveLength(1);
  });

  it('resubmits after HTTP 429, having waited what Retry-After asked', async () => {
    emu.inject('submit', { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { msg: 'slow down' } });
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(fake.sleeps[0]).toBe(3_000);
    expect(fake.rateLimited).toEqual([3_000]);
    expect(emu.submissions()).toHaveLength(2);
    expect(emu.tasks()).toHaveLength(1);
  });

  it.each(['421', '1520', '1003', '415', '1011'])('resubmits after errorCode %s in an HTTP 200, with backoff', async (code) => {
    if (code === '421') emu.inject('submit', { kind: 'custom', name: 'limit' }, 2);
    else emu.inject('submit', { kind: 'custom', name: 'code', data: { code } }, 2);
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(emu.submissions()).toHaveLength(3);
    expect(emu.tasks()).toHaveLength(1);
    expect(fake.rateLimited).toEqual([undefined, undefined]);
    const [first, second] = fake.sleeps;
    expect(first).toBeGreaterThanOrEqual(1_500);
    expect(first).toBeLessThanOrEqual(2_000);
    expect(second).toBeGreaterThanOrEqual(3_000);
    expect(second).toBeLessThanOrEqual(4_000);
    expect(fake.journalEvents.filter((e) => e.kind === 'submitting')).toHaveLength(3);
  });

  it.each(['500', '1005', '1010', '1012'])('resubmits after errorCode %s in an HTTP 200 that names no task', async (code) => {
    emu.inject('submit', { kind: 'custom', name: 'code', data: { code } }, 2);
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.submissions()).toHaveLength(3);
    expect(emu.tasks()).toHaveLength(1);
    // Not a rate limit: the scheduler is not told to slow down.
    expect(fake.rateLimited).toEqual([]);
  });

  it('does not resubmit a 5xx answer, which may have created a task', async () => {
    emu.inject('submit', { kind: 'status', status: 502, body: { msg: 'bad gateway' } });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(emu.submissions()).toHaveLength(1);
  });

  it('waits for a slot when the emulator caps active tasks', async () => {
    await setup({ latencyMs: 150, maxActiveTasks: 1 });
    const slowSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 2_000) / 40));
    const fakes = [context({ sleep: slowSleep }), context({ sleep: slowSleep })];
    const results = await Promise.all(fakes.map((f, i) => provider.generate(request({ prompt: `job ${i}` }), f.ctx)));
    expect(results).toHaveLength(2);
    expect(emu.tasks('job 0')).toHaveLength(1);
    expect(emu.tasks('job 1')).toHaveLength(1);
    expect(fakes.flatMap((f) => f.rateLimited).length).toBeGreaterThan(0);
  });

  it('retries a submit that provably never left (connection refused)', async () => {
    const deadProvider = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'k', RUNNINGHUB_BASE_URL: 'http://127.0.0.1:9/openapi/v2' } });
    const fake = context();
    const err = await failure(deadProvider.generate(request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.mayHaveReachedServer).toBe(false);
    expect(fake.sleeps.length).toBeGreaterThan(1);
  });

  it('maps a wrong key to the auth category without retrying', async () => {
    const wrong = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'wrong-key-123', RUNNINGHUB_BASE_URL: emu.baseUrl } });
    const fake = context();
    const err = await failure(wrong.generate(request(), fake.ctx));
    expect(err.category).toBe('auth');
    expect(err.providerCode).toBe('1002');
    expect(emu.submissions()).toHaveLength(1);
    expect(emu.submissions()[0]!.headers['authorization']).toBe('Bearer wrong-key-123');
    expect(err.message).not.toContain('wrong-key-123');
    expect(JSON.stringify(fake.logs)).not.toContain('wrong-key-123');
  });

  it('maps a wrong key on upload to the auth category', async () => {
    const wrong = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'wrong-key-123', RUNNINGHUB_BASE_URL: emu.baseUrl } });
    const ref = await fileReference(Buffer.alloc(6 * 1024 * 1024, 1), 'sha-auth');
    const err = await failure(wrong.generate(request({ references: [ref] }), context().ctx));
    expect(err.category).toBe('auth');
    expect(err.httpStatus).toBe(401);
    expect(emu.submissions()).toHaveLength(0);
  });

  it('reports an invalid size as invalid_input without retrying', async () => {
    const err = await failure(provider.generate(request({ size: { width: 1504, height: 1504 } }), context().ctx));
    expect(err.category).toBe('invalid_input');
    expect(err.providerCode).toBe('1007');
    expect(emu.submissions()).toHaveLength(1);
  });
});

describe('RunningHub adapter: task, poll and download faults', () => {
  it('fails a moderated prompt with the moderation category and the task id', async () => {
    await setup({ failPrompts: 'forbidden' });
    const err = await failure(provider.generate(request({ prompt: 'something forbidden' }), context().ctx));
    expect(err.category).toBe('moderation');
    expect(err.providerCode).toBe('1501');
    expect(err.taskId).toBe(emu.tasks()[0]!.id);
    expect(err.message).toContain(emu.tasks()[0]!.id);
    expect(emu.submissions()).toHaveLength(1);
  });

  it('reports a task that ends FAILED with its code, without resubmitting', async () => {
    emu.inject('submit', { kind: 'custom', name: 'fail', data: { code: '1015' } });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(err.providerCode).toBe('1015');
    expect(err.taskId).toBe(emu.tasks()[0]!.id);
    expect(emu.submissions()).toHaveLength(1);
  });

  it.each([
    ['a 5xx', { kind: 'status', status: 503 } as const],
    ['a reset', { kind: 'reset' } as const],
    ['malformed JSON', { kind: 'malformed' } as const],
    ['a slow answer', { kind: 'delay', ms: 150 } as const],
  ])('retries a poll that met %s', async (_name, fault) => {
    emu.inject('query', fault);
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.submissions()).toHaveLength(1);
    expect(emu.server.count('query')).toBe(fault.kind === 'delay' ? 1 : 2);
  });

  it('abandons a hung poll at the request timeout and asks again', async () => {
    await setup({}, 100);
    emu.inject('query', { kind: 'hang' });
    const fake = context({ deadline: 1_100 });
    const result = await provider.generate(request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.server.count('query')).toBe(2);
    expect(emu.submissions()).toHaveLength(1);
  });

  it('backs off on a query-level rate limit (errorCode 1003) and tells the scheduler', async () => {
    emu.inject('query', { kind: 'custom', name: 'code', data: { code: '1003' } });
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(fake.rateLimited).toEqual([undefined]);
    expect(emu.server.count('query')).toBe(2);
  });

  it('retries a truncated download', async () => {
    emu.inject('download', { kind: 'truncate' });
    const result = await provider.generate(request(), context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject({ width: 2048, height: 2048 });
    expect(emu.server.count('download')).toBe(2);
  });

  it('reports an expired result URL without retrying the download or resubmitting', async () => {
    emu.inject('download', { kind: 'custom', name: 'expired' });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.providerCode).toBe('RESULT_EXPIRED');
    expect(err.taskId).toBe(emu.tasks()[0]!.id);
    expect(emu.server.count('download')).toBe(1);
    expect(emu.submissions()).toHaveLength(1);
  });
});

describe('RunningHub adapter: resume, deadline, abort', () => {
  async function rawSubmit(prompt: string): Promise<string> {
    const res = await fetch(`${emu.baseUrl}/seedream-v4.5/text-to-image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt }),
    });
    return ((await res.json()) as { taskId: string }).taskId;
  }

  it('resumes a prior task without submitting, asking at once', async () => {
    const taskId = await rawSubmit('from a killed build');
    const fake = context({ prior: { taskId } });
    const result = await provider.generate(request({ prompt: 'from a killed build' }), fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(emu.submissions()).toHaveLength(1); // the raw one
    expect(fake.journalEvents).toEqual([]);
    expect(fake.sleeps[0]).toBe(0);
  });

  it('submits afresh when the prior task is unknown to RunningHub', async () => {
    const fake = context({ prior: { taskId: '1999999999999999999' } });
    const result = await provider.generate(request(), fake.ctx);
    expect(result.taskId).not.toBe('1999999999999999999');
    expect(emu.tasks()).toHaveLength(1);
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }, { kind: 'submitted', taskId: result.taskId }]);
  });

  it('submits afresh when the prior task finished but its result URL expired', async () => {
    const taskId = await rawSubmit('a red bicycle against a white wall');
    emu.expireResults();
    const result = await provider.generate(request(), context({ prior: { taskId } }).ctx);
    expect(result.taskId).not.toBe(taskId);
    expect(emu.tasks()).toHaveLength(2);
  });

  it('aims the first poll of the next task at the durations learned from finished ones', async () => {
    const first = context();
    await provider.generate(request(), first.ctx);
    expect(first.sleeps).toEqual([1_000]);
    const second = context();
    await provider.generate(request({ prompt: 'a blue bicycle against a white wall' }), second.ctx);
    // Seen done at 1 s with no pending poll: it finished somewhere in 0.75..1 s; aim between.
    expect(second.sleeps).toEqual([875]);
  });

  it('ends with a timeout carrying the task id at the deadline; no cancel call exists', async () => {
    await setup({ latencyMs: 60_000 });
    const fake = context({ deadline: 12_000 });
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBe(emu.tasks()[0]!.id);
    // 1 s, growing x1.5 to the 5 s cap, the last wait cut short by the deadline.
    expect(fake.sleeps).toEqual([1_000, 1_500, 2_250, 3_375, 3_875]);
    expect(new Set(emu.requests.map((r) => r.route))).toEqual(new Set(['submit', 'query']));
  });

  it('stops with AbortedError when the build is aborted mid-poll', async () => {
    await setup({ latencyMs: 60_000 });
    const controller = new AbortController();
    const fake = context({ signal: controller.signal, onJournal: (e) => e.kind === 'submitted' && controller.abort() });
    await expect(provider.generate(request(), fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    expect(emu.server.count('query')).toBe(0);
  });

  it('gives up waiting for a slot at the deadline with a timeout and no task', async () => {
    emu.inject('submit', { kind: 'custom', name: 'limit' }, 100);
    const fake = context({ deadline: 20_000 });
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBeUndefined();
    expect(emu.tasks()).toHaveLength(0);
  });
});
