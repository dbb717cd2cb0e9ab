import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant: those that exercise src/ in this process. Tests that
 * spawn the compiled CLI (dist/) would run unmutated code, so they only cost time here; the
 * post-processing tests cover nothing under mutation and look for fonts outside the sandbox.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'node_modules/**',
        'test/integration/concurrent-builds.test.ts',
        'test/integration/crash.test.ts',
        'test/integration/interrupt.test.ts',
        'test/integration/stop-billing.test.ts',
        'test/integration/post-*.test.ts',
      ],
    },
  }),
);
