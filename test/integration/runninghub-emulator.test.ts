import { afterEach, describe, expect, it } from 'vitest';
import { startRunningHubEmulator, type RunningHubEmulator } from '../helpers/emulators/runninghub.js';

/** The emulator's own contract, so adapter tests can trust what it accepts and refuses. */

let emu: RunningHubEmulator;
afterEach(async () => emu.close());

async function post(path: string, body: unknown, key = emu.apiKey) {
  const res = await fetch(`${emu.baseUrl}/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('RunningHub emulator', () => {
  it.each<[string, string, Record<string, unknown>, string]>([
    ['a missing prompt', 'seedream-v4.5/text-to-image', {}, '301'],
    ['a prompt over 2000 characters', 'seedream-v4.5/text-to-image', { prompt: 'x'.repeat(2001) }, '301'],
    ['too few pixels for 4.5', 'seedream-v4.5/text-to-image', { prompt: 'p', width: 1504, height: 1504 }, '1007'],
    ['a v5-lite width under 1600', 'seedream-v5-lite/text-to-image', { prompt: 'p', width: 1536, height: 2720 }, '301'],
    ['a side not a multiple of 8', 'seedream-v4/text-to-image', { prompt: 'p', width: 2044, height: 2048 }, '301'],
    ['an unknown resolution', 'seedream-v4.5/text-to-image', { prompt: 'p', resolution: '1k' }, '301'],
    ['imageUrls on text-to-image', 'seedream-v4/text-to-image', { prompt: 'p', imageUrls: ['https://a/b.png'] }, '301'],
    ['image-to-image without imageUrls', 'seedream-v4/image-to-image', { prompt: 'p' }, '301'],
    ['eleven imageUrls', 'seedream-v4/image-to-image', { prompt: 'p', imageUrls: Array(11).fill('https://a/b.png') }, '301'],
    ['a webp data URI', 'seedream-v4/image-to-image', { prompt: 'p', imageUrls: ['data:image/webp;base64,AAAA'] }, '1008'],
  ])('refuses %s', async (_name, path, body, code) => {
    emu = await startRunningHubEmulator();
    const res = await post(path, body);
    expect(res.status).toBe(200);
    expect(res.json['errorCode']).toBe(code);
    expect(emu.tasks()).toHaveLength(0);
  });

  it('answers a wrong key with errorCode 1002', async () => {
    emu = await startRunningHubEmulator();
    expect((await post('seedream-v4.5/text-to-image', { prompt: 'p' }, 'nope')).json['errorCode']).toBe('1002');
  });

  it('answers RUNNING at submit, as the seed page shows, advances to SUCCESS and serves an image that later expires', async () => {
    emu = await startRunningHubEmulator({ latencyMs: 30, resultTtlMs: 60_000 });
    const { json } = await post('seedream-v4.5/text-to-image', { prompt: 'p', width: 2560, height: 1440 });
    expect(json['status']).toBe('RUNNING');
    const taskId = json['taskId'] as string;
    expect(taskId).toMatch(/^\d{19}$/);
    emu.clock.advance(30);
    const done = await post('query', { taskId });
    expect(done.json['status']).toBe('SUCCESS');
    const url = (done.json['results'] as { url: string }[])[0]!.url;
    expect((await fetch(url)).status).toBe(200);
    emu.expireResults();
    expect((await fetch(url)).status).toBe(403);
  });

  it('signals its concurrency cap as errorCode 421, or as HTTP 429 with Retry-After', async () => {
    emu = await startRunningHubEmulator({ latencyMs: 10_000, maxActiveTasks: 1 });
    await post('seedream-v4.5/text-to-image', { prompt: 'a' });
    expect((await post('seedream-v4.5/text-to-image', { prompt: 'b' })).json['errorCode']).toBe('421');
    await emu.close();
    emu = await startRunningHubEmulator({ latencyMs: 10_000, maxActiveTasks: 1, limitSignal: '429', retryAfterSeconds: 2 });
    await post('seedream-v4.5/text-to-image', { prompt: 'a' });
    const limited = await post('seedream-v4.5/text-to-image', { prompt: 'b' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(emu.submissions('b')).toHaveLength(1);
    expect(emu.tasks('b')).toHaveLength(0);
  });

  it('answers an unknown task id with errorCode 807', async () => {
    emu = await startRunningHubEmulator();
    expect((await post('query', { taskId: '1' })).json['errorCode']).toBe('807');
  });
});
