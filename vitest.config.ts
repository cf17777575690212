import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A throwaway PostgreSQL cluster for the PostgreSQL variants (see the file).
    globalSetup: ['test/setup/postgres.ts'],
    // e2e suites spawn servers and browsers; the machines are shared and small.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
