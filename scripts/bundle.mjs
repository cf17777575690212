// Builds the Claude Desktop extension (MCPB) from what npm would publish of the invoker-mcp package:
// the packed tarball's files, its production dependencies at the versions the repository's
// package-lock.json pins, and manifest.json.
// Usage: npm run bundle  (builds dist/ first), or node scripts/bundle.mjs [--out DIR] on a built tree.
// Output: <out>/invoker-mcp-<version>.mcpb, default out dir .tmp/bundle (gitignored).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packExtension } from '@anthropic-ai/mcpb/cli';

const root = resolve(import.meta.dirname, '..');
const pkgDir = join(root, 'packages', 'invoker-mcp');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, '.tmp', 'bundle'));
const stage = join(out, 'stage');
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(pkgDir, 'manifest.json'), 'utf8'));
if (manifest.version !== version) {
  throw new Error(`manifest.json has version ${manifest.version} but package.json has ${version}: make them equal, then run again.`);
}

// npm and tar are .cmd/.exe on Windows; a shell finds either.
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const [packed] = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', stage], pkgDir).toString());
sh('tar', ['-xzf', packed.filename], stage);
const app = join(stage, 'package');
copyFileSync(join(pkgDir, 'manifest.json'), join(app, 'manifest.json'));
writeFileSync(join(app, 'package-lock.json'), JSON.stringify(packageLock(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')))));
sh('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], app);
rmSync(join(app, 'package-lock.json'));

const file = join(out, `invoker-mcp-${version}.mcpb`);
if (!(await packExtension({ extensionPath: app, outputPath: file, silent: true }))) {
  throw new Error('mcpb pack refused the bundle: run `npx mcpb validate manifest.json` to see why.');
}
rmSync(stage, { recursive: true, force: true });
process.stdout.write(`${file} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB)\n`);

/**
 * The package's own lockfile, cut from the workspace's: its production dependencies, each at the
 * version and integrity the repository pins and at the same place in the tree, found the way Node
 * finds them (a nested node_modules before a hoisted one).
 */
function packageLock(pkg) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const home = 'packages/invoker-mcp';
  const packages = { '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies } };
  const visit = (from, name) => {
    for (let dir = from; ; dir = dirname(dir)) {
      const key = `${dir === '.' ? '' : `${dir}/`}node_modules/${name}`;
      const entry = lock.packages[key];
      if (entry) {
        const at = key.startsWith(`${home}/`) ? key.slice(home.length + 1) : key;
        if (packages[at]) return;
        packages[at] = entry;
        for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(key, dep);
        return;
      }
      if (dir === '.') throw new Error(`package-lock.json has no ${name} for ${from}: run npm install, then bundle again.`);
    }
  };
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(home, dep);
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
}
