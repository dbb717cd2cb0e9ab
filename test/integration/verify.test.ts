import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.js';
import type { CampaignManifest } from '../../src/core/results.js';
import { cli, makeProject } from '../helpers/project.js';

/**
 * Delivered files stay what was delivered. A plain build trusts a file whose size and mtime are as
 * recorded and rehashes the others; --verify rehashes every file and verifies the cache behind it.
 */
const CAMPAIGN = `template: poster
variants: [{ id: hero, scene: "a bottle" }]
locales:
  en-US: { headline: "Hello", copy: "Copy" }
  de-DE: { headline: "Hallo", copy: "Text" }
sizes: [{ id: thumb, width: 320, height: 320 }]
`;

let project: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  project = await makeProject({ demo: CAMPAIGN }, '{{scene}}: "{{headline}}" in {{language}}');
  expect((await cli(project.dir, ['build'])).code).toBe(0);
});
afterAll(() => project.cleanup());

const out = (...parts: string[]) => join(project.dir, 'out', 'demo', ...parts);
const manifest = () => JSON.parse(readFileSync(out('manifest.json'), 'utf8')) as CampaignManifest;
const summaryOf = (stdout: string) => JSON.parse(stdout).campaigns[0] as { generated: number; cached: number; failed: number };

/** Flips one byte in the middle of the file: same length; mtime put back unless told otherwise. */
function tamper(file: string, keepMtime: boolean): void {
  const before = statSync(file);
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(file, bytes);
  if (keepMtime) utimesSync(file, before.atime, before.mtime);
  else utimesSync(file, before.atime, new Date(before.mtimeMs + 5000));
  expect(statSync(file).size).toBe(before.size);
}

describe('delivered files stay what was delivered', () => {
  it('a same-size edit that keeps the mtime is left by a plain build (documented) and rewritten by --verify', async () => {
    const asset = manifest().assets.find((a) => a.locale === 'de-DE')!;
    // A whole-second mtime, recorded by one build, so utimes can put it back exactly after the edit.
    const second = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(out(asset.file), second, second);
    expect((await cli(project.dir, ['build'])).code).toBe(0);
    tamper(out(asset.file), true);
    expect(statSync(out(asset.file)).mtimeMs).toBe(second.getTime());
    const plain = await cli(project.dir, ['build', '--json']);
    expect(plain.code).toBe(0);
    // The cheap check sees the same size and mtime: it does not read the file.
    expect(sha256Hex(readFileSync(out(asset.file)))).not.toBe(asset.sha256);

    const verified = await cli(project.dir, ['build', '--verify', '--json']);
    expect(verified.code).toBe(0);
    expect(summaryOf(verified.stdout)).toMatchObject({ generated: 0, failed: 0 });
    expect(sha256Hex(readFileSync(out(asset.file)))).toBe(asset.sha256);
    expect(manifest().assets.find((a) => a.file === asset.file)).toEqual(asset);
  });

  it('a same-size edit with a new mtime is rewritten by a plain build, from the cache', async () => {
    const asset = manifest().assets.find((a) => a.locale === 'en-US')!;
    const other = manifest().assets.find((a) => a.locale === 'de-DE')!;
    const otherMtime = statSync(out(other.file)).mtimeMs;
    tamper(out(asset.file), false);
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(0);
    expect(summaryOf(run.stdout)).toMatchObject({ generated: 0, failed: 0 });
    expect(sha256Hex(readFileSync(out(asset.file)))).toBe(asset.sha256);
    // The untouched file was neither rewritten nor touched.
    expect(statSync(out(other.file)).mtimeMs).toBe(otherMtime);
  });

  it('a file touched without a change is rehashed once and left alone', async () => {
    const asset = manifest().assets[0]!;
    const later = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    utimesSync(out(asset.file), later, later);
    const touched = statSync(out(asset.file)).mtimeMs;
    const run = await cli(project.dir, ['build', '--json']);
    expect(run.code).toBe(0);
    expect(statSync(out(asset.file)).mtimeMs).toBe(touched);
  });

  it('under --verify, a corrupt cache entry behind current files is a miss: the image is generated again', async () => {
    const asset = manifest().assets.find((a) => a.locale === 'en-US')!;
    const objects = join(project.dir, '.pressroom', 'cache', 'objects', asset.generation.key.slice(0, 2));
    const image = join(objects, `${asset.generation.key}.img`);
    const bytes = readFileSync(image);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(image, bytes);

    const plain = await cli(project.dir, ['build', '--json']);
    // out/ looks current, so a plain build has no reason to read the cache.
    expect(summaryOf(plain.stdout)).toMatchObject({ generated: 0 });

    const verified = await cli(project.dir, ['build', '--verify', '--json']);
    expect(verified.code).toBe(0);
    expect(summaryOf(verified.stdout)).toMatchObject({ generated: 1, failed: 0 });
    const fresh = readFileSync(image);
    expect(sha256Hex(fresh)).not.toBe(sha256Hex(bytes));
    // The local provider is deterministic: the regenerated image cuts the same file.
    expect(sha256Hex(readFileSync(out(asset.file)))).toBe(asset.sha256);
  });

  it('a cache cleared behind current files costs nothing under --verify', async () => {
    rmSync(join(project.dir, '.pressroom', 'cache', 'objects'), { recursive: true });
    const verified = await cli(project.dir, ['build', '--verify', '--json']);
    expect(summaryOf(verified.stdout)).toMatchObject({ generated: 0, failed: 0 });
  });

  it('keeps its stamps in the cache folder, not in out/', () => {
    const files = readdirSync(out(), { recursive: true }).map(String).sort();
    // The gallery's page, its font (Latin, the one script here) and one thumbnail per delivered file's content.
    expect(files.filter((f) => !f.startsWith('thumbs/') && !f.startsWith('fonts/'))).toEqual(['contact-sheet.png', 'de-DE', 'de-DE/hero-thumb.png', 'en-US', 'en-US/hero-thumb.png', 'fonts', 'index.html', 'manifest.json', 'thumbs']);
    expect(files.filter((f) => f.startsWith('thumbs/'))).toHaveLength(2);
    expect(files.filter((f) => f.startsWith('fonts/'))).toHaveLength(1);
    expect(readdirSync(join(project.dir, '.pressroom', 'cache', 'delivered'))).toHaveLength(1);
  });
});
