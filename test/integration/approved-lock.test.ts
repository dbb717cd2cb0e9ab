import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAMPAIGN, cli, makeProject } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * approved.lock as an input file: an older lock (version 1, no delivered files) keeps working for a
 * campaign without text layers, and the lock is read with the confinement every project file gets,
 * its problems located at a line and a field.
 */

// No text layers: the prompt carries the copy, as before text layers existed.
const CAMPAIGN = DEMO_CAMPAIGN.replace(/sizes:[\s\S]*?output:/, 'sizes:\n  - { id: thumb, width: 320, height: 320 }\noutput:');
const CELLS = ['hero/ar-SA/thumb', 'hero/de-DE/thumb', 'hero/en-US/thumb'];

let project: { dir: string; cleanup: () => Promise<void> };
const lockFile = () => join(project.dir, 'campaigns', 'demo', 'approved.lock');
const run = async (...args: string[]) => {
  const r = await cli(project.dir, [...args, '--json']);
  return { ...r, doc: JSON.parse(r.stdout) as { errors: { code: string; message: string; file?: string; line?: number; col?: number; field?: string }[] } };
};
/** Images in the cache: a build that generates anything adds one. */
const cached = () => readdirSync(join(project.dir, '.pressroom', 'cache', 'objects'), { recursive: true }).filter((f) => String(f).endsWith('.json')).length;

beforeAll(async () => {
  project = await makeProject({ demo: CAMPAIGN });
  expect((await cli(project.dir, ['build'])).code).toBe(0);
  expect((await cli(project.dir, ['approve', 'demo'])).code).toBe(0);
}, 120_000);
afterAll(async () => project?.cleanup());

describe('a version 1 approved.lock (generation and file hash, no recipe), campaign without text layers', () => {
  let v2: string;
  beforeAll(() => {
    v2 = readFileSync(lockFile(), 'utf8');
    const lock = JSON.parse(v2) as { cells: Record<string, { delivered?: unknown }> };
    for (const cell of Object.values(lock.cells)) delete cell.delivered;
    writeFileSync(lockFile(), JSON.stringify({ ...lock, version: 1 }, null, 2));
  });

  it('still lets --frozen deliver, saying the approvals cover the generation and to approve again', async () => {
    const r = await cli(project.dir, ['build', '--frozen']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stderr).toContain('3 cell(s) were approved before Pressroom recorded delivered files');
    expect(r.stderr).toContain('re-approve to cover the delivered file (pressroom approve demo)');
  });

  it('refuses an edited prompt copy before generating anything, naming the cell (the key check)', async () => {
    const yaml = join(project.dir, 'campaigns', 'demo', 'campaign.yaml');
    const images = cached();
    writeFileSync(yaml, CAMPAIGN.replace('HYDRATION, VERFEINERT', 'FRISCH, DEN GANZEN TAG'));
    try {
      const r = await cli(project.dir, ['build', '--frozen']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('demo hero/de-DE/thumb: changed since approval: the generated image changed');
      expect(r.stdout).not.toContain('hero/en-US/thumb');
      expect(cached()).toBe(images);
    } finally {
      writeFileSync(yaml, CAMPAIGN);
    }
  });

  it('approving again writes version 2 with the delivered files', async () => {
    expect((await cli(project.dir, ['approve', 'demo'])).code).toBe(0);
    const lock = JSON.parse(readFileSync(lockFile(), 'utf8')) as { version: number; cells: Record<string, { delivered?: unknown }> };
    expect(lock.version).toBe(2);
    expect(Object.keys(lock.cells)).toEqual(CELLS);
    expect(Object.values(lock.cells).every((c) => c.delivered !== undefined)).toBe(true);
    expect(readFileSync(lockFile(), 'utf8')).toBe(v2);
  });
});

describe('approved.lock is read like every project file, and its problems are located', () => {
  let good: string;
  beforeAll(() => {
    good = readFileSync(lockFile(), 'utf8');
  });
  const restore = () => {
    rmSync(lockFile(), { force: true });
    writeFileSync(lockFile(), good);
  };

  it('a lock linked outside the project is refused by its path, its content never read nor echoed', async () => {
    const outside = await tempDir('pressroom-outside-');
    try {
      writeFileSync(join(outside.dir, 'secrets'), 'SECRET=topsecret\n');
      rmSync(lockFile());
      symlinkSync(join(outside.dir, 'secrets'), lockFile());
      for (const command of [['build'], ['build', '--frozen'], ['plan'], ['approve', 'demo'], ['diff', 'demo']]) {
        const r = await run(...command);
        expect(r.code, command.join(' ')).toBe(2);
        expect(r.doc.errors[0]).toMatchObject({ code: 'E_PATH', file: 'campaigns/demo/approved.lock' });
        expect(r.doc.errors[0]!.message).toContain('outside the project');
        expect(r.stdout + r.stderr).not.toContain('topsecret');
      }
    } finally {
      restore();
      await outside.cleanup();
    }
  });

  it('a FIFO lock is refused at once, never waited on', async () => {
    rmSync(lockFile());
    execFileSync('mkfifo', [lockFile()]);
    try {
      const r = await run('build');
      expect(r.code).toBe(2);
      expect(r.doc.errors[0]).toMatchObject({ code: 'E_PATH' });
      expect(r.doc.errors[0]!.message).toContain('not a regular file');
    } finally {
      restore();
    }
  });

  it('a lock over the size cap is refused before a byte is read', async () => {
    rmSync(lockFile());
    writeFileSync(lockFile(), '');
    truncateSync(lockFile(), 33 * 1024 * 1024);
    try {
      const r = await run('build', '--frozen');
      expect(r.code).toBe(2);
      expect(r.doc.errors[0]!.message).toMatch(/33\.0 MB; the limit is 32\.0 MB/);
    } finally {
      restore();
    }
  });

  it('a wrong value is reported at its line and field; a syntax error at its line', async () => {
    const lines = good.split('\n');
    const at = lines.findIndex((l) => l.includes('"pick": 0'));
    writeFileSync(lockFile(), good.replace('"pick": 0', '"pick": "first"'));
    try {
      const r = await run('build', '--frozen');
      expect(r.code).toBe(2);
      expect(r.doc.errors[0]).toMatchObject({ code: 'E_APPROVALS', file: 'campaigns/demo/approved.lock', line: at + 1, field: 'cells.hero/ar-SA/thumb.pick' });
      writeFileSync(lockFile(), good.replace(`"campaign": "demo",`, `"campaign": "demo"`));
      const syntax = await run('build');
      expect(syntax.code).toBe(2);
      expect(syntax.doc.errors[0]).toMatchObject({ code: 'E_APPROVALS', line: good.split('\n').findIndex((l) => l.includes('"cells"')) + 1 });
    } finally {
      restore();
    }
  });

  it('a layer kind this Pressroom does not know is refused, not guessed at', async () => {
    mkdirSync(join(project.dir, 'campaigns', 'demo'), { recursive: true });
    const lock = JSON.parse(good) as { cells: Record<string, { delivered: { layers: unknown[] } }> };
    lock.cells['hero/en-US/thumb']!.delivered.layers.push({ kind: 'video', file: 'intro.mp4' });
    writeFileSync(lockFile(), JSON.stringify(lock, null, 2));
    try {
      const r = await run('build', '--frozen');
      expect(r.code).toBe(2);
      expect(r.doc.errors[0]).toMatchObject({ code: 'E_APPROVALS', field: 'cells.hero/en-US/thumb.delivered.layers.0.kind' });
      expect(r.doc.errors[0]!.message).toContain('unknown layer kind "video"');
    } finally {
      restore();
    }
  });
});
