import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import { timeoutOnlyTheHang } from '../helpers/hang.js';
import { imageSize } from '../helpers/images.js';
import { useRunningHub } from '../helpers/runninghub-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunningHub();

describe('RunningHub adapter: task, poll and download faults', () => {
  it('fails a moderated prompt with the moderation category and the task id', async () => {
    await h.start({ failPrompts: 'forbidden' });
    const err = await failure(h.provider.generate(h.request({ prompt: 'something forbidden' }), h.context().ctx));
    expect(err.category).toBe('moderation');
    expect(err.providerCode).toBe('1501');
    expect(err.taskId).toBe(h.emu.tasks()[0]!.id);
    expect(err.message).toContain(h.emu.tasks()[0]!.id);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('reports a task that ends FAILED with its code, without resubmitting', async () => {
    h.emu.inject('submit', { kind: 'custom', name: 'fail', data: { code: '1015' } });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.category).toBe('transient');
    expect(err.providerCode).toBe('1015');
    expect(err.taskId).toBe(h.emu.tasks()[0]!.id);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it.each([
    ['a 5xx', { kind: 'status', status: 503 } as const],
    ['a reset', { kind: 'reset' } as const],
    ['malformed JSON', { kind: 'malformed' } as const],
    ['a slow answer', { kind: 'delay', ms: 150 } as const],
  ])('retries a poll that met %s', async (_name, fault) => {
    h.emu.inject('query', fault);
    const fake = h.context();
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.submissions()).toHaveLength(1);
    expect(h.emu.server.count('query')).toBe(fault.kind === 'delay' ? 1 : 2);
  });

  it('abandons a hung poll at the request timeout and asks again', async () => {
    await h.start({}, { pollIntervalMs: 100 });
    h.emu.inject('query', { kind: 'hang' });
    // The hung poll meets the cap its deadline gives it; the other requests all the time they need.
    const http = timeoutOnlyTheHang(h.emu.server);
    const fake = h.context({ deadline: 1_100, http });
    const result = await h.provider.generate(h.request(), fake.ctx).finally(() => http.close());
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.server.count('query')).toBe(2);
    expect(h.emu.submissions()).toHaveLength(1);
  });

  it('backs off on a query-level rate limit (errorCode 1003) and tells the scheduler', async () => {
    h.emu.inject('query', { kind: 'custom', name: 'code', data: { code: '1003' } });
    const fake = h.context();
    await h.provider.generate(h.request(), fake.ctx);
    expect(fake.rateLimited).toEqual([undefined]);
    expect(h.emu.server.count('query')).toBe(2);
  });

  it('retries a truncated download', async () => {
    h.emu.inject('download', { kind: 'truncate' });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(await imageSize(result.bytes)).toMatchObject({ width: 2048, height: 2048 });
    expect(h.emu.server.count('download')).toBe(2);
  });

  it('reports an expired result URL without retrying the download or resubmitting', async () => {
    h.emu.inject('download', { kind: 'custom', name: 'expired' });
    const err = await failure(h.provider.generate(h.request(), h.context().ctx));
    expect(err.providerCode).toBe('RESULT_EXPIRED');
    expect(err.taskId).toBe(h.emu.tasks()[0]!.id);
    expect(h.emu.server.count('download')).toBe(1);
    expect(h.emu.submissions()).toHaveLength(1);
  });
});

describe('RunningHub adapter: resume, deadline, abort', () => {
  async function rawSubmit(prompt: string): Promise<string> {
    const res = await fetch(`${h.emu.baseUrl}/seedream-v4.5/text-to-image`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt }),
    });
    return ((await res.json()) as { taskId: string }).taskId;
  }

  it('resumes a prior task without submitting, asking at once', async () => {
    const taskId = await rawSubmit('from a killed build');
    const fake = h.context({ prior: { taskId } });
    const result = await h.provider.generate(h.request({ prompt: 'from a killed build' }), fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(h.emu.submissions()).toHaveLength(1); // the raw one
    expect(fake.journalEvents).toEqual([]);
    expect(fake.sleeps[0]).toBe(0);
  });

  it('submits afresh when the prior task is unknown to RunningHub', async () => {
    const fake = h.context({ prior: { taskId: '1999999999999999999' } });
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(result.taskId).not.toBe('1999999999999999999');
    expect(h.emu.tasks()).toHaveLength(1);
    expect(fake.journalEvents).toEqual([{ kind: 'submitting' }, { kind: 'submitted', taskId: result.taskId }]);
  });

  it('submits afresh when the prior task finished but its result URL expired', async () => {
    const taskId = await rawSubmit('a red bicycle against a white wall');
    h.emu.expireResults();
    const result = await h.provider.generate(h.request(), h.context({ prior: { taskId } }).ctx);
    expect(result.taskId).not.toBe(taskId);
    expect(h.emu.tasks()).toHaveLength(2);
  });

  it('aims the first poll of the next task at the durations learned from finished ones', async () => {
    const first = h.context();
    await h.provider.generate(h.request(), first.ctx);
    expect(first.sleeps).toEqual([1_000]);
    const second = h.context();
    await h.provider.generate(h.request({ prompt: 'a blue bicycle against a white wall' }), second.ctx);
    // Seen done at 1 s with no pending poll: it finished somewhere in 0.75..1 s; aim between.
    expect(second.sleeps).toEqual([875]);
  });

  it('ends with a timeout carrying the task id at the deadline; no cancel call exists', async () => {
    await h.start({ latencyMs: 60_000 });
    const fake = h.context({ deadline: 12_000 });
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBe(h.emu.tasks()[0]!.id);
    // 1 s, growing x1.5 to the 5 s cap, the last wait cut short by the deadline.
    expect(fake.sleeps).toEqual([1_000, 1_500, 2_250, 3_375, 3_875]);
    expect(new Set(h.emu.requests.map((r) => r.route))).toEqual(new Set(['submit', 'query']));
  });

  it('stops with AbortedError when the build is aborted mid-poll', async () => {
    await h.start({ latencyMs: 60_000 });
    const controller = new AbortController();
    const fake = h.context({ signal: controller.signal, onJournal: (e) => e.kind === 'submitted' && controller.abort() });
    await expect(h.provider.generate(h.request(), fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    expect(h.emu.server.count('query')).toBe(0);
  });

  it('gives up waiting for a slot at the deadline with a timeout and no task', async () => {
    h.emu.inject('submit', { kind: 'custom', name: 'limit' }, 100);
    const fake = h.context({ deadline: 20_000 });
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBeUndefined();
    expect(h.emu.tasks()).toHaveLength(0);
  });
});
