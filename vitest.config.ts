import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A throwaway PostgreSQL cluster for the PostgreSQL variants, and the Chromium to drive (see the files).
    globalSetup: ['test/setup/postgres.ts', 'test/setup/browser.ts'],
    // e2e suites spawn servers and browsers; the machines are shared and small.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
