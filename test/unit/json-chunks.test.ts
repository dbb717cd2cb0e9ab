import { describe, expect, it } from 'vitest';
import { jsonArrayChunks } from '../../src/core/json-chunks.js';

describe('jsonArrayChunks', () => {
  it('gives the text JSON.stringify gives the array, whatever the chunk size', () => {
    const items = [1, 'two', { three: [3] }, null, undefined, () => 0, 'a "quoted", comma', [], [[]]];
    for (const size of [1, 5, 1024]) expect([...jsonArrayChunks(items, size)].join(''), String(size)).toBe(JSON.stringify(items));
    expect([...jsonArrayChunks([])].join('')).toBe('[]');
    // Any iterable, read once, in order: undefined as null, as in an array.
    expect([...jsonArrayChunks(new Set(['x', undefined, 'y']).values(), 1)].join('')).toBe('["x",null,"y"]');
  });

  it('keeps each chunk near its size: a large array is never one string', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ file: `en-US/v${i}.jpg`, size: i }));
    const whole = JSON.stringify(items);
    const parts = [...jsonArrayChunks(items, 4096)];
    expect(parts.join('')).toBe(whole);
    // At most the size and the text of one slice of 64 elements (about 40 characters each here) past it.
    expect(parts.length).toBeGreaterThan(whole.length / (4096 + 64 * 40));
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(4096 + 64 * 40);
  });
});
