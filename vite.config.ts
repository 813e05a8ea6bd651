import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { precompress } from './scripts/precompress.ts';

/** One config for the browser build (client/ → dist/client) and for vitest (test/). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'client'),
  plugins: [precompress()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    sourcemap: true,
  },
  test: {
    root: import.meta.dirname,
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
