// The Claude Desktop extension: built by scripts/bundle.mjs (what `npm run bundle` runs after the
// build `npm test` has already done), checked by mcpb's own validator, and started the way Claude
// Desktop starts it: `node ${__dirname}/bin/invoker-mcp.js` with user_config substituted into env.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio } from '../../scripts/mcp-client.js';
import { MCP_ERAS, MCP_PACKAGE, ROOT } from '../helpers/platform.js';

const run = promisify(execFile);
const MCPB_CLI = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

interface Manifest {
  version: string;
  server: { type: string; entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  user_config: Record<string, { type: string; title: string; sensitive?: boolean; default?: string; required?: boolean }>;
}

describe('MCPB bundle for Claude Desktop', () => {
  let out: string;
  let unpacked: string;
  let manifest: Manifest;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'invoker-mcpb-'));
    await run(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--out', out], { cwd: ROOT, timeout: 240_000 });
    unpacked = join(out, 'unpacked');
    const bundle = (await readdir(out)).find((f) => f.endsWith('.mcpb'));
    await run(process.execPath, [MCPB_CLI, 'unpack', join(out, bundle as string), unpacked], { cwd: ROOT });
    manifest = JSON.parse(await readFile(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
  }, 300_000);
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('is named after the version and passes `mcpb validate`, in the repo and inside the bundle', async () => {
    const { version } = JSON.parse(await readFile(join(MCP_PACKAGE, 'package.json'), 'utf8')) as { version: string };
    expect(await readdir(out)).toContain(`invoker-mcp-${version}.mcpb`);
    expect(manifest.version).toBe(version);
    for (const path of [join(MCP_PACKAGE, 'manifest.json'), join(unpacked, 'manifest.json')]) {
      const result = await run(process.execPath, [MCPB_CLI, 'validate', path]);
      expect(result.stdout).toContain('validation passes');
    }
  });

  it('asks for the API URL and the API key, the key marked sensitive, and passes them as env', () => {
    expect(manifest.user_config.api_url).toMatchObject({ type: 'string', default: 'https://api.invoker.page' });
    expect(manifest.user_config.api_key).toMatchObject({ type: 'string', sensitive: true, required: false });
    expect(manifest.server.mcp_config.env).toEqual({
      INVOKER_API_URL: '${user_config.api_url}',
      INVOKER_API_KEY: '${user_config.api_key}',
    });
  });

  it('carries the built server and its production dependencies, not the dev tools', () => {
    for (const path of ['bin/invoker-mcp.js', 'dist/cli.js', 'node_modules/@modelcontextprotocol/server/package.json', 'node_modules/jsonc-parser/package.json']) {
      expect(existsSync(join(unpacked, path)), path).toBe(true);
    }
    // The v1 SDK is gone, and the v2 client is a test tool only.
    const devOnly = ['node_modules/@modelcontextprotocol/sdk', 'node_modules/@modelcontextprotocol/client', 'node_modules/@modelcontextprotocol/inspector'];
    for (const path of ['node_modules/typescript', 'node_modules/vitest', 'node_modules/node', 'node_modules/@anthropic-ai/mcpb', ...devOnly, 'src', 'test']) {
      expect(existsSync(join(unpacked, path)), path).toBe(false);
    }
  });

  it.each(MCP_ERAS)('starts as Claude Desktop starts it (empty key) and answers an MCP handshake (%s)', async (era) => {
    const { mcp_config: config } = manifest.server;
    const substitute = (s: string) =>
      s.replaceAll('${__dirname}', unpacked).replaceAll('${user_config.api_url}', 'http://127.0.0.1:9').replaceAll('${user_config.api_key}', '');
    expect(config.command).toBe('node');
    const env = { ...Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, substitute(v)])), HOME: out };
    const mcp = await connectStdio({ command: process.execPath, args: config.args.map(substitute), env }, era, { name: 'claude-desktop-like' });
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'deploy']));
    } finally {
      await mcp.close();
    }
  });
});
