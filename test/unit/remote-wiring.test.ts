import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCacheUrl } from '../../src/cache/objects.js';
import { inShard, parseShard } from '../../src/cache/shard.js';
import { secretValues } from '../../src/core/redact.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f.split('\\').join('/'), text: readFileSync(join(SRC, f), 'utf8') }));

describe('the remote cache is loaded only when configured', () => {
  it('only src/cache/s3.ts imports the AWS SDK, and only dynamically', () => {
    const users = sources.filter((s) => /(?:from|import\()\s*['"]@aws-sdk\//.test(s.text)).map((s) => s.file);
    expect(users).toEqual(['cache/s3.ts']);
    expect(sources.find((s) => s.file === 'cache/s3.ts')!.text).toMatch(/await import\('@aws-sdk\/client-s3'\)/);
  });
  it('nothing imports src/cache/s3.ts statically', () => {
    const staticImports = sources.filter((s) => /(?:import|export)[^;(]*from\s*['"][./]*(?:cache\/)?s3\.js['"]/.test(s.text)).map((s) => s.file);
    expect(staticImports).toEqual([]);
  });
});

describe('AWS credentials are secrets', () => {
  it('the secret access key and the session token are redacted; the key id is not a secret', () => {
    const values = secretValues({ AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' });
    expect([...values].sort()).toEqual(['FwoGZXIvYXdzEJr', 'wJalrXUtnFEMI/K7MDENG']);
  });
});

describe('--shard i/n', () => {
  const keys = Array.from({ length: 4000 }, (_, i) => createHash('sha256').update(`gen-${i}`).digest('hex'));

  it('puts every generation in exactly one of n shards, evenly', () => {
    const shards = [1, 2, 3, 4].map((index) => keys.filter((k) => inShard(k, { index, count: 4 })));
    expect(shards.reduce((n, s) => n + s.length, 0)).toBe(keys.length);
    expect(new Set(shards.flat()).size).toBe(keys.length);
    for (const s of shards) expect(Math.abs(s.length - 1000)).toBeLessThan(150);
  });
  it('parses i/n and refuses what is not a share', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2']) expect(parseShard(bad), bad).toBeUndefined();
  });
});

describe('cache URLs', () => {
  it('take a bucket and an optional prefix', () => {
    expect(parseCacheUrl('s3://team-cache/pressroom/main/')).toEqual({ bucket: 'team-cache', prefix: 'pressroom/main' });
    expect(parseCacheUrl('s3://team-cache')).toEqual({ bucket: 'team-cache', prefix: '' });
    for (const bad of ['https://x/y', 's3://', 'team-cache/p', 's3://UPPER/p']) expect(parseCacheUrl(bad), bad).toBeUndefined();
  });
});
