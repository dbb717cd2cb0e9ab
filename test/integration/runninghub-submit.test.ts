import { describe, expect, it } from 'vitest';
import { createRunningHubProvider } from '../../src/providers/runninghub/index.js';
import { useRunningHub, fileReference } from '../helpers/runninghub-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunningHub();

describe('RunningHub adapter: submit faults', () => {
  it('does not resubmit after a 5xx: the task may exist', async () => {
    h.emu.inject('submit', { kind: 'status', status: 502, body: { message: 'bad gateway' } });
    const fake = h.context();
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.httpStatus).toBe(502);
    expect(h.emu.submissions()).toHaveLength(1);
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }]);
  });

  it('does not resubmit after a connection reset', async () => {
    h.emu.inject('submit', { kind: 'reset' });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('transient');
    expect(err.mayHaveReachedServer).toBe(true);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('does not resubmit after a malformed answer', async () => {
    h.emu.inject('submit', { kind: 'malformed' });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('transient');
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('resubmits after HTTP 429, having waited what Retry-After asked', async () => {
    h.emu.inject('submit', { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: { msg: 'slow down' } });
    const fake = h.context();
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(fake.sleeps[0]).toBe(3_000);
    expect(fake.rateLimited).toEqual([3_000]);
    expect(h.emu.submissions()).toHaveLength(2);
    expect(h.emu.tasks()).toHaveLength(1);
  });

  it.each(['421', '1520', '1003', '415', '1011'])('resubmits after errorCode %s in an HTTP 200, with backoff', async (code) => {
    if (code === '421') h.emu.inject('submit', { kind: 'custom', name: 'limit' }, 2);
    else h.emu.inject('submit', { kind: 'custom', name: 'code', data: { code } }, 2);
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    expect(h.emu.submissions()).toHaveLength(3);
    expect(h.emu.tasks()).toHaveLength(1);
    expect(fake.rateLimited).toEqual([undefined, undefined]);
    const [first, second] = fake.sleeps;
    expect(first).toBeGreaterThanOrEqual(1_500);
    expect(first).toBeLessThanOrEqual(2_000);
    expect(second).toBeGreaterThanOrEqual(3_000);
    expect(second).toBeLessThanOrEqual(4_000);
    expect(fake.journalEvents.filter((e) => e.kind === 'submitting')).toHaveLength(3);
  });

  it.each(['500', '1005', '1010', '1012'])('resubmits after errorCode %s in an HTTP 200 that names no task', async (code) => {
    h.emu.inject('submit', { kind: 'custom', name: 'code', data: { code } }, 2);
    const fake = h.context();
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.submissions()).toHaveLength(3);
    expect(h.emu.tasks()).toHaveLength(1);
    // Not a rate limit: the scheduler is not told to slow down.
    expect(fake.rateLimited).toEqual([]);
  });

  it('does not resubmit a 5xx answer, which may have created a task', async () => {
    h.emu.inject('submit', { kind: 'status', status: 502, body: { msg: 'bad gateway' } });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('transient');
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('waits for a slot when the emulator caps active tasks', async () => {
    // The slot frees after 15 requests on the emulator's clock, whatever the jobs' waits.
    await h.start({ latencyMs: 150, maxActiveTasks: 1 });
    const fakes = [h.context(), h.context()];
    const results = await Promise.all(fakes.map((f, i) => h.provider.generate(h.request({ prompt: `job ${i}` }), f.ctx)));
    expect(results).toHaveLength(2);
    expect(h.emu.tasks('job 0')).toHaveLength(1);
    expect(h.emu.tasks('job 1')).toHaveLength(1);
    expect(fakes.flatMap((f) => f.rateLimited).length).toBeGreaterThan(0);
  });

  it('retries a submit that provably never left (connection refused)', async () => {
    const deadProvider = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'k', RUNNINGHUB_BASE_URL: 'http://127.0.0.1:9/openapi/v2' } });
    const fake = h.context();
    const err = await failure(deadProvider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('transient');
    expect(err.mayHaveReachedServer).toBe(false);
    expect(fake.sleeps.length).toBeGreaterThan(1);
  });

  it('maps a wrong key to the auth category without retrying', async () => {
    const wrong = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'wrong-key-123', RUNNINGHUB_BASE_URL: h.emu.baseUrl } });
    const fake = h.context();
    const err = await failure(wrong.generate(h.request(), fake.ctx));
    expect(err.category).toBe('auth');
    expect(err.providerCode).toBe('1002');
    expect(h.emu.submissions()).toHaveLength(1);
    expect(h.emu.submissions()[0]!.headers['authorization']).toBe('Bearer wrong-key-123');
    expect(err.message).not.toContain('wrong-key-123');
    expect(JSON.stringify(fake.logs)).not.toContain('wrong-key-123');
  });

  it('maps a wrong key on upload to the auth category', async () => {
    const wrong = createRunningHubProvider({ env: { RUNNINGHUB_API_KEY: 'wrong-key-123', RUNNINGHUB_BASE_URL: h.emu.baseUrl } });
    const ref = fileReference(Buffer.alloc(6 * 1024 * 1024, 1), 'sha-auth');
    const err = await failure(wrong.generate(h.request({ references: [ref] }), h.context().ctx));
    expect(err.category).toBe('auth');
    expect(err.httpStatus).toBe(401);
    expect(h.emu.submissions()).toHaveLength(0);
  });

  it('reports an invalid size as invalid_input without retrying', async () => {
    const err = await failure(h.provider.generate(h.request({ size: { width: 1504, height: 1504 } }), h.context().ctx));
    expect(err.category).toBe('invalid_input');
    expect(err.providerCode).toBe('1007');
    expect(h.emu.submissions()).toHaveLength(1);
  });
});
