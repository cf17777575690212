// Refuses an old Node with one clear line (SPEC section 1). Imported first by both packages'
// launchers, before anything that newer syntax or node:sqlite could break.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`invoker-mcp needs Node.js 22.13 or newer; this is v${process.versions.node}\n`);
  process.exit(1);
}
