import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:proxy`: the suites that need a real reverse proxy (Debian's caddy), kept out of
// `npm test`. .ci/run installs caddy and runs them after npm test.
const packageSources = (name: string, dir: string) => ({
  find: new RegExp(`^${name.replace('/', '\\/')}\\/(.*)\\.js$`),
  replacement: fileURLToPath(new URL(`./packages/${dir}/src/$1.ts`, import.meta.url)),
});

export default defineConfig({
  resolve: { alias: [packageSources('invoker-mcp', 'invoker-mcp'), packageSources('@invoker-mcp/platform', 'platform')] },
  test: {
    name: 'proxy',
    include: ['test/proxy/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
