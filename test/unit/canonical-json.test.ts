import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/core/hash.js';
import { deliveryRecipe, POST_VERSION } from '../../src/post/deliver.js';
import { CACHE_FORMAT_VERSION, generationKey, type KeyInput } from '../../src/cache/key.js';
import { LOCAL_PROOF_VERSION } from '../../src/core/generation.js';

/** The definition every stored key and recipe was hashed with: entries sorted into a new object at every depth. */
const reference = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });

describe('canonicalJson', () => {
  const cases: [string, unknown][] = [
    ['nested objects and arrays', { b: [3, { z: 1, a: [true, null] }], a: 'x', c: { y: { x: 'é"\n' } } }],
    ['integer-like keys before the others, numerically', { b: 1, 10: 'ten', 2: 'two', a: 0, '01': 'zero-one', '4294967295': 'not an index', '-1': 'neg' }],
    ['undefined, functions and symbols left out of objects, null in arrays', { a: undefined, f: () => 1, s: Symbol('x'), list: [undefined, () => 1, 1] }],
    ['numbers JSON cannot hold', { n: Number.NaN, i: Number.POSITIVE_INFINITY, z: -0 }],
    ['toJSON', { when: new Date(Date.UTC(2026, 0, 2)), custom: { toJSON: () => ({ b: 1, a: 2 }) } }],
    ['bytes, maps and wrapped primitives', { bytes: new Uint8Array([3, 1, 2]), map: new Map([['k', 1]]), str: Object('ab') as unknown }],
    ['plain values', 'text'],
    ['an empty object and array', { o: {}, a: [] }],
  ];
  it.each(cases)('writes %s as sorting into new objects does', (_name, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('orders keys whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('is what a delivery recipe without text layers hashes, written out or not', () => {
    for (const r of [
      { generationKey: 'k'.repeat(64), width: 1080, height: 1920, format: 'jpeg' as const, quality: 80 },
      { generationKey: 'a"b', width: 1, height: 2, format: 'webp' as const, quality: 100, layers: [] },
    ]) {
      const { layers: _none, ...fields } = r as typeof r & { layers?: [] };
      expect(deliveryRecipe(r)).toBe(sha256Hex(canonicalJson({ v: POST_VERSION, ...fields })).slice(0, 32));
    }
  });

  it('is what a generation key hashes, written out or not', () => {
    const base: KeyInput = { provider: 'runware', model: 'seedream-4.0', prompt: 'a "bottle"\n', size: { width: 2048, height: 1152 }, references: [], options: {} };
    const inputs: KeyInput[] = [
      base,
      { ...base, seed: 7, options: { steps: 30, cfg: { b: 1, a: [2, { d: 1, c: 0 }] } } },
      { ...base, references: [{ kind: 'url', url: 'https://example.com/a.png' }, { kind: 'file', sha256: 'f'.repeat(64) } as KeyInput['references'][number]] },
      { ...base, options: undefined as unknown as KeyInput['options'] },
      { ...base, provider: 'local' },
    ];
    for (const input of inputs) {
      const material = {
        v: CACHE_FORMAT_VERSION,
        provider: input.provider,
        model: input.model,
        prompt: input.prompt,
        width: input.size.width,
        height: input.size.height,
        seed: input.seed ?? null,
        references: input.references.map((r) => (r.kind === 'file' ? `sha256:${r.sha256}` : `url:${r.url}`)),
        options: input.options,
        ...(input.provider === 'local' ? { renderer: LOCAL_PROOF_VERSION } : {}),
      };
      expect(generationKey(input)).toBe(sha256Hex(reference(material)));
    }
  });
});
