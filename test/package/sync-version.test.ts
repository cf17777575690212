// `npm version` keeps server.json and manifest.json in step with package.json (scripts/sync-version.mjs).
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '../helpers/platform.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('copies the package version into server.json (server and npm package) and manifest.json', async () => {
  dir = await mkdtemp(join(tmpdir(), 'invoker-version-'));
  for (const file of ['server.json', 'manifest.json']) await copyFile(join(ROOT, file), join(dir, file));
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7' }));

  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'sync-version.mjs'), dir]);

  const server = JSON.parse(await readFile(join(dir, 'server.json'), 'utf8')) as { version: string; packages: Array<{ version: string }> };
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { version: string };
  expect(server.version).toBe('9.8.7');
  expect(server.packages.map((p) => p.version)).toEqual(['9.8.7']);
  expect(manifest.version).toBe('9.8.7');
});

it('leaves the committed files unchanged at the current version (they are already in its format)', async () => {
  dir = await mkdtemp(join(tmpdir(), 'invoker-version-'));
  for (const file of ['server.json', 'manifest.json', 'package.json']) await copyFile(join(ROOT, file), join(dir, file));
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'sync-version.mjs'), dir]);
  for (const file of ['server.json', 'manifest.json']) {
    expect(await readFile(join(dir, file), 'utf8'), file).toBe(await readFile(join(ROOT, file), 'utf8'));
  }
});
