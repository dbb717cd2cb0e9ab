import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, type Problem } from '../../src/core/errors.js';
import { loadCampaign } from '../../src/manifest/load.js';
import { loadCampaignAsUser, openToNobody } from '../helpers/as-nobody.js';
import { makeImage } from '../helpers/images.js';
import { tempDir } from '../helpers/tmp.js';
import { CORPUS_DIR, corpusCases, type Expectation, type ExpectedProblem } from '../helpers/corpus.js';

/**
 * The broken-input corpus: test/fixtures/broken/<case>/campaign.yaml with expect.json. Cases the
 * manifest stage cannot see (`stage: render | cli`) must load cleanly here; the CLI tests own them.
 */

const corpus = CORPUS_DIR;
const cases = corpusCases();
type Expected = ExpectedProblem;
const manifestCases = cases.filter((c) => c.expect.stage === undefined);
const laterStageCases = cases.filter((c) => c.expect.stage !== undefined);

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('pressroom-corpus-'));
  // A copy, so setups (chmod, generated files) never touch the repository.
  await cp(corpus, join(root, 'broken'), { recursive: true });
});
afterAll(async () => {
  await chmod(join(root, 'broken/reference-unreadable/assets/locked.png'), 0o644).catch(() => undefined);
  await cleanup();
});

async function prepare(dir: string, setup: Expectation['setup']): Promise<void> {
  if (setup === 'oversized-reference') {
    await mkdir(join(dir, 'assets'), { recursive: true });
    const bytes = Buffer.alloc(10 * 1024 * 1024 + 1);
    (await makeImage(16, 16)).copy(bytes); // a real PNG start: only the size may be wrong
    await writeFile(join(dir, 'assets/huge.png'), bytes);
  } else if (setup === 'unreadable-reference') {
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'assets/locked.png'), await makeImage(32, 32));
    await chmod(join(dir, 'assets/locked.png'), 0o000);
  }
}

async function problemsOf(dir: string, setup?: Expectation['setup']): Promise<readonly Problem[]> {
  if (setup === 'unreadable-reference') {
    // Root reads mode-000 files: load as nobody so the permission applies.
    await openToNobody(root);
    const problems = await loadCampaignAsUser(dir, root);
    if (problems.length > 0) return problems;
    throw new Error(`${dir} loaded without problems`);
  }
  try {
    await loadCampaign(dir, { projectRoot: root });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems;
  }
  throw new Error(`${dir} loaded without problems`);
}

function matches(problem: Problem, want: Expected, dir: string): boolean {
  return (
    problem.code === want.code &&
    (want.line === undefined || problem.line === want.line) &&
    (want.col === undefined || problem.col === want.col) &&
    (want.path === undefined || problem.path === want.path) &&
    problem.file !== undefined &&
    relative(dir, problem.file) === (want.file ?? 'campaign.yaml')
  );
}

describe('broken campaign corpus', () => {
  it('has at least 30 cases the manifest stage must reject', () => {
    expect(manifestCases.length).toBeGreaterThanOrEqual(30);
  });

  it.for(manifestCases)('$name', async ({ name, expect: want }) => {
    const dir = join(root, 'broken', name);
    await prepare(dir, want.setup);
    const problems = await problemsOf(dir, want.setup);
    const shown = problems.map((p) => `${p.code} ${p.file ? relative(dir, p.file) : '-'}:${p.line}:${p.col} ${p.path ?? ''}`);
    for (const item of [want, ...(want.also ?? [])]) {
      expect(problems.some((p) => matches(p, item, dir)), `${JSON.stringify(item)} in\n${shown.join('\n')}`).toBe(true);
    }
    if (want.count !== undefined) expect(shown).toHaveLength(want.count);
    for (const p of problems) {
      expect(p.line).toBeGreaterThan(0);
      expect(p.col).toBeGreaterThan(0);
    }
    if (want.says) {
      const first = problems.find((p) => matches(p, want, dir));
      expect(first?.message).toContain(want.says);
    }
    if (want.suggests) {
      const first = problems.find((p) => matches(p, want, dir));
      expect(first?.message).toContain(`\`${want.suggests}\``);
    }
  });

  it.for(laterStageCases)('$name is valid to the manifest stage (found by $expect.stage)', async ({ name }) => {
    const campaign = await loadCampaign(join(root, 'broken', name), { projectRoot: root });
    expect(campaign.variants.length).toBeGreaterThan(0);
  });

  it('every case folder has an expect.json with a code', () => {
    for (const { name, expect: want } of cases) {
      expect(existsSync(join(corpus, name, 'campaign.yaml')), name).toBe(true);
      expect(want.code, name).toMatch(/^E_[A-Z_]+$/);
    }
  });
});
