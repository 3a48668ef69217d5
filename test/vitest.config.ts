import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Lives under test/ because the project's top level is fixed (package.json, tsconfig.json, …).
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    // Real brokers, SQLite files, child processes and Chromium: allow them time, not forever.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
