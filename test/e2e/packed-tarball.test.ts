// What a user's `npx -y invoker-mcp` gets: the packed tarball (only what it needs), installed from
// the npm registry into an empty project, run by its bin with this repo's Node 24 first on PATH.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio } from '../../scripts/mcp-client.js';
import { MCP_ERAS, ROOT } from '../helpers/platform.js';

const run = promisify(execFile);
const NODE_BIN_DIR = join(ROOT, 'node_modules', '.bin');

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
});
