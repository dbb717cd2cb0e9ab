import { describe, expect, it } from 'vitest';
import { imageSize } from '../helpers/images.js';
import { useRunningHub } from '../helpers/runninghub-job.js';
import { useRunware } from '../helpers/runware-job.js';
import { post, REAL_TIME, startReceiver } from '../helpers/webhooks.js';

/**
 * Webhooks as an option (fidelity item 9): with a receiver configured, the submit names a callback
 * URL, a callback ends the poll wait at once, and polling goes on at a slow cadence as the safety
 * net. A safety poll of a minute means: a test that finishes at all finished by callback.
 */

const MINUTE = 60_000;

describe('Runware webhookURL', () => {
  const h = useRunware();

  it('completes on the callback with a single poll instead of the polling cadence', async () => {
    const hub = await startReceiver(MINUTE);
    await h.start({ latencyMs: 300 }, { webhooks: hub });
    const req = h.request({ options: { numberResults: 2 } });
    const result = await h.provider.generate(req, h.context(REAL_TIME).ctx);

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
    await h.start({ latencyMs: 300, callbacks: 'drop' }, { webhooks: hub });
    const result = await h.provider.generate(h.request(), h.context(REAL_TIME).ctx);
    expect(h.emu.droppedCallbacks()).toBe(1);
    expect(h.emu.callbacks).toEqual([]);
    expect(h.emu.server.count('poll')).toBeGreaterThanOrEqual(2);
    expect(result.bytes.length).toBeGreaterThan(0);
    expect(h.emu.billed()).toBe(1);
  });

  it('takes nothing from a forged callback: the poll it triggers asks Runware, and the image comes from Runware', async () => {
    const hub = await startReceiver(MINUTE);
    await h.start({ latencyMs: 400 }, { webhooks: hub });
    const forged: Promise<number>[] = [];
    const fake = h.context({
      ...REAL_TIME,
      onJournal: (e) => {
        if (e.kind !== 'submitted') return;
        const url = (h.submits()[0]!.json as { webhookURL: string }[])[0]!.webhookURL;
        forged.push(post(url, { taskType: 'imageInference', taskUUID: e.taskId, status: 'success', imageURL: 'http://127.0.0.1:9/forged.png', cost: 0 }));
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
    await h.start({ latencyMs: 300 }, { webhooks: hub });
    const result = await h.provider.generate(h.request(), h.context(REAL_TIME).ctx);
    expect(h.submitBodies()[0]!['webhookUrl']).toMatch(/\/[0-9a-f]{32}\/runninghub$/);
    expect(h.emu.callbacks.map((c) => c.status)).toEqual([204]);
    expect(h.emu.server.count('query')).toBe(1);
    expect(result.taskId).toBe(h.emu.tasks()[0]!.id);
  });

  it('still completes by polling when the callback is lost', async () => {
    const hub = await startReceiver(150);
    await h.start({ latencyMs: 300, callbacks: 'drop' }, { webhooks: hub });
    const result = await h.provider.generate(h.request(), h.context(REAL_TIME).ctx);
    expect(h.emu.droppedCallbacks()).toBe(1);
    expect(h.emu.server.count('query')).toBeGreaterThanOrEqual(2);
    expect(result.bytes.length).toBeGreaterThan(0);
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
    const woken = await new Promise<boolean>((resolve) => {
      route.watch('42', () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    expect(woken).toBe(true);
  });
});
