import { describe, expect, it } from 'vitest';
import { imageSize } from '../helpers/images.js';
import { frozenClock } from '../helpers/emulators/clock.js';
import { providerFailure } from '../helpers/provider-context.js';
import { useRunningHub } from '../helpers/runninghub-job.js';
import { useRunware } from '../helpers/runware-job.js';
import { virtualTime } from '../helpers/virtual-time.js';
import { post, startReceiver } from '../helpers/webhooks.js';
import { WAKE_GAP_MS } from '../../src/providers/kit/wake.js';

/**
 * Webhooks as an option (fidelity item 9): with a receiver configured, the submit names a callback
 * URL, a callback ends the poll wait at once, and polling goes on at a slow cadence as the safety
 * net. A safety poll of a minute that only a callback ends (virtualTime) means: a test that
 * finishes at all finished by callback. The emulator's task ends when the test moves its clock.
 */

const MINUTE = 60_000;
const LATENCY = 300;

describe('Runware webhookURL', () => {
  const h = useRunware();

  it('completes on the callback with a single poll instead of the polling cadence', async () => {
    const hub = await startReceiver(MINUTE);
    await h.start({ latencyMs: LATENCY }, { webhooks: hub });
    const req = h.request({ options: { numberResults: 2 } });
    const finish = (e: { kind: string }) => e.kind === 'submitted' && h.emu.clock.advance(LATENCY);
    const result = await h.provider.generate(req, h.context({ ...virtualTime({ untilWokenFrom: MINUTE }), onJournal: finish }).ctx);

    const [task] = h.submits().map((r) => (r.json as Record<string, unknown>[])[0]!);
    expect(task!['webhookURL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/runware$/);
    expect(task!['webhookURL']).not.toContain(h.emu.apiKey);
    // One call per result item; the first already wakes the poll that finds both done.
    expect(h.emu.callbacks.map((c) => c.status)).toEqual([204, 204]);
    expect(h.emu.server.count('poll')).toBeLessThanOrEqual(2);
    expect(result.images).toHaveLength(2);
    expect(await imageSize(result.bytes)).toMatchObject(req.size);
    expect(h.emu.billed()).toBe(1);
  });

  it('still completes by polling when the callback is lost', async () => {
    const hub = await startReceiver(150);
    await h.start({ latencyMs: LATENCY, callbacks: 'drop' }, { webhooks: hub });
    // The emulator's clock moves with the polls: the task ends, and its callback is lost.
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(h.emu.droppedCallbacks()).toBe(1);
    expect(h.emu.callbacks).toEqual([]);
    expect(h.emu.server.count('poll')).toBeGreaterThanOrEqual(2);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.billed()).toBe(1);
  });

  it('takes nothing from a forged callback: the poll it triggers asks Runware, and the image comes from Runware', async () => {
    const hub = await startReceiver(MINUTE);
    await h.start({ latencyMs: LATENCY }, { webhooks: hub });
    const forged: Promise<number>[] = [];
    const fake = h.context({
      ...virtualTime({ untilWokenFrom: MINUTE }),
      onJournal: (e) => {
        if (e.kind !== 'submitted') return;
        const url = (h.submits()[0]!.json as { webhookURL: string }[])[0]!.webhookURL;
        const sent = post(url, { taskType: 'imageInference', taskUUID: e.taskId, status: 'success', imageURL: 'http://127.0.0.1:9/forged.png', cost: 0 });
        // Then the task really ends, and Runware's own callback follows the forged one.
        forged.push(sent.finally(() => h.emu.clock.advance(LATENCY)));
      },
    });
    const result = await h.provider.generate(h.request(), fake.ctx);
    expect(await Promise.all(forged)).toEqual([204]);
    // Trusting the payload would have fetched the forged URL, which refuses connections.
    expect(h.emu.server.count('download')).toBe(1);
    expect(result.cost).toBe(0.04);
  });
});

describe('RunningHub webhookUrl', () => {
  const h = useRunningHub();

  it('completes on the callback with a single query', async () => {
    const hub = await startReceiver(MINUTE);
    await h.start({ latencyMs: LATENCY }, { webhooks: hub });
    const finish = (e: { kind: string }) => e.kind === 'submitted' && h.emu.clock.advance(LATENCY);
    const result = await h.provider.generate(h.request(), h.context({ ...virtualTime({ untilWokenFrom: MINUTE }), onJournal: finish }).ctx);
    expect(h.submitBodies()[0]!['webhookUrl']).toMatch(/\/[0-9a-f]{32}\/runninghub$/);
    expect(h.emu.callbacks.map((c) => c.status)).toEqual([204]);
    expect(h.emu.server.count('query')).toBe(1);
    expect(result.taskId).toBe(h.emu.tasks()[0]!.id);
  });

  it('still completes by polling when the callback is lost', async () => {
    const hub = await startReceiver(150);
    await h.start({ latencyMs: LATENCY, callbacks: 'drop' }, { webhooks: hub });
    const result = await h.provider.generate(h.request(), h.context().ctx);
    expect(h.emu.droppedCallbacks()).toBe(1);
    expect(h.emu.server.count('query')).toBeGreaterThanOrEqual(2);
    expect(result.bytes.length).toBeGreaterThan(0);
  });

  it('coalesces a flood of callbacks: at most one query per gap on the job clock, however many arrive', async () => {
    const hub = await startReceiver(MINUTE);
    // A task that never ends; every query answer comes after 20 callbacks for it.
    await h.start({ latencyMs: LATENCY, clock: frozenClock() }, { webhooks: hub });
    h.emu.inject('query', { kind: 'custom', name: 'flood', data: { count: 20 } }, 200);
    const deadline = 10_000;
    const bound = deadline / WAKE_GAP_MS + 1;
    // Past the bound the job is stopped, so a broken debounce fails here instead of spinning.
    const stop = new AbortController();
    const guard = setInterval(() => h.emu.server.count('query') > bound && stop.abort(), 5);
    const fake = h.context({
      signal: stop.signal,
      // Waits of 5 s or more (the safety poll, capped by the deadline) end only by callback.
      ...virtualTime({ untilWokenFrom: 5_000 }),
      deadline,
      // The first callback is in before the job watches its task: the receiver keeps it for it.
      journal: {
        async submitting() {},
        async submitted(taskId) {
          await post(String(h.submitBodies()[0]!['webhookUrl']), { event: 'TASK_END', taskId, eventData: '{}' });
        },
      },
    });
    const err = await providerFailure(h.provider.generate(h.request(), fake.ctx)).finally(() => clearInterval(guard));
    expect(err.category).toBe('timeout');
    const queries = h.emu.server.count('query');
    expect(queries).toBeLessThanOrEqual(bound);
    // The flood did arrive: 20 callbacks before every answer.
    expect(h.emu.callbacks.length).toBe(20 * queries);
    expect(h.emu.callbacks.every((c) => c.status === 204)).toBe(true);
  });

  it('keeps a campaign from choosing the callback URL itself', async () => {
    await h.provider.generate(h.request({ options: { webhookUrl: 'https://attacker.example/hook' } }), h.context().ctx);
    expect(h.submitBodies()[0]!['webhookUrl']).toBeUndefined();
  });
});

describe('the webhook receiver', () => {
  it('wakes only the watcher of the task a callback names, and answers the same for unknown ids', async () => {
    const hub = await startReceiver(MINUTE);
    const route = hub.route('runware', (body) => [(body as { taskUUID: string }).taskUUID]);
    const woken: string[] = [];
    const stop = route.watch('task-a', () => woken.push('task-a'));
    expect(await post(route.url, { taskUUID: 'unknown-task' })).toBe(204);
    expect(await post(route.url, { taskUUID: 'task-a' })).toBe(204);
    stop();
    expect(await post(route.url, { taskUUID: 'task-a' })).toBe(204);
    expect(woken).toEqual(['task-a']);
  });

  it('refuses a wrong path token, a wrong route, a non-POST, malformed JSON and an oversized body', async () => {
    const hub = await startReceiver(MINUTE, 1024);
    const route = hub.route('runware', () => []);
    const origin = new URL(route.url).origin;
    expect(await post(`${origin}/${'0'.repeat(32)}/runware`, { taskUUID: 'x' })).toBe(404);
    expect(await post(route.url.replace(/runware$/, 'runcomfy'), { taskUUID: 'x' })).toBe(404);
    expect((await fetch(route.url)).status).toBe(405);
    expect(await post(route.url, '{"taskUUID": ')).toBe(400);
    expect(await post(route.url, { taskUUID: 'x', padding: 'x'.repeat(4096) })).toBe(413);
  });

  it('remembers a callback that came before its task was watched', async () => {
    const hub = await startReceiver(MINUTE);
    const route = hub.route('runninghub', (body) => [(body as { taskId: string }).taskId]);
    await post(route.url, { taskId: '42' });
    let woken = false;
    route.watch('42', () => (woken = true));
    // Handed over on the next microtask, not later.
    await Promise.resolve();
    expect(woken).toBe(true);
  });
});
