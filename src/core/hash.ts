import crypto, { createHash } from 'node:crypto';

/** Content hashing for cache keys and delivery recipes: equal data, equal hash. */

// One-shot hashing where Node has it (20.12+): a cached rebuild hashes a recipe per delivered file.
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted at every depth, so equal data hashes equally. The key order is what
 * sorting entries into a new object gives (integer-like keys first, ascending, then the others by
 * code unit), which every key and recipe hashed so far depends on; written out directly because
 * a replacer that rebuilds every object dominated the time of a cached rebuild.
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, '') ?? (undefined as unknown as string);
}

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const isIndexKey = (k: string) => {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && INDEX_KEY.test(k) && Number(k) < 4294967295;
};

function canonical(v: unknown, key: string): string | undefined {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return canonical((v as { toJSON: (k: string) => unknown }).toJSON(key), key);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += `${i > 0 ? ',' : ''}${canonical(v[i], String(i)) ?? 'null'}`;
    return `${out}]`;
  }
  if (v instanceof Uint8Array) return JSON.stringify(v);
  const record = v as Record<string, unknown>;
  // Object.keys lists integer-like keys first and ascending already; the rest are sorted.
  let keys = Object.keys(record);
  let split = 0;
  while (split < keys.length && isIndexKey(keys[split]!)) split++;
  keys = split === 0 ? keys.sort() : [...keys.slice(0, split), ...keys.slice(split).sort()];
  let out = '{';
  for (const k of keys) {
    const text = canonical(record[k], k);
    if (text !== undefined) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${text}`;
  }
  return `${out}}`;
}
