#!/usr/bin/env node
// Thin launcher: the same Node check as invoker-mcp's, then the platform's CLI (serve, admin).
await import('invoker-mcp/bin/check-node.js');
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2), process.env);
