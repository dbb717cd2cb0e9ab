import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, openToNobody } from '../helpers/as-nobody.js';
import { spawnCli } from '../helpers/child.js';
import { makeImage } from '../helpers/images.js';
import { cli } from '../helpers/project.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS_DIR, corpusCases } from '../helpers/corpus.js';

/**
 * Every broken input of the corpus through the real CLI: exit 2, the file, line and field named,
 * no stack trace, nothing generated.
 */
const corpus = CORPUS_DIR;
const cases = corpusCases();

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-cli-corpus-'));
  await cp(corpus, join(root, 'broken'), { recursive: true });
  const huge = Buffer.alloc(10 * 1024 * 1024 + 1);
  (await makeImage(16, 16)).copy(huge);
  await mkdir(join(root, 'broken/reference-oversized/assets'), { recursive: true });
  await writeFile(join(root, 'broken/reference-oversized/assets/huge.png'), huge);
  await mkdir(join(root, 'broken/reference-unreadable/assets'), { recursive: true });
  await writeFile(join(root, 'broken/reference-unreadable/assets/locked.png'), await makeImage(32, 32));
  await chmod(join(root, 'broken/reference-unreadable/assets/locked.png'), 0o000);
});
afterAll(async () => {
  await chmod(join(root, 'broken/reference-unreadable/assets/locked.png'), 0o644).catch(() => undefined);
  await cleanup();
});

/** The unreadable-reference case as a real child, as nobody under root (root reads mode-000 files). */
async function cliAsUser(cwd: string, args: string[]) {
  await openToNobody(cwd);
  const child = spawnCli(args, cwd, {}, asUser);
  const { code } = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

describe('broken inputs through `pressroom build`', () => {
  it('has a corpus of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c.expect] as const))('%s: exit 2, located, no stack, nothing generated', async (name, want) => {
    const dir = join('broken', name);
    const args = want.stage === 'cli' ? [...want.args!, dir] : ['build', dir];
    const run = want.setup === 'unreadable-reference' ? await cliAsUser(root, args) : await cli(root, args);
    expect(run.code).toBe(2);
    if (want.setup === 'unreadable-reference') expect(run.stderr).toMatch(/permission denied/);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.stderr).toMatch(/nothing was generated/);
    if (want.line !== undefined) {
      const file = want.stage === 'render' ? '' : join(dir, want.file ?? 'campaign.yaml');
      expect(run.stderr).toContain(want.stage === 'render' ? `:${want.line}:` : `${file}:${want.line}:`);
    }
    if (want.path) expect(run.stderr).toContain(want.path);
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(existsSync(join(root, '.pressroom'))).toBe(false);
  });
});

describe('CLI usage', () => {
  it('prints help and version on stdout with exit 0', async () => {
    expect((await cli(root, ['--help'])).stdout).toMatch(/Usage: pressroom/);
    const version = await cli(root, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([[[]], [['deploy']], [['build', '--model', 'seedream-9']], [['plan', '--provider', 'dalle']], [['build', '--out', '']]])('rejects %j with exit 2', async (args) => {
    const run = await cli(root, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/E_USAGE|expected|required|Unknown/i);
  });

  it('reports every problem of several campaigns in one pass', async () => {
    const run = await cli(root, ['validate', 'broken/size-width-zero', 'broken/missing-template', 'broken/duplicate-variant-id']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('size-width-zero');
    expect(run.stderr).toContain('missing-template');
    expect(run.stderr).toContain('duplicate-variant-id');
  });
});
