import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the browser suite (test/e2e/), Chromium against the real server process on a
 * temporary data folder. Files run one after the other (each starts its own server and browser);
 * `npm test` does not include them.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
