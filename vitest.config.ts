import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packageSources = (name: string, dir: string) => ({
  // The platform imports the MCP package by name (invoker-mcp/errors.js): in tests that is its source,
  // so a class or a value is the same module whichever way a file reaches it.
  find: new RegExp(`^${name.replace('/', '\\/')}\\/(.*)\\.js$`),
  replacement: fileURLToPath(new URL(`./packages/${dir}/src/$1.ts`, import.meta.url)),
});

export default defineConfig({
  resolve: { alias: [packageSources('invoker-mcp', 'invoker-mcp'), packageSources('@invoker-mcp/platform', 'platform')] },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // A throwaway PostgreSQL cluster for the PostgreSQL variants, and the Chromium to drive (see the files).
    globalSetup: ['test/setup/postgres.ts', 'test/setup/browser.ts'],
    // e2e suites spawn servers and browsers; the machines are shared and small.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
