// Builds the Claude Desktop extension (MCPB) from what npm would publish: the packed tarball's
// files, the production dependencies pinned by package-lock.json, and manifest.json.
// Usage: npm run bundle  (builds dist/ first), or node scripts/bundle.mjs [--out DIR] on a built tree.
// Output: <out>/invoker-mcp-<version>.mcpb, default out dir .tmp/bundle (gitignored).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packExtension } from '@anthropic-ai/mcpb/cli';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, '.tmp', 'bundle'));
const stage = join(out, 'stage');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
if (manifest.version !== version) {
  throw new Error(`manifest.json has version ${manifest.version} but package.json has ${version}: make them equal, then run again.`);
}

// npm and tar are .cmd/.exe on Windows; a shell finds either.
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const [packed] = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', stage], root).toString());
sh('tar', ['-xzf', packed.filename], stage);
const app = join(stage, 'package');
copyFileSync(join(root, 'manifest.json'), join(app, 'manifest.json'));
copyFileSync(join(root, 'package-lock.json'), join(app, 'package-lock.json'));
sh('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], app);
rmSync(join(app, 'package-lock.json'));

const file = join(out, `invoker-mcp-${version}.mcpb`);
if (!(await packExtension({ extensionPath: app, outputPath: file, silent: true }))) {
  throw new Error('mcpb pack refused the bundle: run `npx mcpb validate manifest.json` to see why.');
}
rmSync(stage, { recursive: true, force: true });
process.stdout.write(`${file} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB)\n`);
