import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/http/client.js';
import { startRunwareEmulator, type RunwareEmulator } from '../helpers/emulators/runware.js';
import { imageSize } from '../helpers/images.js';

/** The emulator's own protocol rules, as the adapter tests and the benchmark rely on them. */

const http = createHttpClient();
afterAll(() => http.close());
let emu: RunwareEmulator;

afterEach(async () => {
  await emu.close();
});

async function post(tasks: unknown, headers: Record<string, string> = { authorization: `Bearer ${emu.apiKey}` }) {
  const res = await http.request({
    method: 'POST',
    url: emu.baseUrl,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(tasks),
  });
  return { status: res.status, body: JSON.parse(Buffer.from(res.body).toString('utf8')) as { data?: Record<string, unknown>[]; errors?: { code: string }[] } };
}

const uuid = () => randomUUID();
const inference = (fields: Record<string, unknown>) => ({
  taskType: 'imageInference',
  taskUUID: uuid(),
  model: 'bytedance:5@0',
  positivePrompt: 'p',
  deliveryMethod: 'async',
  ...fields,
});

describe('Runware emulator', () => {
  it.each([
    ['bytedance:5@0', 1600, 600, 200],
    ['bytedance:5@0', 800, 800, 400],
    ['bytedance:seedream@4.5', 3750, 1250, 200],
    ['bytedance:seedream@4.5', 1500, 1500, 400],
    ['bytedance:seedream@5.0-lite', 4096, 4096, 400],
  ])('validates %s at %ix%i by pixel range (HTTP %i)', async (model, width, height, status) => {
    emu = await startRunwareEmulator();
    const res = await post([inference({ model, width, height })]);
    expect(res.status).toBe(status);
    if (status === 400) expect(res.body.errors?.[0]?.code).toBe('invalidDimensions');
  });

  it('accepts the key as an authentication task and rejects a missing key', async () => {
    emu = await startRunwareEmulator();
    const ok = await post([{ taskType: 'authentication', apiKey: emu.apiKey }, inference({ width: 1280, height: 720 })], {});
    expect(ok.status).toBe(200);
    const missing = await post([inference({ width: 1280, height: 720 })], {});
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0]?.code).toBe('missingApiKey');
  });

  it('rejects more than 14 references and unknown uploaded-image UUIDs', async () => {
    emu = await startRunwareEmulator();
    const many = await post([inference({ width: 1280, height: 720, inputs: { referenceImages: Array(15).fill('https://x/y.png') } })]);
    expect(many.body.errors?.[0]?.code).toBe('valueTooLarge');
    const unknown = await post([inference({ width: 1280, height: 720, inputs: { referenceImages: [uuid()] } })]);
    expect(unknown.body.errors?.[0]?.code).toBe('mediaNotFound');
  });

  it('takes an uploaded image UUID as a reference', async () => {
    emu = await startRunwareEmulator();
    const up = await post([{ taskType: 'imageUpload', taskUUID: uuid(), image: 'data:image/png;base64,iVBORw0KGgo=' }]);
    const imageUUID = up.body.data?.[0]?.['imageUUID'] as string;
    const res = await post([inference({ width: 1280, height: 720, inputs: { referenceImages: [imageUUID] } })]);
    expect(res.status).toBe(200);
  });

  it('answers sync delivery with the finished result in one call', async () => {
    emu = await startRunwareEmulator({ latencyMs: 10 });
    const res = await post([inference({ width: 1280, height: 720, deliveryMethod: 'sync', outputFormat: 'JPG', includeCost: true })]);
    expect(res.body.data?.[0]).toMatchObject({ status: 'success', cost: 0.03 });
    const image = await http.request({ method: 'GET', url: res.body.data![0]!['imageURL'] as string });
    expect(await imageSize(image.body)).toEqual({ width: 1280, height: 720, format: 'jpeg' });
  });

  it('does not bill a repeated taskUUID and expires result URLs like a CDN', async () => {
    emu = await startRunwareEmulator({ latencyMs: 0 });
    const task = inference({ width: 1280, height: 720 });
    expect((await post([task])).status).toBe(200);
    const again = await post([task]);
    expect(again.body.errors?.[0]?.code).toBe('conflictTaskUUID');
    expect(emu.billed()).toBe(1);
    expect(emu.submissions('p')).toBe(2);
    const done = await post([{ taskType: 'getResponse', taskUUID: task.taskUUID }]);
    const url = done.body.data?.[0]?.['imageURL'] as string;
    emu.expireResults();
    expect((await http.request({ method: 'GET', url })).status).toBe(403);
  });

  it('answers 429 with Retry-After beyond maxActiveTasks', async () => {
    emu = await startRunwareEmulator({ latencyMs: 60_000, maxActiveTasks: 2, retryAfterSeconds: 4 });
    await post([inference({ width: 1280, height: 720 })]);
    await post([inference({ width: 1280, height: 720 })]);
    const res = await http.request({
      method: 'POST',
      url: emu.baseUrl,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emu.apiKey}` },
      body: JSON.stringify([inference({ width: 1280, height: 720 })]),
    });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('4');
    expect(emu.activeTasks()).toBe(2);
  });
});
