import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentReplay, type Footprint, type Invocation } from '../../src/cache/replay.js';
import { recordReplay } from '../../src/cache/replay-record.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The confirmation rule of kept outcomes: a record is printed again only after a second run of the
 * same invocation found the same files and printed the same bytes; any difference in either makes
 * it a candidate again.
 */
let dir: { dir: string; cleanup: () => Promise<void> };
let inv: Invocation;
let footprint: Footprint;
const later = () => Date.now() + 60_000;
const outcome = (text: string) => ({ output: [[2, 'building\n'], [1, text]] as const, exitCode: 0 });

beforeEach(async () => {
  dir = await tempDir('pressroom-replay-');
  mkdirSync(join(dir.dir, 'campaigns', 'a'), { recursive: true });
  writeFileSync(join(dir.dir, 'campaigns', 'a', 'campaign.yaml'), 'template: t\n');
  mkdirSync(join(dir.dir, 'out', 'a'), { recursive: true });
  writeFileSync(join(dir.dir, 'out', 'a', 'manifest.json'), '{}');
  inv = { node: process.version, argv: ['build'], cwd: dir.dir, env: { CI: 'true' }, stdout: {}, stderr: {} };
  footprint = { projectRoot: dir.dir, named: [], outRoot: join(dir.dir, 'out'), outDirs: [join(dir.dir, 'out', 'a')], listedOnly: [], cacheDir: join(dir.dir, '.pressroom', 'cache'), cacheFiles: [] };
});
afterEach(() => dir.cleanup());

describe('confirming a kept outcome', () => {
  it('takes a second run with the same files and the same printout', async () => {
    expect(await recordReplay(inv, footprint, outcome('ok'), later())).toBe('candidate');
    expect(currentReplay(inv)).toBeUndefined();
    expect(await recordReplay(inv, footprint, outcome('ok'), later())).toBe('confirmed');
    expect(currentReplay(inv)).toEqual(outcome('ok'));
  });

  it('is refused to a run that printed other bytes, or found other files', async () => {
    await recordReplay(inv, footprint, outcome('ok'), later());
    expect(await recordReplay(inv, footprint, outcome('note: resumed 3 tasks\nok'), later())).toBe('candidate');
    expect(currentReplay(inv)).toBeUndefined();
    writeFileSync(join(dir.dir, 'out', 'a', 'manifest.json'), '{"v":2}');
    expect(await recordReplay(inv, footprint, outcome('note: resumed 3 tasks\nok'), later())).toBe('candidate');
    expect(currentReplay(inv)).toBeUndefined();
    expect(await recordReplay(inv, footprint, outcome('note: resumed 3 tasks\nok'), later())).toBe('confirmed');
    // Confirmed, then a file it read changes: not printed again.
    writeFileSync(join(dir.dir, 'campaigns', 'a', 'campaign.yaml'), 'template: u\n');
    expect(currentReplay(inv)).toBeUndefined();
  });

  it('keeps nothing when an input changed within a second of the run, or for another project folder', async () => {
    // The run started half a second after the campaign file last changed.
    const changed = statSync(join(dir.dir, 'campaigns', 'a', 'campaign.yaml')).ctimeMs;
    expect(await recordReplay(inv, footprint, outcome('ok'), changed + 500)).toBe('racy');
    expect(await recordReplay(inv, footprint, outcome('ok'), changed + 1500)).toBe('candidate');
    expect(await recordReplay({ ...inv, cwd: join(dir.dir, 'campaigns') }, footprint, outcome('ok'), later())).toBe('elsewhere');
  });
});
