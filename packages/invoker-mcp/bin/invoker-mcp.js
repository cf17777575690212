#!/usr/bin/env node
// Thin launcher: refuse an old Node with one clear line, then run the built CLI.
await import('./check-node.js');
// Cache compiled modules on disk (Node >= 22.1): later starts, such as every MCP client launch,
// skip most of the parse and compile work.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2), process.env);
