// `npm version <x> -w invoker-mcp` runs this (that package's "version" script): the two packages are
// released in lockstep, so invoker-mcp's new version is copied into server.json (server and npm
// package), manifest.json, and the platform's package.json (its version and its invoker-mcp
// dependency). Optional argument: another repository root (the test uses a temp copy).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const mcp = join(root, 'packages', 'invoker-mcp');
const platform = join(root, 'packages', 'platform');
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const write = (file, data) => writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
const { version } = read(join(mcp, 'package.json'));

const server = read(join(mcp, 'server.json'));
server.version = version;
for (const pkg of server.packages ?? []) if (pkg.registryType === 'npm') pkg.version = version;
write(join(mcp, 'server.json'), server);

const manifest = read(join(mcp, 'manifest.json'));
manifest.version = version;
write(join(mcp, 'manifest.json'), manifest);

const platformPackage = read(join(platform, 'package.json'));
platformPackage.version = version;
platformPackage.dependencies['invoker-mcp'] = version;
write(join(platform, 'package.json'), platformPackage);
process.stdout.write(`server.json, manifest.json and @invoker-mcp/platform now say ${version}\n`);
