import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import { timeoutOnlyTheHang } from '../helpers/hang.js';
import { imageSize } from '../helpers/images.js';
import { providerFailure } from '../helpers/provider-context.js';
import { context, failure, onCleanup, request, setup, submittedTaskIds } from '../helpers/runcomfy-job.js';

describe('runcomfy read faults', () => {
  it('retries status reads through 5xx, a reset and malformed JSON with backoff', async () => {
    const { emu, provider } = await setup({}, 2000);
    emu.inject('status', { kind: 'status', status: 503, body: { message: 'unavailable' } }, 2);
    emu.inject('status', { kind: 'reset' });
    emu.inject('status', { kind: 'malformed' });
    const fake = context();
    const result = await provider.generate(request(), fake.ctx);

    expect(result.bytes.byteLength).toBeGreaterThan(0);
    expect(emu.requests('submit')).toHaveLength(1);
    const backoffs = fake.sleeps.filter((ms) => ms !== 2000);
    expect(backoffs).toHaveLength(4);
    for (const ms of backoffs) expect(ms).toBeGreaterThan(0);
  });

  it('retries a status read answered 200 with a top-level error_code', async () => {
    const { emu, provider } = await setup();
    emu.inject('status', { kind: 'custom', name: 'error_code_200', data: { error_code: 500001, error_message: 'Internal Error' } });
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(emu.requests('status').length).toBeGreaterThan(1);
    expect(emu.requests('submit')).toHaveLength(1);
  });

  it('honours Retry-After on a 429 read and reports the rate limit', async () => {
    const { emu, provider } = await setup();
    emu.inject('result', { kind: 'custom', name: 'rate_limit', data: { retryAfter: 5 } });
    const fake = context();
    await provider.generate(request(), fake.ctx);
    expect(fake.sleeps).toContain(5000);
    expect(fake.rateLimited).toEqual([5000]);
  });

  it('retries a hung status read after the client timeout', async () => {
    const { emu, provider } = await setup();
    emu.inject('status', { kind: 'hang' });
    const http = timeoutOnlyTheHang(emu.server, 300);
    onCleanup(() => http.close());
    const result = await provider.generate(request(), context({ http }).ctx);
    expect(result.bytes.byteLength).toBeGreaterThan(0);
    expect(emu.requests('submit')).toHaveLength(1);
  });

  it('waits for a slow result answer', async () => {
    const { emu, provider } = await setup();
    emu.inject('result', { kind: 'delay', ms: 300 });
    const result = await provider.generate(request(), context().ctx);
    expect(result.bytes.byteLength).toBeGreaterThan(0);
  });

  it('downloads again after a truncated download', async () => {
    const { emu, provider } = await setup();
    emu.inject('download', { kind: 'truncate' });
    const result = await provider.generate(request(), context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject({ width: 1440, height: 2560 });
    expect(emu.requests('download')).toHaveLength(2);
  });

  it('fetches a fresh result when the result URL has expired', async () => {
    const { emu, provider } = await setup();
    emu.inject('download', { kind: 'custom', name: 'expired' });
    const result = await provider.generate(request(), context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject({ width: 1440, height: 2560 });
    expect(emu.requests('result')).toHaveLength(2);
    expect(emu.requests('download')).toHaveLength(2);
  });

  it('fails with the task id when result URLs keep expiring', async () => {
    const { emu, provider } = await setup({ resultTtlMs: -1 });
    const err = await providerFailure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(err.httpStatus).toBe(403);
    expect(err.taskId).toBe([...emu.tasks.keys()][0]);
    expect(emu.submissions()).toBe(1);
  });
});

describe('runcomfy task outcomes', () => {
  it('reports a moderation failure with the task id, submitted once', async () => {
    const { emu, provider } = await setup({ failPrompts: 'forbidden' });
    const err = await providerFailure(provider.generate(request({ prompt: 'something forbidden' }), context().ctx));
    expect(err.category).toBe('moderation');
    expect(err.providerCode).toBe('OutputImageSensitiveContentDetected');
    expect(err.taskId).toBe([...emu.tasks.keys()][0]);
    expect(emu.submissions('something forbidden')).toBe(1);
  });

  it('reports a task that failed with a documented code by that code, without resubmitting', async () => {
    const { emu, provider } = await setup();
    emu.inject('submit', { kind: 'custom', name: 'fail_task', data: { error_code: 500001, error_message: 'Internal Error' } });
    const err = await providerFailure(provider.generate(request(), context().ctx));
    expect(err.category).toBe('transient');
    expect(err.providerCode).toBe('500001');
    expect(err.taskId).toBe([...emu.tasks.keys()][0]);
    expect(emu.requests('submit')).toHaveLength(1);
  });

  it('resumes a prior task without submitting', async () => {
    const { emu, provider } = await setup();
    const taskId = emu.createTask('a lighthouse at dawn');
    const fake = context({ prior: { taskId } });
    const result = await provider.generate(request(), fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(emu.requests('submit')).toHaveLength(0);
    expect(fake.journalEvents).toEqual([]);
  });

  it('submits afresh when the prior task no longer exists', async () => {
    const { emu, provider } = await setup();
    const fake = context({ prior: { taskId: 'gone-123' } });
    const result = await provider.generate(request(), fake.ctx);
    expect(emu.requests('submit')).toHaveLength(1);
    expect(result.taskId).not.toBe('gone-123');
    expect(submittedTaskIds(fake.journalEvents)).toEqual([result.taskId]);
  });

  it('times out at the deadline and cancels the queued task', async () => {
    const { emu, provider } = await setup({ latencyMs: 120_000 });
    const fake = context({ deadline: 10_000 });
    const err = await providerFailure(provider.generate(request(), fake.ctx));
    const taskId = [...emu.tasks.keys()][0]!;

    expect(err.category).toBe('timeout');
    expect(err.taskId).toBe(taskId);
    expect(emu.requests('cancel')).toHaveLength(1);
    expect(emu.requests('cancel')[0]?.headers['authorization']).toBe(`Bearer ${emu.apiKey}`);
    expect(emu.state(taskId)).toBe('cancelled');
  });

  it('times out without a cancel when the task is already running', async () => {
    const { emu, provider } = await setup({ latencyMs: 120_000, queueFraction: 0 });
    const err = await providerFailure(provider.generate(request(), context({ deadline: 10_000 }).ctx));
    expect(err.category).toBe('timeout');
    expect(emu.requests('cancel')).toHaveLength(0);
    expect(emu.state(err.taskId!)).toBe('in_progress');
  });

  it('cancels the queued task on abort and throws AbortedError', async () => {
    const { emu, provider } = await setup({ latencyMs: 120_000 });
    const controller = new AbortController();
    const fake = context({
      signal: controller.signal,
      onJournal: (event) => event.kind === 'submitted' && controller.abort(),
    });
    const err = await failure(provider.generate(request(), fake.ctx));
    expect(err).toBeInstanceOf(AbortedError);
    expect(emu.requests('cancel')).toHaveLength(1);
    expect(emu.state([...emu.tasks.keys()][0]!)).toBe('cancelled');
  });
});
