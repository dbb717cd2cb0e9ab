import { describe, expect, it } from 'vitest';
import { type Reference, MODEL_IDS } from '../../src/core/campaign.js';
import { checkRunningHubReferences } from '../../src/providers/runninghub/references.js';
import { checkRunningHubSize, parseTask, runningHubGenerationSize, submitBody } from '../../src/providers/runninghub/wire.js';

const DELIVERIES = [
  { width: 1080, height: 1080 },
  { width: 1080, height: 1920 },
  { width: 1920, height: 1080 },
  { width: 1200, height: 628 },
  { width: 300, height: 250 },
  { width: 728, height: 90 },
  { width: 160, height: 600 },
  { width: 3000, height: 1000 },
  { width: 1000, height: 3000 },
  { width: 6000, height: 6000 },
  { width: 64, height: 1024 },
];

describe('runningHubGenerationSize', () => {
  it.each(MODEL_IDS.flatMap((model) => DELIVERIES.map((d) => [model, d] as const)))('%s %o is valid for RunningHub', (model, delivery) => {
    const size = runningHubGenerationSize(model, delivery);
    expect(checkRunningHubSize(model, size)).toBeUndefined();
    expect(size.width % 16).toBe(0);
    expect(size.height % 16).toBe(0);
    // Orientation is kept, so the crop never turns the picture (a square may round a step off square).
    if (delivery.width === delivery.height) expect(size.width / size.height).toBeCloseTo(1, 1);
    else expect(Math.sign(size.width - size.height)).toBe(Math.sign(delivery.width - delivery.height));
  });

  it('keeps the delivery aspect where the rules allow it', () => {
    const size = runningHubGenerationSize('seedream-4.5', { width: 1920, height: 1080 });
    expect(size.width / size.height).toBeCloseTo(16 / 9, 1);
  });

  it('uses the wider v5-lite landscape bounds: a 3:1 banner keeps its aspect', () => {
    const size = runningHubGenerationSize('seedream-5-lite', { width: 3000, height: 1000 });
    expect(size.width / size.height).toBeCloseTo(3, 1);
    expect(size.width).toBeLessThanOrEqual(4704);
    expect(size.height).toBeGreaterThanOrEqual(1344);
  });

  it('rejects sizes outside the per-axis v5-lite bounds', () => {
    expect(checkRunningHubSize('seedream-5-lite', { width: 1536, height: 2720 })).toBeDefined(); // width < 1600
    expect(checkRunningHubSize('seedream-5-lite', { width: 2720, height: 1536 })).toBeUndefined();
    expect(checkRunningHubSize('seedream-4.5', { width: 1504, height: 1504 })).toBeDefined(); // too few pixels
  });
});

describe('parseTask', () => {
  it('reads the documented success answer', () => {
    const task = parseTask({
      taskId: '2013508786110730241',
      status: 'SUCCESS',
      errorCode: '',
      errorMessage: '',
      failedReason: {},
      usage: { consumeMoney: '0.0400', consumeCoins: null, taskCostTime: '0', thirdPartyConsumeMoney: null },
      results: [{ url: 'https://cdn/x.png', nodeId: '2', outputType: 'png', text: null }],
    });
    expect(task).toEqual({ taskId: '2013508786110730241', status: 'SUCCESS', errorCode: undefined, resultUrl: 'https://cdn/x.png', cost: 0.04 });
  });

  it('accepts task_id, outputUrl and a null consumeMoney', () => {
    const task = parseTask({ task_id: 42, status: 'success', usage: { consumeMoney: null }, results: [{ text: 'x' }, { outputUrl: 'https://cdn/y.png' }] });
    expect(task).toMatchObject({ taskId: '42', status: 'SUCCESS', resultUrl: 'https://cdn/y.png', cost: undefined });
  });

  it('survives bodies that are not objects', () => {
    expect(parseTask(null)).toEqual({});
    expect(parseTask('oops')).toEqual({});
    expect(parseTask({ usage: { consumeMoney: 'n/a' }, results: 'none' })).toMatchObject({ cost: undefined, resultUrl: undefined });
  });
});

describe('submitBody', () => {
  it('sends the planned size and one image; provider options cannot override them', () => {
    const body = submitBody('p', { width: 2560, height: 1440 }, [], { width: 1, resolution: '4k', toolsType: 'web_search', maxImages: 5 });
    expect(body).toEqual({ toolsType: 'web_search', prompt: 'p', width: 2560, height: 1440, sequentialImageGeneration: 'disabled', maxImages: 1 });
  });

  it('adds imageUrls only when there are references', () => {
    expect(submitBody('p', { width: 2048, height: 2048 }, ['https://a/b.png'], {})['imageUrls']).toEqual(['https://a/b.png']);
  });
});

describe('checkRunningHubReferences', () => {
  const file = (mime: 'image/png' | 'image/jpeg' | 'image/webp', bytes = 10): Reference => ({
    kind: 'file', path: `/refs/${mime}`, sha256: 's', mime, bytes: new Uint8Array(bytes), width: 10, height: 10,
  });

  it.each<[string, Reference[], number]>([
    ['png and jpeg files', [file('image/png'), file('image/jpeg')], 0],
    ['an https URL', [{ kind: 'url', url: 'https://example.com/a.png' }], 0],
    ['webp', [file('image/webp')], 1],
    ['over 10 MB', [file('image/png', 10 * 1024 * 1024 + 1)], 1],
    ['exactly 10 MB', [file('image/png', 10 * 1024 * 1024)], 0],
    ['eleven references', Array.from({ length: 11 }, () => file('image/png')), 1],
    ['a non-http URL', [{ kind: 'url', url: 'ftp://example.com/a.png' }], 1],
  ])('%s', (_name, refs, problems) => {
    expect(checkRunningHubReferences(refs)).toHaveLength(problems);
  });
});
