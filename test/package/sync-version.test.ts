// `npm version` keeps server.json, manifest.json and the platform package in step with invoker-mcp's
// package.json (scripts/sync-version.mjs): the two packages are released together.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '../helpers/platform.js';

const FILES = ['packages/invoker-mcp/package.json', 'packages/invoker-mcp/server.json', 'packages/invoker-mcp/manifest.json', 'packages/platform/package.json'];

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function copyRepo(): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'invoker-version-'));
  await mkdir(join(copy, 'packages', 'invoker-mcp'), { recursive: true });
  await mkdir(join(copy, 'packages', 'platform'), { recursive: true });
  for (const file of FILES) await copyFile(join(ROOT, file), join(copy, file));
  return copy;
}

const json = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

it('copies the invoker-mcp version into server.json, manifest.json and the platform package', async () => {
  dir = await copyRepo();
  const pkgFile = join(dir, 'packages/invoker-mcp/package.json');
  await writeFile(pkgFile, JSON.stringify({ ...(await json(pkgFile)), version: '9.8.7' }));

  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'sync-version.mjs'), dir]);

  const server = (await json(join(dir, 'packages/invoker-mcp/server.json'))) as { version: string; packages: Array<{ version: string }> };
  expect(server.version).toBe('9.8.7');
  expect(server.packages.map((p) => p.version)).toEqual(['9.8.7']);
  expect((await json(join(dir, 'packages/invoker-mcp/manifest.json'))).version).toBe('9.8.7');
  const platform = (await json(join(dir, 'packages/platform/package.json'))) as { version: string; dependencies: Record<string, string> };
  expect(platform.version).toBe('9.8.7');
  expect(platform.dependencies['invoker-mcp']).toBe('9.8.7');
});

it('leaves the committed files unchanged at the current version (they agree and are in its format)', async () => {
  dir = await copyRepo();
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'sync-version.mjs'), dir]);
  for (const file of FILES) expect(await readFile(join(dir, file), 'utf8'), file).toBe(await readFile(join(ROOT, file), 'utf8'));
});
