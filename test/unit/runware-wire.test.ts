import { describe, expect, it } from 'vitest';
import { type Reference, MODEL_IDS } from '../../src/core/campaign.js';
import { checkSize, SEEDREAM_RULES } from '../../src/providers/kit/sizes.js';
import { checkRunwareReferences, createRunwareProvider } from '../../src/providers/runware/index.js';
import { imageInferenceTask, readTaskState, referenceToWire } from '../../src/providers/runware/wire.js';
import { type GenerationRequest } from '../../src/core/generation.js';
import { generationRequest } from '../helpers/generation-request.js';

const UUID = '4dcb8a49-d8b5-4460-9489-5399b1008b09';

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return generationRequest({ provider: 'runware', size: { width: 2048, height: 3072 }, ...overrides }, { locale: 'en' });
}

const file = (bytes: Uint8Array, width = 512, height = 512): Reference => ({
  kind: 'file',
  path: '/refs/a.png',
  sha256: 'x',
  mime: 'image/png',
  bytes,
  width,
  height,
});

describe('imageInferenceTask', () => {
  it('asks for one async URL result with cost, at the exact size, under the given taskUUID', () => {
    const { task } = imageInferenceTask(request({ seed: 42 }), UUID);
    expect(task).toEqual({
      taskType: 'imageInference',
      taskUUID: UUID,
      model: 'bytedance:seedream@4.5',
      positivePrompt: 'a bottle',
      width: 2048,
      height: 3072,
      seed: 42,
      outputType: 'URL',
      outputFormat: 'PNG',
      deliveryMethod: 'async',
      includeCost: true,
      numberResults: 1,
    });
  });

  it.each([
    ['seedream-4.0', 'bytedance:5@0'],
    ['seedream-4.5', 'bytedance:seedream@4.5'],
    ['seedream-5-lite', 'bytedance:seedream@5.0-lite'],
  ] as const)('maps %s to the AIR id %s', (model, air) => {
    expect(imageInferenceTask(request({ model }), UUID).task['model']).toBe(air);
  });

  it('omits seed and references when there are none', () => {
    const { task } = imageInferenceTask(request(), UUID);
    expect(task).not.toHaveProperty('seed');
    expect(task).not.toHaveProperty('inputs');
  });

  it('passes providerOptions through but never lets them change delivery or identity', () => {
    const options = { outputFormat: 'jpeg', providerSettings: { bytedance: { optimizePromptMode: 'fast' } }, deliveryMethod: 'sync', taskUUID: 'other', numberResults: 4 };
    const { task, ignored } = imageInferenceTask(request({ options }), UUID);
    expect(task).toMatchObject({ outputFormat: 'JPG', providerSettings: { bytedance: { optimizePromptMode: 'fast' } }, deliveryMethod: 'async', taskUUID: UUID, numberResults: 4 });
    expect([...ignored].sort()).toEqual(['deliveryMethod', 'numberResults', 'taskUUID']);
  });

  it('sends local references as data URIs and URLs untouched', () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const { task } = imageInferenceTask(request({ references: [file(bytes), { kind: 'url', url: 'https://cdn.example/r.jpg' }] }), UUID);
    expect(task['inputs']).toEqual({ referenceImages: [`data:image/png;base64,${Buffer.from(bytes).toString('base64')}`, 'https://cdn.example/r.jpg'] });
    expect(referenceToWire({ kind: 'url', url: 'https://x/y.png' })).toBe('https://x/y.png');
  });
});

describe('readTaskState', () => {
  it.each([
    ['an acknowledgement', { data: [{ taskType: 'imageInference', taskUUID: UUID }] }, { kind: 'processing' }],
    ['processing with progress', { data: [{ taskUUID: UUID, status: 'processing', progress: 40 }] }, { kind: 'processing', progress: 40 }],
    ['the older pending state', { data: [{ taskUUID: UUID, status: 'pending' }] }, { kind: 'processing' }],
    ['an empty data array', { data: [] }, { kind: 'processing' }],
  ])('reads %s as still running', (_name, body, expected) => {
    expect(readTaskState(body, UUID)).toEqual(expected);
  });

  it('reads a success item with its URL, cost and seed', () => {
    const body = { data: [{ taskUUID: UUID, status: 'success', imageUUID: 'i', imageURL: 'https://im/x.png', seed: 7, cost: 0.04 }] };
    const item = { imageURL: 'https://im/x.png', bytes: undefined, cost: 0.04, seed: 7, nsfw: false };
    expect(readTaskState(body, UUID)).toEqual({ kind: 'success', item, items: [item] });
  });

  it('waits for every one of numberResults items before calling the task done', () => {
    const one = { taskUUID: UUID, status: 'success', imageURL: 'https://im/1.png' };
    const two = { taskUUID: UUID, status: 'success', imageURL: 'https://im/2.png' };
    expect(readTaskState({ data: [one] }, UUID, 2)).toEqual({ kind: 'processing' });
    const state = readTaskState({ data: [one, two] }, UUID, 2);
    expect(state?.kind === 'success' && state.items.map((i) => i.imageURL)).toEqual(['https://im/1.png', 'https://im/2.png']);
  });

  it('decodes an inline data URI result', () => {
    const state = readTaskState({ data: [{ taskUUID: UUID, status: 'success', imageDataURI: 'data:image/png;base64,AQID' }] }, UUID);
    expect(state?.kind === 'success' && [...state.item.bytes!]).toEqual([1, 2, 3]);
  });

  it('reads item-level and top-level errors as a failed task', () => {
    const item = { data: [{ taskUUID: UUID, status: 'error', error: { code: 'providerContentPolicyViolation', message: 'no' } }] };
    expect(readTaskState(item, UUID)).toMatchObject({ kind: 'failed', error: { code: 'providerContentPolicyViolation' } });
    const top = { data: [], errors: [{ code: 'timeoutProvider', message: 'Provider timed out', taskUUID: UUID }] };
    expect(readTaskState(top, UUID)).toMatchObject({ kind: 'failed', error: { code: 'timeoutProvider' } });
  });

  it('reads taskNotFound and taskExpired as a missing task', () => {
    expect(readTaskState({ errors: [{ code: 'taskNotFound', taskUUID: UUID }] }, UUID)).toEqual({ kind: 'missing', code: 'taskNotFound' });
    expect(readTaskState({ data: [], errors: [{ code: 'taskExpired' }] }, UUID)).toEqual({ kind: 'missing', code: 'taskExpired' });
  });

  it('ignores items and errors of other tasks', () => {
    const body = {
      data: [{ taskUUID: 'other', status: 'success', imageURL: 'https://im/other.png' }, { taskUUID: UUID, status: 'processing' }],
      errors: [{ code: 'timeoutProvider', taskUUID: 'other' }],
    };
    expect(readTaskState(body, UUID)).toEqual({ kind: 'processing' });
  });

  it('rejects a body that is not a Runware envelope', () => {
    expect(readTaskState({ status: 'ok' }, UUID)).toBeUndefined();
    expect(readTaskState([], UUID)).toBeUndefined();
  });
});

describe('Runware provider info', () => {
  const provider = createRunwareProvider({ env: {} });

  it('offers all three models, an idempotent submit and a price for each model', () => {
    expect(provider.models).toEqual([...MODEL_IDS]);
    expect(provider.idempotentSubmit).toBe(true);
    expect(provider.requiredEnv).toEqual(['RUNWARE_API_KEY']);
    for (const model of MODEL_IDS) expect(provider.prices[model]).toBeGreaterThan(0);
  });

  it.each(MODEL_IDS.flatMap((model) => [[1080, 1920], [1920, 1080], [1200, 628], [1080, 1080], [300, 250], [728, 90]].map(([w, h]) => [model, w!, h!] as const)))(
    '%s: generation size for %ix%i is valid and keeps the aspect',
    (model, width, height) => {
      const size = provider.generationSize(model, { width, height });
      expect(checkSize(size, SEEDREAM_RULES[model])).toBeUndefined();
      expect(Math.abs(Math.log(size.width / size.height) - Math.log(width / height))).toBeLessThan(0.05);
    },
  );
});

describe('checkRunwareReferences', () => {
  it('accepts up to 14 small references', () => {
    expect(checkRunwareReferences('seedream-4.5', Array.from({ length: 14 }, () => file(new Uint8Array(10))))).toEqual([]);
  });

  it('reports too many, too large, bad sides and non-http URLs, one problem each', () => {
    expect(checkRunwareReferences('seedream-4.5', Array.from({ length: 15 }, () => file(new Uint8Array(10))))).toHaveLength(1);
    expect(checkRunwareReferences('seedream-4.5', [file(new Uint8Array(10 * 1024 * 1024 + 1))])).toHaveLength(1);
    expect(checkRunwareReferences('seedream-4.5', [file(new Uint8Array(10), 10, 400)])).toHaveLength(1);
    expect(checkRunwareReferences('seedream-4.5', [file(new Uint8Array(10), 6001, 400)])).toHaveLength(1);
    expect(checkRunwareReferences('seedream-4.5', [file(new Uint8Array(10), 20, 400)])).toHaveLength(1);
    expect(checkRunwareReferences('seedream-4.5', [{ kind: 'url', url: 'ftp://x/y.png' }])).toHaveLength(1);
  });
});
