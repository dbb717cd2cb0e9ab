import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import type { GenerationRequest } from '../../src/core/generation.js';
import { imageInferenceTask } from '../../src/providers/runware/wire.js';
import { useRunware } from '../helpers/runware-job.js';
import { providerFailure as failure } from '../helpers/provider-context.js';

const h = useRunware();

describe('Runware adapter: resume, deadline and abort', () => {
  /** Runs a job until Runware has accepted it, then kills it, as a Ctrl-C would. */
  async function interruptedTask(req: GenerationRequest): Promise<string> {
    const aborter = new AbortController();
    const fake = h.context({ signal: aborter.signal, onJournal: (e) => e.kind === 'submitted' && aborter.abort() });
    await expect(h.provider.generate(req, fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    const submitted = fake.journalEvents.find((e) => e.kind === 'submitted');
    return (submitted as { taskId: string }).taskId;
  }

  it('resumes the prior task by polling it at once, without submitting again', async () => {
    await h.start({ latencyMs: 0 });
    const req = h.request();
    const taskId = await interruptedTask(req);
    const fake = h.context({ prior: { taskId, clientTaskId: taskId } });
    const result = await h.provider.generate(req, fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(fake.sleeps[0]).toBe(0);
    expect(fake.journalEvents).toEqual([]);
    expect(h.emu.submissions()).toBe(1);
  });

  it('resubmits under the same taskUUID when Runware no longer knows the prior task', async () => {
    await h.start({ latencyMs: 0 });
    const req = h.request();
    const taskId = await interruptedTask(req);
    h.emu.forgetTask(taskId);
    const fake = h.context({ prior: { taskId } });
    const result = await h.provider.generate(req, fake.ctx);
    expect(result.taskId).toBe(taskId);
    expect(h.submittedUuids()).toEqual([taskId, taskId]);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: taskId },
      { kind: 'submitted', taskId },
    ]);
  });

  it('submits a task Runware forgot again under the same taskUUID, also in a fresh job', async () => {
    await h.start({ latencyMs: 0 });
    const fake = h.context({ onJournal: (e) => e.kind === 'submitted' && fake.journalEvents.length === 2 && h.emu.forgetTask(e.taskId) });
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(h.submittedUuids()).toEqual([result.taskId, result.taskId]);
  });

  it('starts a new task when the prior task failed upstream', async () => {
    await h.start({ latencyMs: 0 });
    const req = h.request();
    const taskId = await interruptedTask(req);
    h.emu.inject('poll', { kind: 'custom', name: 'task-error', data: { code: 'providerError', style: 'item' } });
    const result = await h.provider.generate(req, h.context({ prior: { taskId } }).ctx);
    expect(result.taskId).not.toBe(taskId);
    expect(h.submittedUuids()).toEqual([taskId, result.taskId]);
  });

  it('does not retry a prior task that was moderated', async () => {
    await h.start({ latencyMs: 0, failPrompts: 'forbidden' });
    const req = h.request({ prompt: 'forbidden' });
    const taskId = await interruptedTask(req);
    const err = await failure(h.provider.generate(req, h.context({ prior: { taskId } }).ctx));
    expect(err.category).toBe('moderation');
    expect(h.emu.submissions()).toBe(1);
  });

  it('asks getResponse first when a killed build sent its submit but never saw the answer, and does not send it again', async () => {
    await h.start({ latencyMs: 0, onDuplicate: 'bill' });
    const req = h.request();
    const clientTaskId = '5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b';
    // The killed build's submit reached Runware: the task exists, the journal only says 'submitting'.
    const sent = await fetch(h.emu.baseUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.emu.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([imageInferenceTask(req, clientTaskId).task]),
    });
    expect(sent.status).toBe(200);
    const result = await h.provider.generate(req, h.context({ prior: { clientTaskId } }).ctx);
    expect(result.taskId).toBe(clientTaskId);
    expect(h.emu.submissions()).toBe(1);
    expect(h.emu.billed()).toBe(1);
  });

  it('submits the recorded taskUUID when a killed build never got its submit out', async () => {
    await h.start({ latencyMs: 0 });
    const clientTaskId = '0b6c3b1e-8f3a-4d2b-9c1e-2f4a6b8c0d1e';
    const result = await h.provider.generate(h.request(), h.context({ prior: { clientTaskId } }).ctx);
    expect(result.taskId).toBe(clientTaskId);
    expect(h.submittedUuids()).toEqual([clientTaskId]);
    expect(h.emu.billed()).toBe(1);
  });

  it('starts a new task when the prior task finished but its result URL expired', async () => {
    await h.start({ latencyMs: 0 });
    const req = h.request();
    const first = await h.provider.generate(req, h.context().ctx);
    h.emu.expireResults();
    const fake = h.context({ prior: { taskId: first.taskId } });
    const second = await h.provider.generate(req, fake.ctx);
    expect(second.taskId).not.toBe(first.taskId);
    expect(fake.journalEvents).toEqual([
      { kind: 'submitting', clientTaskId: second.taskId },
      { kind: 'submitted', taskId: second.taskId },
    ]);
    expect(h.emu.billed()).toBe(2);
  });

  it('times out at the job deadline with the task id; there is no cancel call to make', async () => {
    await h.start({ latencyMs: 60_000 });
    const fake = h.context({ deadline: 20_000 });
    const err = await failure(h.provider.generate(h.request(), fake.ctx));
    expect(err.category).toBe('timeout');
    expect(err.taskId).toBe((fake.journalEvents[1] as { taskId: string }).taskId);
    expect(fake.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(new Set(h.emu.server.requests.map((r) => r.route))).toEqual(new Set(['submit', 'poll']));
  });

  it('stops polling with AbortedError when the build is aborted mid-task', async () => {
    await h.start({ latencyMs: 60_000 });
    const aborter = new AbortController();
    let polls = 0;
    const fake = h.context({
      signal: aborter.signal,
      onProgress: (e) => {
        if (e.kind === 'status' && ++polls === 1) aborter.abort();
      },
    });
    await expect(h.provider.generate(h.request(), fake.ctx)).rejects.toBeInstanceOf(AbortedError);
    expect(h.emu.billed()).toBe(1);
  });
});
