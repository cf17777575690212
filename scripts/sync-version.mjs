// `npm version <x>` runs this (the "version" script): copies package.json's new version into
// server.json (server and npm package) and manifest.json, so the three never disagree on release.
// Optional argument: another root directory (the test uses a temp copy).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const read = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const write = (file, data) => writeFileSync(join(root, file), `${JSON.stringify(data, null, 2)}\n`);
const { version } = read('package.json');

const server = read('server.json');
server.version = version;
for (const pkg of server.packages ?? []) if (pkg.registryType === 'npm') pkg.version = version;
write('server.json', server);

const manifest = read('manifest.json');
manifest.version = version;
write('manifest.json', manifest);
process.stdout.write(`server.json and manifest.json now say ${version}\n`);
