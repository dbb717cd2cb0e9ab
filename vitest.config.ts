import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Integration tests start emulators and spawn builds; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    // What the entry points (src/cli.ts, src/index.ts) set: tests that typeset in-process must not scan this machine's fonts.
    env: { DISABLE_SYSTEM_FONTS_LOAD: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
