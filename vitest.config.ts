import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packageSources = (name: string, dir: string) => ({
  // The platform imports the MCP package by name (invoker-mcp/errors.js): in tests that is its source,
  // so a class or a value is the same module whichever way a file reaches it.
  find: new RegExp(`^${name.replace('/', '\\/')}\\/(.*)\\.js$`),
  replacement: fileURLToPath(new URL(`./packages/${dir}/src/$1.ts`, import.meta.url)),
});
const resolve = { alias: [packageSources('invoker-mcp', 'invoker-mcp'), packageSources('@invoker-mcp/platform', 'platform')] };

/** Suites behind a real reverse proxy: `npm run test:proxy` (vitest.proxy.config.ts), not npm test. */
const PROXY = 'test/proxy/**';

/** After every other test file: the check of what they all received against the OpenAPI document. */
const CONFORMANCE = 'test/openapi/conformance.test.ts';

const common = {
  // Answers a test reads with fetch are recorded for the conformance check, like httpRequest's.
  setupFiles: ['test/setup/record-fetch.ts'],
  // e2e suites spawn servers and browsers; the machines are shared and small.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  fileParallelism: true,
  maxWorkers: 2,
};

export default defineConfig({
  resolve,
  test: {
    // A throwaway PostgreSQL cluster for the PostgreSQL variants, the Chromium to drive, and the
    // directory the run's HTTP answers are recorded in (see the files). Run once for both projects.
    globalSetup: ['test/setup/postgres.ts', 'test/setup/browser.ts', 'test/setup/responses.ts'],
    projects: [
      { resolve, test: { ...common, name: 'suite', include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [CONFORMANCE, PROXY, '**/node_modules/**'] } },
      // A later group: it starts when every file of the suite has finished.
      { resolve, test: { ...common, name: 'openapi', include: [CONFORMANCE], sequence: { groupOrder: 1 } } },
    ],
  },
});
