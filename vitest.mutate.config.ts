import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant: those that exercise src/ in this process. Tests that
 * spawn the compiled CLI (dist/) run unmutated code, so they only cost time here (and the ones that
 * run as another user cannot read Stryker's sandbox).
 */
// Not mergeConfig: it would append these lists to the base config's instead of replacing them.
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/api.test.ts',
      'test/integration/runware.test.ts',
      'test/integration/runninghub.test.ts',
      'test/integration/runcomfy.test.ts',
    ],
    // The catalogue and architecture tests read src/ as text, which Stryker rewrites.
    exclude: ['node_modules/**', 'test/unit/manifest-corpus.test.ts', 'test/unit/manifest-load.test.ts', 'test/unit/errors-catalogue.test.ts', 'test/unit/architecture.test.ts'],
  },
});
