import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import { createHttpClient } from '../../src/http/client.js';
import type { Reference, ModelId } from '../../src/core/campaign.js';
import { createRunwareProvider } from '../../src/providers/runware/index.js';
import type { GenerationRequest } from '../../src/core/generation.js';
import type { Provider } from '../../src/providers/types.js';
import { imageInferenceTask } from '../../src/providers/runware/wire.js';
import { startRunwareEmulator, type RunwareEmulator, type RunwareEmulatorOptions } from '../helpers/emulators/runware.js';
import { imageSize, makeImage } from '../helpers/images.js';
import { makeContext, type FakeContext, providerFailure } from '../helpers/provider-context.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emu: RunwareEmulator;
let provider: Provider;
let fakes: FakeContext[] = [];

async function start(options: RunwareEmulatorOptions = {}, pollIntervalMs?: number): Promise<void> {
  emu = await startRunwareEmulator(options);
  provider = createRunwareProvider({ env: { RUNWARE_API_KEY: emu.apiKey, RUNWARE_BASE_URL: emu.baseUrl }, pollIntervalMs, random: () => 0.5 });
}

function context(overrides: Parameters<typeof makeContext>[0] = {}): FakeContext {
  const fake = makeContext(overrides);
  fakes.push(fake);
  return fake;
}

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  const model: ModelId = overrides.model ?? 'seedream-4.5';
  return {
    key: 'key-1',
    provider: 'runware',
    model,
    prompt: 'a frosted glass bottle on black stone',
    size: provider.generationSize(model, { width: 1080, height: 1920 }),
    references: [],
    options: {},
    label: { campaign: 'c', variant: 'v', locale: 'en-US', size: 'story', headline: 'h', copy: '', direction: 'ltr' },
    ...overrides,
  };
}

const failure = providerFailure;

const submits = () => emu.server.requests.filter((r) => r.route === 'submit');
const submittedUuids = () => submits().map((r) => (r.json as { taskUUID: string }[])[0]!.taskUUID);

beforeEach(() => {
  fakes = [];
});

afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await emu?.close();
});

describe('Runware adapter: text-to-image', () => {
  it('submits one async task, polls at the SDK cadence and downloads an image of the requested size', async () => {
    await start({ latencyMs: 30 });
    const fake = context();
    const req = request({ seed: 1234 });
    const result = await provider.generate(req, fake.ctx);

    expect(await imageSize(result.bytes)).toEqual({ ...req.size, format: 'png' });
    expect(result.taskId).toMatch(UUID_V4);
    expect(result.cost).toBe(0.04);
    expect(result.seed).toBe(1234);

    const [submit] = submits();
    expect(submit!.headers['authorization']).toBe(`Bearer ${emu.apiKey}`);
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
    const polls = emu.server.requests.filter((r) => r.route === 'poll');
    expect(polls.length).toBeGreaterThan(0);
    for (const p of polls) expect(p.json).toEqual([{ taskType: 'getResponse', taskUUID: result.taskId }]);
    // The result lives on a CDN: the key must not travel there.
    const downloads = emu.server.requests.filter((r) => r.route === 'download');
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.headers['authorization']).toBeUndefined();

    expect(fake.sleeps[0]).toBe(1000);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: result.taskId },
      { kind: 'submitted', taskId: result.taskId },
    ]);
    expect(emu.billed()).toBe(1);
  });

  it.each(['seedream-4.0', 'seedream-5-lite'] as const)('generates with %s at a size the emulator accepts', async (model) => {
    await start({ latencyMs: 0 });
    const req = request({ model, size: provider.generationSize(model, { width: 1200, height: 628 }) });
    const result = await provider.generate(req, context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject(req.size);
  });

  it('polls 1 s after submit, then backs off x1.5, cut short by the deadline', async () => {
    await start({ latencyMs: 60_000 });
    const fake = context({ deadline: 5_000 });
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(fake.sleeps).toEqual([1000, 1500, 2250, 250]);
    expect(emu.server.count('poll')).toBe(4);
  });

  it('polls at a fixed interval when pollIntervalMs is configured', async () => {
    await start({ latencyMs: 20 }, 250);
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(new Set(fake.sleeps)).toEqual(new Set([250]));
  });

  it('asks for numberResults candidates in one task and returns every one, cost summed', async () => {
    await start({ latencyMs: 0 });
    const result = await provider.generate(request({ options: { numberResults: 3 } }), context().ctx);
    expect(submits()).toHaveLength(1);
    expect((submits()[0]!.json as { numberResults: number }[])[0]!.numberResults).toBe(3);
    expect(result.images).toHaveLength(3);
    expect(result.bytes).toBe(result.images![0]);
    expect(result.cost).toBeCloseTo(0.12);
    expect(result.currency).toBe('USD');
  });

  it('returns one image and no candidate list by default', async () => {
    await start({ latencyMs: 0 });
    const result = await provider.generate(request(), context().ctx);
    expect(result.images).toBeUndefined();
    expect((submits()[0]!.json as { numberResults: number }[])[0]!.numberResults).toBe(1);
  });

  it('sends JPG when providerOptions ask for it', async () => {
    await start({ latencyMs: 0 });
    const result = await provider.generate(request({ options: { outputFormat: 'JPG' } }), context().ctx);
    expect((await imageSize(result.bytes)).format).toBe('jpeg');
  });
});

describe('Runware adapter: image-to-image', () => {
  it('inlines a local reference as a data URI and passes a URL reference through', async () => {
    await start({ latencyMs: 0 });
    const bytes = await makeImage(320, 240, 'png', 3);
    const local: Reference = { kind: 'file', path: '/campaign/refs/bottle.png', sha256: 'x', mime: 'image/png', bytes, width: 320, height: 240 };
    const remote: Reference = { kind: 'url', url: 'https://assets.example.com/bg.jpg' };
    await provider.generate(request({ references: [local, remote] }), context().ctx);

    const refs = (submits()[0]!.json as { inputs: { referenceImages: string[] } }[])[0]!.inputs.referenceImages;
    expect(refs).toHaveLength(2);
    const [header, data] = refs[0]!.split(',');
    expect(header).toBe('data:image/png;base64');
    expect(Buffer.from(data!, 'base64').equals(bytes)).toBe(true);
    expect(refs[1]).toBe(remote.url);
    expect(emu.server.count('upload')).toBe(0);
  });
});

describe('Runware adapter: submit faults', () => {
  it('waits what Retry-After asks on HTTP 429, tells the scheduler, then submits the same task again', async () => {
    await start({ latencyMs: 0 });
    emu.inject('submit', { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { errors: [{ code: 'rateLimitExceeded', message: 'Queue capacity exceeded' }] } });
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);
    expect(fake.sleeps[0]).toBe(3000);
    expect(fake.rateLimited).toEqual([3000]);
    expect(submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(emu.billed()).toBe(1);
  });

  it('gives up with rate_limit when the concurrency cap stays full, having created no task', async () => {
    await start({ latencyMs: 60_000, maxActiveTasks: 1, retryAfterSeconds: 2 });
    const holder = request({ prompt: 'holds the only slot' });
    const aborter = new AbortController();
    const first = provider.generate(holder, context({ signal: aborter.signal, onJournal: (e) => e.kind === 'submitted' && aborter.abort() }).ctx);
    await expect(first).rejects.toBeInstanceOf(AbortedError);

    const fake = context();
    const err = await failure(provider.generate(request({ prompt: 'wants a slot' }), fake.ctx));
    expect(err.category).toBe('rate_limit');
    expect(err.httpStatus).toBe(429);
    expect(fake.sleeps.every((ms) => ms === 2000)).toBe(true);
    expect(fake.rateLimited.length).toBe(fake.sleeps.length + 1);
    expect(emu.billed('wants a slot')).toBe(0);
    expect(emu.submissions('wants a slot')).toBe(fake.sleeps.length + 1);
  });

  it('resubmits after a 5xx that never created a task: same taskUUID, one bill', async () => {
    await start({ latencyMs: 0 });
    emu.inject('submit', { kind: 'status', status: 503, body: { errors: [{ code: 'serviceUnavailable', message: 'busy' }] } });
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);
    expect(submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(emu.billed()).toBe(1);
    expect(fake.sleeps[0]).toBeGreaterThan(0); // backed off before the second submit
    expect(fake.rateLimited).toEqual([]);
  });

  it.each(['accept-then-500', 'accept-then-reset'])('survives %s: asks getResponse, finds the task, and never sends it again', async (name) => {
    // Runware does not document that a repeated taskUUID is deduplicated: here it bills it again.
    await start({ latencyMs: 0, onDuplicate: 'bill' });
    emu.inject('submit', { kind: 'custom', name });
    const result = await provider.generate(request(), context().ctx);
    expect(submittedUuids()).toEqual([result.taskId]);
    expect(emu.server.requests.find((r) => r.route === 'poll')).toBeDefined();
    expect(emu.submissions()).toBe(1);
    expect(emu.billed()).toBe(1);
  });

  it('sends the submit again, under the same taskUUID, only once getResponse says Runware does not know the task', async () => {
    await start({ latencyMs: 0, onDuplicate: 'bill' });
    emu.inject('submit', { kind: 'status', status: 502, body: { errors: [{ code: 'badGateway', message: 'Bad gateway' }] } });
    const result = await provider.generate(request(), context().ctx);
    expect(submittedUuids()).toEqual([result.taskId, result.taskId]);
    const routes = emu.server.requests.map((r) => r.route);
    expect(routes.slice(0, 3)).toEqual(['submit', 'poll', 'submit']);
    expect(emu.billed()).toBe(1);
  });

  it('retries a malformed submit answer under the same taskUUID', async () => {
    await start({ latencyMs: 0 });
    emu.inject('submit', { kind: 'malformed' });
    const result = await provider.generate(request(), context().ctx);
    expect(submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(emu.billed()).toBe(1);
  });

  it('fails an invalid size with invalid_input and does not retry it', async () => {
    await start({ latencyMs: 0 });
    const err = await failure(provider.generate(request({ size: { width: 1500, height: 1500 } }), context().ctx));
    expect(err.category).toBe('invalid_input');
    expect(err.httpStatus).toBe(400);
    expect(submits()).toHaveLength(1);
    expect(emu.billed()).toBe(0);
  });

  it('reports a wrong key as auth, once, without the key in the error', async () => {
    await start({ latencyMs: 0 });
    const wrongKey = 'wrong-secret-key-123';
    provider = createRunwareProvider({ env: { RUNWARE_API_KEY: wrongKey, RUNWARE_BASE_URL: emu.baseUrl } });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('auth');
    expect(err.providerCode).toBe('invalidApiKey');
    expect(err.httpStatus).toBe(401);
    expect(emu.server.requests).toHaveLength(1);
    expect(emu.server.requests[0]!.headers['authorization']).toBe(`Bearer ${wrongKey}`);
    expect(JSON.stringify({ message: err.message, details: err.details() })).not.toContain(wrongKey);
  });
});

describe('Runware adapter: poll and download faults', () => {
  it.each([
    ['a reset', { kind: 'reset' }],
    ['a 502', { kind: 'status', status: 502, body: '<html>bad gateway</html>' }],
    ['malformed JSON', { kind: 'malformed' }],
  ] as const)('retries a poll that meets %s, without submitting again', async (_name, fault) => {
    await start({ latencyMs: 0 });
    emu.inject('poll', fault);
    const result = await provider.generate(request(), context().ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.server.count('poll')).toBeGreaterThanOrEqual(2);
    expect(submits()).toHaveLength(1);
  });

  it('waits out a slow poll answer instead of repeating it', async () => {
    await start({ latencyMs: 0 });
    emu.inject('poll', { kind: 'delay', ms: 150 });
    const result = await provider.generate(request(), context().ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(emu.server.count('poll')).toBe(1);
  });

  it('gives up on a hung poll only after the HTTP timeout, then retries it', async () => {
    await start({ latencyMs: 0 });
    emu.inject('poll', { kind: 'hang' });
    const http = createHttpClient({ defaultTimeoutMs: 300 });
    try {
      const result = await provider.generate(request(), context({ http }).ctx);
      expect(result.bytes.length).toBeGreaterThan(0);
      expect(emu.server.count('poll')).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('re-polls when a poll itself is rate limited, and tells the scheduler', async () => {
    await start({ latencyMs: 0 });
    emu.inject('poll', { kind: 'status', status: 429, headers: { 'retry-after': '2' }, body: { errors: [{ code: 'rateLimitExceeded' }] } });
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(fake.rateLimited).toEqual([2000]);
    expect(fake.sleeps).toContain(2000);
  });

  it('downloads again after a truncated download', async () => {
    await start({ latencyMs: 0 });
    emu.inject('download', { kind: 'truncate' });
    const req = request();
    const result = await provider.generate(req, context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject(req.size);
    expect(emu.server.count('download')).toBe(2);
  });

  it('fails a task that ends in an upstream error, without resubmitting it', async () => {
    await start({ latencyMs: 0 });
    emu.inject('poll', { kind: 'custom', name: 'task-error', data: { code: 'timeoutProvider', style: 'top' } });
    const fake = context();
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.providerCode).toBe('timeoutProvider');
    expect(err.taskId).toBe((fake.journalEvents[1] as { taskId: string }).taskId);
    expect(submits()).toHaveLength(1);
  });

  it('fails a moderated prompt with the moderation category and does not retry it', async () => {
    await start({ latencyMs: 10, failPrompts: /forbidden/ });
    const err = await failure(provider.generate(request({ prompt: 'something forbidden' }), context().ctx));
    expect(err.category).toBe('moderation');
    expect(err.providerCode).toBe('providerContentPolicyViolation');
    expect(err.taskId).toMatch(UUID_V4);
    expect(emu.submissions()).toBe(1);
    expect(emu.server.count('download')).toBe(0);
  });

  it('fails with transient when a fresh result URL has already expired, without a second task', async () => {
    await start({ latencyMs: 0 });
    emu.inject('download', { kind: 'custom', name: 'expired' });
    const err = await failure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(emu.server.count('download')).toBe(1);
    expect(emu.billed()).toBe(1);
  });
});

describe('Runware adapter: resume, deadline and abort', () => {
  /** Runs a job until Runware has accepted it, then kills it, as a Ctrl-C would. */
  async function interruptedTask(req: GenerationRequest): Promise<string> {
    const aborter = new AbortController();
    const fake = context({ signal: aborter.signal, onJournal: (e) => e.kind === 'submitted' && aborter.abort() });
    await expect(provider.generate(req, fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    const submitted = fake.journalEvents.find((e) => e.kind === 'submitted');
    return (submitted as { taskId: string }).taskId;
  }

  it('resumes the prior task by polling it at once, without submitting again', async () => {
    await start({ latencyMs: 0 });
    const req = request();
    const taskId = await interruptedTask(req);
    const fake = context({ prior: { taskId, clientTaskId: taskId } });
    const result = await provider.generate(req, fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(fake.sleeps[0]).toBe(0);
    expect(fake.journalEvents).toEqual([]);
    expect(emu.submissions()).toBe(1);
  });

  it('resubmits under the same taskUUID when Runware no longer knows the prior task', async () => {
    await start({ latencyMs: 0 });
    const req = request();
    const taskId = await interruptedTask(req);
    emu.forgetTask(taskId);
    const fake = context({ prior: { taskId } });
    const result = await provider.generate(req, fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(submittedUuids()).toEqual([taskId, taskId]);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: taskId },
      { kind: 'submitted', taskId },
    ]);
  });

  it('submits a task Runware forgot again under the same taskUUID, also in a fresh job', async () => {
    await start({ latencyMs: 0 });
    const fake = context({ onJournal: (e) => e.kind === 'submitted' && fake.journalEvents.length === 2 && emu.forgetTask(e.taskId) });
    const result = await provider.generate(request(), fake.ctx);
    expect(submittedUuids()).toEqual([result.taskId, result.taskId]);
  });

  it('starts a new task when the prior task failed upstream', async () => {
    await start({ latencyMs: 0 });
    const req = request();
    const taskId = await interruptedTask(req);
    emu.inject('poll', { kind: 'custom', name: 'task-error', data: { code: 'providerError', style: 'item' } });
    const result = await provider.generate(req, context({ prior: { taskId } }).ctx);
    expect(result.taskId).not.toBe(taskId);
    expect(submittedUuids()).toEqual([taskId, result.taskId]);
  });

  it('does not retry a prior task that was moderated', async () => {
    await start({ latencyMs: 0, failPrompts: 'forbidden' });
    const req = request({ prompt: 'forbidden' });
    const taskId = await interruptedTask(req);
    const err = await failure(provider.generate(req, context({ prior: { taskId } }).ctx));
    expect(err.category).toBe('moderation');
    expect(emu.submissions()).toBe(1);
  });

  it('asks getResponse first when a killed build sent its submit but never saw the answer, and does not send it again', async () => {
    await start({ latencyMs: 0, onDuplicate: 'bill' });
    const req = request();
    const clientTaskId = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b';
    // The killed build's submit reached Runware: the task exists, the journal only says 'submitting'.
    const sent = await fetch(emu.baseUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([imageInferenceTask(req, clientTaskId).task]),
    });
    expect(sent.status).toBe(200);
    const result = await provider.generate(req, context({ prior: { clientTaskId } }).ctx);
    expect(result.taskId).toBe(clientTaskId);
    expect(emu.submissions()).toBe(1);
    expect(emu.billed()).toBe(1);
  });

  it('submits the recorded taskUUID when a killed build never got its submit out', async () => {
    await start({ latencyMs: 0 });
    const clientTaskId = '0b6c3b1e-8f3a-4d2b-9c1e-2f4a6b8c0d1e';
    const result = await provider.generate(request(), context({ prior: { clientTaskId } }).ctx);
    expect(result.taskId).toBe(clientTaskId);
    expect(submittedUuids()).toEqual([clientTaskId]);
    expect(emu.billed()).toBe(1);
  });

  it('starts a new task when the prior task finished but its result URL expired', async () => {
    await start({ latencyMs: 0 });
    const req = request();
    const first = await provider.generate(req, context().ctx);
    emu.expireResults();
    const fake = context({ prior: { taskId: first.taskId } });
    const second = await provider.generate(req, fake.ctx);
    expect(second.taskId).not.toBe(first.taskId);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: second.taskId },
      { kind: 'submitted', taskId: second.taskId },
    ]);
    expect(emu.billed()).toBe(2);
  });

  it('times out at the job deadline with the task id; there is no cancel call to make', async () => {
    await start({ latencyMs: 60_000 });
    const fake = context({ deadline: 20_000 });
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBe((fake.journalEvents[1] as { taskId: string }).taskId);
    expect(fake.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(new Set(emu.server.requests.map((r) => r.route))).toEqual(new Set(['submit', 'poll']));
  });

  it('stops polling with AbortedError when the build is aborted mid-task', async () => {
    await start({ latencyMs: 60_000 });
    const aborter = new AbortController();
    let polls = 0;
    const fake = context({
      signal: aborter.signal,
      onProgress: (e) => {
        if (e.kind === 'status' && ++polls === 1) setTimeout(() => aborter.abort(), 5);
      },
    });
    await expect(provider.generate(request(), fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    expect(emu.billed()).toBe(1);
  });
});
