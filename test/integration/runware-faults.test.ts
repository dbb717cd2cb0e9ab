import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import { timeoutOnlyTheHang } from '../helpers/hang.js';
import { createRunwareProvider } from '../../src/providers/runware/index.js';
import { imageSize } from '../helpers/images.js';
import { useRunware, UUID_V4 } from '../helpers/runware-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunware();

describe('Runware adapter: submit faults', () => {
  it('waits what Retry-After asks on HTTP 429, tells the scheduler, then submits the same task again', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('submit', { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { errors: [{ code: 'rateLimitExceeded', message: 'Queue capacity exceeded' }] } });
    const fake = h.context();
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(fake.sleeps[0]).toBe(3000);
    expect(fake.rateLimited).toEqual([3000]);
    expect(h.submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(h.emu.billed()).toBe(1);
  });

  it('gives up with rate_limit when the concurrency cap stays full, having created no task', async () => {
    await h.start({ latencyMs: 60_000, maxActiveTasks: 1, retryAfterSeconds: 2 });
    const holder = h.request({ prompt: 'holds the only slot' });
    const aborter = new AbortController();
    const first = h.provider.generate(holder, h.context({ signal: aborter.signal, onJournal: (e) => e.kind === 'submitted' && aborter.abort() }).ctx);
    await expect(first).rejects.toBeInstanceOf(AbortedError);

    const fake = h.context();
    const err = await failure(h.provider.generate(h.request({ prompt: 'wants a slot' }), fake.ctx));
    expect(err.category).toBe('rate_limit');
    expect(err.httpStatus).toBe(429);
    expect(fake.sleeps.every((ms) => ms === 2000)).toBe(true);
    expect(fake.rateLimited.length).toBe(fake.sleeps.length + 1);
    expect(h.emu.billed('wants a slot')).toBe(0);
    expect(h.emu.submissions('wants a slot')).toBe(fake.sleeps.length + 1);
  });

  it('resubmits after a 5xx that never created a task: same taskUUID, one bill', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('submit', { kind: 'status', status: 503, body: { errors: [{ code: 'serviceUnavailable', message: 'busy' }] } });
    const fake = h.context();
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(h.submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(h.emu.billed()).toBe(1);
    expect(fake.sleeps[0]).toBeGreaterThan(0); // backed off before the second submit
    expect(fake.rateLimited).toEqual([]);
  });

  it.each(['accept-then-500', 'accept-then-reset'])('survives %s: asks getResponse, finds the task, and never sends it again', async (name) => {
    // Runware does not document that a repeated taskUUID is deduplicated: here it bills it again.
    await h.start({ latencyMs: 0, onDuplicate: 'bill' });
    h.emu.inject('submit', { kind: 'custom', name });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(h.submittedUuids()).toEqual([result.taskId]);
    expect(h.emu.server.requests.find((r) => r.route === 'poll')).toBeDefined();
    expect(h.emu.submissions()).toBe(1);
    expect(h.emu.billed()).toBe(1);
  });

  it('sends the submit again, under the same taskUUID, only once getResponse says Runware does not know the task', async () => {
    await h.start({ latencyMs: 0, onDuplicate: 'bill' });
    h.emu.inject('submit', { kind: 'status', status: 502, body: { errors: [{ code: 'badGateway', message: 'Bad gateway' }] } });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(h.submittedUuids()).toEqual([result.taskId, result.taskId]);
    const routes = h.emu.server.requests.map((r) => r.route);
    expect(routes.slice(0, 3)).toEqual(['submit', 'poll', 'submit']);
    expect(h.emu.billed()).toBe(1);
  });

  it('retries a malformed submit answer under the same taskUUID', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('submit', { kind: 'malformed' });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(h.submittedUuids()).toEqual([result.taskId, result.taskId]);
    expect(h.emu.billed()).toBe(1);
  });

  it('fails an invalid size with invalid_input and does not retry it', async () => {
    await h.start({ latencyMs: 0 });
    const err = await failure(h.provider.generate(h.request({ size: { width: 1500, height: 1500 } }), h.context().ctx));
    expect(err.category).toBe('invalid_input');
    expect(err.httpStatus).toBe(400);
    expect(h.submits()).toHaveLength(1);
    expect(h.emu.billed()).toBe(0);
  });

  it('reports a wrong key as auth, once, without the key in the error', async () => {
    await h.start({ latencyMs: 0 });
    const wrongKey = 'wrong-secret-key-123';
    h.provider = createRunwareProvider({ env: { RUNWARE_API_KEY: wrongKey, RUNWARE_BASE_URL: h.emu.baseUrl } });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('auth');
    expect(err.providerCode).toBe('invalidApiKey');
    expect(err.httpStatus).toBe(401);
    expect(h.emu.server.requests).toHaveLength(1);
    expect(h.emu.server.requests[0]!.headers['authorization']).toBe(`Bearer ${wrongKey}`);
    expect(JSON.stringify({ message: err.message, details: err.details() })).not.toContain(wrongKey);
  });
});

describe('Runware adapter: poll and download faults', () => {
  it.each([
    ['a reset', { kind: 'reset' }],
    ['a 502', { kind: 'status', status: 502, body: '<html>bad gateway</html>' }],
    ['malformed JSON', { kind: 'malformed' }],
  ] as const)('retries a poll that meets %s, without submitting again', async (_name, fault) => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('poll', fault);
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.server.count('poll')).toBeGreaterThanOrEqual(2);
    expect(h.submits()).toHaveLength(1);
  });

  it('waits out a slow poll answer instead of repeating it', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('poll', { kind: 'delay', ms: 150 });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.server.count('poll')).toBe(1);
  });

  it('gives up on a hung poll only after the HTTP timeout, then retries it', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('poll', { kind: 'hang' });
    const http = timeoutOnlyTheHang(h.emu.server, 300);
    try {
      const result = await h.provider.generate(h.request(), h.context({ http }).ctx);
      expect(result.bytes.length).toBeGreaterThan(0);
      expect(h.emu.server.count('poll')).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('re-polls when a poll itself is rate limited, and tells the scheduler', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('poll', { kind: 'status', status: 429, headers: { 'retry-after': '2' }, body: { errors: [{ code: 'rateLimitExceeded' }] } });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    expect(fake.rateLimited).toEqual([2000]);
    expect(fake.sleeps).toContain(2000);
  });

  it('downloads again after a truncated download', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('download', { kind: 'truncate' });
    const req = h.request();
    const result = await h.provider.generate(req, h.context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject(req.size);
    expect(h.emu.server.count('download')).toBe(2);
  });

  it('fails a task that ends in an upstream error, without resubmitting it', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('poll', { kind: 'custom', name: 'task-error', data: { code: 'timeoutProvider', style: 'top' } });
    const fake = h.context();
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.providerCode).toBe('timeoutProvider');
    expect(err.taskId).toBe((fake.journalEvents[1] as { taskId: string }).taskId);
    expect(h.submits()).toHaveLength(1);
  });

  it('fails a moderated prompt with the moderation category and does not retry it', async () => {
    await h.start({ latencyMs: 10, failPrompts: /forbidden/ });
    const err = await failure(h.provider.generate(h.request({ prompt: 'something forbidden' }), h.context().ctx));
    expect(err.category).toBe('moderation');
    expect(err.providerCode).toBe('providerContentPolicyViolation');
    expect(err.taskId).toMatch(UUID_V4);
    expect(h.emu.submissions()).toBe(1);
    expect(h.emu.server.count('download')).toBe(0);
  });

  it('fails with transient when a fresh result URL has already expired, without a second task', async () => {
    await h.start({ latencyMs: 0 });
    h.emu.inject('download', { kind: 'custom', name: 'expired' });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('transient');
    expect(h.emu.server.count('download')).toBe(1);
    expect(h.emu.billed()).toBe(1);
  });
});
