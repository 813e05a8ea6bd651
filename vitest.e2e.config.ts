import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The suite builds and serves its own copy of the browser app, so that a build of dist/client
// (npm start, npm test) running at the same time never leaves its pages without one.
process.env.CONCORD_CLIENT_DIR ??= resolve(import.meta.dirname, 'test-results/e2e/client');

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
