import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant: those that exercise src/ in this process (unit
 * tests, provider adapters against the emulators, and CLI tests through `cli()`, which runs the
 * CLI in-process). Tests that spawn the compiled CLI (dist/) run unmutated code, so they only cost
 * time here, and the ones that run as another user cannot read Stryker's sandbox.
 *
 * Stryker runs only the tests that cover a mutant, each filtered by name: a test file whose tests
 * lean on the ones before it (one shared project built up test by test: approve, approvals-hold,
 * approve-candidates, candidates, build, verify, prune, faults, out-safety, disk-full) would have
 * its later tests fail alone and count mutants as killed that no test catches. Those files are
 * left out; the guards they show are also shown by self-contained tests included here.
 */
const inProcess = [
  'api',
  'runware',
  'runninghub',
  'runcomfy',
  'runware-resume',
  'runware-faults',
  'runninghub-resume',
  'runninghub-submit',
  'runcomfy-outcomes',
  'webhooks',
  'webhooks-build',
  'remote-cache',
  'remote-build',
  'remote-claims',
  'watch-faults',
  'spend-limits',
  'providers-build',
  'stop-billing',
  'crash',
  'approved-lock',
  'guards-*',
].map((name) => `test/integration/${name}.test.ts`);

/**
 * Fastest files first, unit tests before integration tests. Stryker stops a mutant's run at its
 * first failing test, and a mutant in module-level code (a constant table) runs every test: this
 * order kills most of those in seconds instead of after the slowest integration files.
 */
class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const slowestFirst = await super.sort(files);
    const unit = (f: TestSpecification) => f.moduleId.includes('/test/unit/');
    return [...slowestFirst.filter(unit).reverse(), ...slowestFirst.filter((f) => !unit(f)).reverse()];
  }
}

// Not mergeConfig: it would append these lists to the base config's instead of replacing them.
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/unit/**/*.test.ts', ...inProcess],
    sequence: { ...base.test?.sequence, sequencer: FastestFirst },
    // The catalogue and architecture tests read src/ as text, which Stryker rewrites.
    exclude: ['node_modules/**', 'test/unit/manifest-corpus.test.ts', 'test/unit/manifest-load.test.ts', 'test/unit/errors-catalogue.test.ts', 'test/unit/architecture.test.ts'],
  },
});
