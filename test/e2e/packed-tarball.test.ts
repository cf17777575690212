// What a user's `npx -y invoker-mcp` gets: the packed tarball (only what it needs), installed from
// the npm registry into an empty project, run by its bin with this repo's Node 24 first on PATH, and
// on the oldest Node that `engines` allows: that Node is the node-floor devDependency
// (npm:node@<floor>), so nothing is fetched here.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio } from '../../scripts/mcp-client.js';
import { listeningUrl } from '../../scripts/serve-process.js';
import { MCP_ERAS, ROOT, cleanEnv, httpRequest } from '../helpers/platform.js';

const run = promisify(execFile);
const NODE_BIN_DIR = join(ROOT, 'node_modules', '.bin');
const FLOOR_NODE = join(ROOT, 'node_modules', 'node-floor', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

interface Manifest {
  version: string;
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
}

/** The oldest Node `engines` allows, as x.y.z. */
async function nodeFloor(): Promise<string> {
  const { engines } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const floor = semver.minVersion(engines?.node ?? '')?.version;
  if (!floor) throw new Error('package.json has no engines.node range');
  return floor;
}

interface PackResult {
  filename: string;
  size: number;
  files: Array<{ path: string }>;
}

describe('the packed package, installed like a user would', () => {
  let work: string;
  let project: string;
  let pack: PackResult;
  // Node 24 from this repo first, like a user whose PATH has a current Node; npm itself may be older.
  const env = { ...process.env, PATH: `${NODE_BIN_DIR}${delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'invoker-pack-'));
    project = join(work, 'project');
    // --ignore-scripts: `npm test` has just built dist/, and rebuilding it here would race the other suites.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env });
    pack = (JSON.parse(packed.stdout) as PackResult[])[0] as PackResult;
    await run('mkdir', ['-p', project]);
    await run('npm', ['init', '-y'], { cwd: project, env });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, pack.filename)], { cwd: project, env, timeout: 240_000 });
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds only dist, bin, README, LICENSE, server.json and package.json: no tests, no source maps', () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['bin/invoker-mcp.js', 'dist/cli.js', 'README.md', 'LICENSE', 'server.json', 'package.json']));
    const unexpected = paths.filter((p) => !/^(bin|dist)\//.test(p) && !['README.md', 'LICENSE', 'server.json', 'package.json'].includes(p));
    expect(unexpected).toEqual([]);
    expect(paths.filter((p) => /\.test\.|\.map$|^src\/|^test\//.test(p))).toEqual([]);
  });

  it('is as small as the README says (within 15%)', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const stated = /([\d.]+) kB packed/.exec(readme);
    expect(stated, 'README states the packed size as "N kB packed"').not.toBeNull();
    const statedBytes = Number(stated?.[1]) * 1000;
    expect(Math.abs(pack.size - statedBytes) / statedBytes).toBeLessThan(0.15);
  });

  it('`npx invoker-mcp --version` prints the version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await run('npx', ['invoker-mcp', '--version'], { cwd: project, env, timeout: 60_000 });
    expect(result.stdout).toBe(`${version}\n`);
  });

  it.each(MCP_ERAS)('answers an MCP handshake (%s) through node_modules/.bin/invoker-mcp and lists the tools', async (era) => {
    const server = { command: join(project, 'node_modules', '.bin', 'invoker-mcp'), args: [], cwd: project, env: { PATH: env.PATH, HOME: work, INVOKER_API_URL: 'http://127.0.0.1:9' } };
    const mcp = await connectStdio(server, era, { name: 'npx-user' });
    try {
      expect(mcp.client.getServerVersion()?.name).toBe('invoker');
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'deploy']));
    } finally {
      await mcp.close();
    }
  });

  it('names one Node floor everywhere, and every runtime dependency installed with it allows that floor', async () => {
    const floor = await nodeFloor();
    const short = floor.replace(/\.0$/, '');
    expect(await readFile(join(ROOT, 'bin', 'invoker-mcp.js'), 'utf8')).toContain(`invoker-mcp needs Node.js ${short} or newer`);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js ${short} or newer`);
    // …and no other floor anywhere in it.
    expect(new Set([...readme.matchAll(/Node(?:\.js)? (\d+\.\d+)(?:\.\d+)? or newer/g)].map((m) => m[1]))).toEqual(new Set([short]));
    expect(JSON.parse(await readFile(join(ROOT, 'manifest.json'), 'utf8'))).toMatchObject({ compatibility: { runtimes: { node: `>=${floor}` } } });

    // Every package the tarball pulled in, however deep: its own engines field must allow the floor.
    const refusing: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (!entry.isDirectory() || entry.name === '.bin') continue;
        const path = join(dir, entry.name);
        if (entry.name.startsWith('@')) {
          await visit(path);
          continue;
        }
        const manifest = JSON.parse(await readFile(join(path, 'package.json'), 'utf8').catch(() => '{}')) as Manifest & { name?: string };
        const range = manifest.engines?.node;
        if (range && !semver.satisfies(floor, range)) refusing.push(`${manifest.name}@${manifest.version} (node ${range})`);
        await visit(join(path, 'node_modules'));
      }
    };
    await visit(join(project, 'node_modules'));
    expect(refusing).toEqual([]);
  });

  it('runs `serve`, `whoami` and `deploy` from the tarball on the floor Node itself', async () => {
    const floor = await nodeFloor();
    // The floor binary is this exact version, and it is not what runs the test suite (npm ci links
    // node_modules/.bin/node to the repo's Node 24; a later `npm install` can relink it: run npm ci).
    expect((await run(FLOOR_NODE, ['--version'])).stdout.trim()).toBe(`v${floor}`);
    expect(process.version).not.toBe(`v${floor}`);

    const bin = join(project, 'node_modules', 'invoker-mcp', 'bin', 'invoker-mcp.js');
    const dataDir = join(work, 'floor-data');
    const serve = spawn(FLOOR_NODE, [bin, 'serve', '--port', '0', '--data-dir', dataDir], { env: cleanEnv({ HOME: work }), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => serve.once('exit', r));
    try {
      const url = await listeningUrl(serve, 30_000).url;
      const port = Number(new URL(url).port);
      const floorRun = (args: string[], env: Record<string, string> = {}) =>
        run(FLOOR_NODE, [bin, ...args], { env: cleanEnv({ HOME: work, INVOKER_CONFIG_DIR: join(work, 'floor-config'), ...env }), timeout: 30_000 });
      const key = (await floorRun(['admin', 'create-key', 'floor@example.com', '--data-dir', dataDir])).stdout.trim();
      const env = { INVOKER_API_URL: url, INVOKER_API_KEY: key };

      const who = await floorRun(['whoami'], env);
      expect(who.stdout).toContain(`Signed in as floor@example.com`);
      expect(who.stdout).toContain('from the INVOKER_API_KEY environment variable');

      const page = join(work, 'floor.html');
      await writeFile(page, '<!doctype html><title>Floor</title><h1>Runs on the floor Node</h1>');
      const deployed = await floorRun(['deploy', page, '--slug', 'floor', '--publish'], env);
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
