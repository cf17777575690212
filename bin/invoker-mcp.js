#!/usr/bin/env node
// Thin launcher: refuse an old Node with one clear line, then run the built CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`invoker-mcp needs Node.js 22.13 or newer; this is v${process.versions.node}\n`);
  process.exit(1);
}
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2), process.env);
