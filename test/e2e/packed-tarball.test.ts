// What users get from npm: the two packed tarballs, installed from the npm registry into empty
// projects. `npx -y invoker-mcp` installs the MCP server and CLI alone, which must stay small (issue 18:
// ≤ 30 packages, ≤ 25 MB) and, asked to `serve`, names the command that runs the platform; a
// self-hoster's `npx -y @invoker-mcp/platform serve` installs both. Each runs by its bin with this
// repo's Node 24 first on PATH, and on the oldest Node that `engines` allows: that Node is the
// node-floor devDependency (npm:node@<floor>), so nothing is fetched here.
import { execFile, spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio } from '../../scripts/mcp-client.js';
import { listeningUrl } from '../../scripts/serve-process.js';
import { MCP_ERAS, MCP_PACKAGE, PLATFORM_PACKAGE, ROOT, cleanEnv, httpRequest } from '../helpers/platform.js';

const run = promisify(execFile);
const NODE_BIN_DIR = join(ROOT, 'node_modules', '.bin');
const FLOOR_NODE = join(ROOT, 'node_modules', 'node-floor', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
/** Issue 18's budget for a cold `npx -y invoker-mcp`. */
const MAX_PACKAGES = 30;
const MAX_MEGABYTES = 25;

interface Manifest {
  name?: string;
  version: string;
  engines?: { node?: string };
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

/** The oldest Node `engines` allows, as x.y.z: the same in both packages. */
async function nodeFloor(): Promise<string> {
  const ranges = await Promise.all([MCP_PACKAGE, PLATFORM_PACKAGE].map(async (dir) => (await readJson<Manifest>(join(dir, 'package.json'))).engines?.node));
  expect(new Set(ranges).size, 'both packages name one engines.node range').toBe(1);
  const floor = semver.minVersion(ranges[0] ?? '')?.version;
  if (!floor) throw new Error('package.json has no engines.node range');
  return floor;
}

interface PackResult {
  name: string;
  filename: string;
  size: number;
  files: Array<{ path: string }>;
}

/** Every installed package below a node_modules, nested ones included, with its folder. */
async function installedPackages(nodeModules: string): Promise<Array<{ dir: string; manifest: Manifest }>> {
  const found: Array<{ dir: string; manifest: Manifest }> = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        await visit(path);
        continue;
      }
      const manifest = await readJson<Manifest>(join(path, 'package.json')).catch(() => null);
      if (manifest) found.push({ dir: path, manifest });
      await visit(join(path, 'node_modules'));
    }
  };
  await visit(nodeModules);
  return found;
}

/** Bytes on disk below a folder, as `du` counts them (allocated blocks, each file once). */
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const info = await lstat(path);
    total += info.blocks * 512;
    if (entry.isDirectory()) total += await diskBytes(path);
  }
  return total;
}

describe('the packed packages, installed like users would', () => {
  let work: string;
  /** Only invoker-mcp, as `npx -y invoker-mcp` installs it. */
  let alone: string;
  /** Both, as `npx -y @invoker-mcp/platform` installs them. */
  let both: string;
  let packs: Record<'mcp' | 'platform', PackResult>;
  // Node 24 from this repo first, like a user whose PATH has a current Node; npm itself may be older.
  const env = { ...process.env, PATH: `${NODE_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'invoker-pack-'));
    // --ignore-scripts: `npm test` has just built dist/, and rebuilding it here would race the other suites.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--workspaces', '--pack-destination', work], { cwd: ROOT, env });
    const results = JSON.parse(packed.stdout) as PackResult[];
    packs = { mcp: results.find((p) => p.name === 'invoker-mcp')!, platform: results.find((p) => p.name === '@invoker-mcp/platform')! };
    const install = async (project: string, tarballs: PackResult[]) => {
      await mkdir(project, { recursive: true });
      await run('npm', ['init', '-y'], { cwd: project, env });
      const files = tarballs.map((t) => join(work, t.filename));
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], { cwd: project, env, timeout: 240_000 });
    };
    alone = join(work, 'alone');
    both = join(work, 'both');
    await Promise.all([install(alone, [packs.mcp]), install(both, [packs.mcp, packs.platform])]);
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('each holds only dist, bin, README, LICENSE and package.json (and invoker-mcp its server.json): no tests, no sources, no maps', () => {
    const mcpPaths = packs.mcp.files.map((f) => f.path);
    expect(mcpPaths).toEqual(expect.arrayContaining(['bin/invoker-mcp.js', 'bin/check-node.js', 'dist/cli.js', 'README.md', 'LICENSE', 'server.json', 'package.json']));
    const platformPaths = packs.platform.files.map((f) => f.path);
    expect(platformPaths).toEqual(expect.arrayContaining(['bin/invoker-platform.js', 'dist/cli.js', 'dist/server/main.js', 'README.md', 'LICENSE', 'package.json']));
    for (const [paths, extra] of [
      [mcpPaths, ['server.json']],
      [platformPaths, []],
    ] as const) {
      const unexpected = paths.filter((p) => !/^(bin|dist)\//.test(p) && !['README.md', 'LICENSE', 'package.json', ...extra].includes(p));
      expect(unexpected).toEqual([]);
      expect(paths.filter((p) => /\.test\.|\.map$|\.d\.ts$|^src\/|^test\//.test(p))).toEqual([]);
    }
    // The MCP server's package carries none of the platform.
    expect(mcpPaths.filter((p) => /^dist\/(server|store)\//.test(p))).toEqual([]);
  });

  it('invoker-mcp is as small packed as the README says (within 15%)', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const stated = /([\d.]+) kB packed/.exec(readme);
    expect(stated, 'README states the packed size as "N kB packed"').not.toBeNull();
    const statedBytes = Number(stated?.[1]) * 1000;
    expect(Math.abs(packs.mcp.size - statedBytes) / statedBytes).toBeLessThan(0.15);
  });

  it(`a cold install of invoker-mcp alone is at most ${MAX_PACKAGES} packages and ${MAX_MEGABYTES} MB, as the README says`, async () => {
    const installed = await installedPackages(join(alone, 'node_modules'));
    const names = installed.map((p) => p.manifest.name);
    expect(names).toContain('invoker-mcp');
    expect(names).not.toContain('@invoker-mcp/platform');
    for (const platformOnly of ['hono', 'pg', 'nodemailer', 'env-paths', '@hono/node-server']) expect(names).not.toContain(platformOnly);
    const megabytes = (await diskBytes(join(alone, 'node_modules'))) / 1e6;
    console.log(`[figures] cold install of invoker-mcp: ${installed.length} packages, ${megabytes.toFixed(1)} MB on disk`);
    expect(installed.length).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(megabytes).toBeLessThanOrEqual(MAX_MEGABYTES);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const stated = /installs it with\s+its dependencies: (\d+) packages, about (\d+) MB on disk/.exec(readme);
    expect(stated, 'README states "installs it with its dependencies: N packages, about M MB on disk"').not.toBeNull();
    expect(Number(stated?.[1])).toBe(installed.length);
    expect(Math.abs(Number(stated?.[2]) - megabytes)).toBeLessThanOrEqual(1.5);
  });

  it('`npx invoker-mcp --version` prints the version', async () => {
    const { version } = await readJson<Manifest>(join(MCP_PACKAGE, 'package.json'));
    const result = await run('npx', ['invoker-mcp', '--version'], { cwd: alone, env, timeout: 60_000 });
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('`invoker-mcp serve` without the platform says, in one line, the command that runs it', async () => {
    const result = await run('npx', ['invoker-mcp', 'serve', '--port', '0'], { cwd: alone, env, timeout: 60_000 }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result, 'serve exits non-zero').not.toBeNull();
    expect(result?.code).toBe(1);
    expect(result?.stdout).toBe('');
    expect(result?.stderr.trim().split('\n')).toEqual(['invoker-mcp: the Invoker platform is not installed here; run it with: npx -y @invoker-mcp/platform serve --port 0']);
  });

  it.each(MCP_ERAS)('answers an MCP handshake (%s) through node_modules/.bin/invoker-mcp and lists the tools', async (era) => {
    const server = { command: join(alone, 'node_modules', '.bin', 'invoker-mcp'), args: [], cwd: alone, env: { PATH: env.PATH, HOME: work, INVOKER_API_URL: 'http://127.0.0.1:9' } };
    const mcp = await connectStdio(server, era, { name: 'npx-user' });
    try {
      expect(mcp.client.getServerVersion()?.name).toBe('invoker');
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'deploy']));
    } finally {
      await mcp.close();
    }
  });

  it('names one Node floor everywhere, and every runtime dependency of either package allows that floor', async () => {
    const floor = await nodeFloor();
    const short = floor.replace(/\.0$/, '');
    expect(await readFile(join(MCP_PACKAGE, 'bin', 'check-node.js'), 'utf8')).toContain(`invoker-mcp needs Node.js ${short} or newer`);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js ${short} or newer`);
    // …and no other floor anywhere in it.
    expect(new Set([...readme.matchAll(/Node(?:\.js)? (\d+\.\d+)(?:\.\d+)? or newer/g)].map((m) => m[1]))).toEqual(new Set([short]));
    expect(await readJson(join(MCP_PACKAGE, 'manifest.json'))).toMatchObject({ compatibility: { runtimes: { node: `>=${floor}` } } });

    // Every package the tarballs pulled in, however deep: its own engines field must allow the floor.
    const refusing = (await installedPackages(join(both, 'node_modules')))
      .filter(({ manifest }) => manifest.engines?.node && !semver.satisfies(floor, manifest.engines.node))
      .map(({ manifest }) => `${manifest.name}@${manifest.version} (node ${manifest.engines?.node})`);
    expect(refusing).toEqual([]);
  });

  it('runs the platform`s `serve` and invoker-mcp`s `whoami` and `deploy` from the tarballs on the floor Node itself', async () => {
    const floor = await nodeFloor();
    // The floor binary is this exact version, and it is not what runs the test suite (npm ci links
    // node_modules/.bin/node to the repo's Node 24; a later `npm install` can relink it: run npm ci).
    expect((await run(FLOOR_NODE, ['--version'])).stdout.trim()).toBe(`v${floor}`);
    expect(process.version).not.toBe(`v${floor}`);

    const platformBin = join(both, 'node_modules', '@invoker-mcp', 'platform', 'bin', 'invoker-platform.js');
    const bin = join(both, 'node_modules', 'invoker-mcp', 'bin', 'invoker-mcp.js');
    const dataDir = join(work, 'floor-data');
    const serve = spawn(FLOOR_NODE, [platformBin, 'serve', '--port', '0', '--data-dir', dataDir], { env: cleanEnv({ HOME: work }), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => serve.once('exit', r));
    try {
      const url = await listeningUrl(serve, 30_000).url;
      const port = Number(new URL(url).port);
      const floorRun = (args: string[], env: Record<string, string> = {}) =>
        run(FLOOR_NODE, args, { env: cleanEnv({ HOME: work, INVOKER_CONFIG_DIR: join(work, 'floor-config'), ...env }), timeout: 30_000 });
      // `invoker-mcp admin` finds the platform installed beside it.
      const key = (await floorRun([bin, 'admin', 'create-key', 'floor@example.com', '--data-dir', dataDir])).stdout.trim();
      const env = { INVOKER_API_URL: url, INVOKER_API_KEY: key };

      const who = await floorRun([bin, 'whoami'], env);
      expect(who.stdout).toContain(`Signed in as floor@example.com`);
      expect(who.stdout).toContain('from the INVOKER_API_KEY environment variable');

      const page = join(work, 'floor.html');
      await writeFile(page, '<!doctype html><title>Floor</title><h1>Runs on the floor Node</h1>');
      const deployed = await floorRun([bin, 'deploy', page, '--slug', 'floor', '--publish'], env);
      expect(deployed.stdout.trim()).toBe(`http://floor.localhost:${port}/`);
      const live = await httpRequest(port, { host: `floor.localhost:${port}` });
      expect(live.status).toBe(200);
      expect(live.body).toContain('Runs on the floor Node');
    } finally {
      serve.kill('SIGTERM');
      await exited;
    }
  });
});
