import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKeyedEnv, keyedEnv, UNKEYED_NAMES } from '../../src/cache/replay.js';

/**
 * A kept outcome is keyed by the environment variables Pressroom reads: one that is read but not
 * keyed would let a run with another value print the old outcome. Every name read in src/ is keyed
 * or named as one that changes no output.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the environment a kept outcome is keyed by', () => {
  it('covers every variable src/ reads', () => {
    const read = new Set<string>();
    for (const file of sources(join(import.meta.dirname, '..', '..', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]|env\.([A-Z][A-Z0-9_]+)\b|\b((?:PRESSROOM|RUNWARE|RUNNINGHUB|RUNCOMFY|AWS)_[A-Z0-9_]+)\b/g)) read.add(m[1] ?? m[2] ?? m[3]!);
    }
    expect(read.size).toBeGreaterThan(20);
    const unkeyed = [...read].filter((name) => !isKeyedEnv(name) && !UNKEYED_NAMES.has(name));
    expect(unkeyed).toEqual([]);
    for (const name of ['PRESSROOM_CONCURRENCY', 'RUNWARE_BASE_URL', 'CI', 'NO_COLOR']) expect(isKeyedEnv(name), name).toBe(true);
  });

  it('keeps a secret by presence only, and leaves variables it does not read out', () => {
    const keyed = keyedEnv({ RUNWARE_API_KEY: 'rw-123', AWS_SECRET_ACCESS_KEY: 'aws-456', PRESSROOM_LOG: 'debug', HOME: '/root', npm_lifecycle_event: 'build', AWS_REGION: 'eu-west-1' });
    expect(keyed).toEqual([
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_SECRET_ACCESS_KEY', 'set'],
      ['PRESSROOM_LOG', 'debug'],
      ['RUNWARE_API_KEY', 'set'],
    ]);
  });
});
