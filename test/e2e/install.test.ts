// `invoker-mcp install` through the real bin, then the client's view: start exactly the command
// the config names, with no PATH at all (a client started from a dock has no shell), and shake hands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio } from '../../scripts/mcp-client.js';
import { BIN, MCP_ERAS, runCli } from '../helpers/platform.js';

describe('install writes a config entry that a client without a shell can start', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'invoker-install-e2e-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('claude-desktop: absolute node + entry, MCP handshake in both eras with an empty PATH', async () => {
    const result = await runCli(['install', '--client', 'claude-desktop', '--api-url', 'http://127.0.0.1:9'], { HOME: home });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const config = JSON.parse(await readFile(join(home, '.config/Claude/claude_desktop_config.json'), 'utf8')) as {
      mcpServers: { invoker: { command: string; args: string[]; env: Record<string, string> } };
    };
    const entry = config.mcpServers.invoker;
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([BIN]);
    expect(entry.env).toEqual({ INVOKER_API_URL: 'http://127.0.0.1:9' });

    for (const era of MCP_ERAS) {
      const mcp = await connectStdio({ command: entry.command, args: entry.args, env: { ...entry.env, PATH: '', HOME: home } }, era, { name: 'claude-desktop-like' });
      try {
        const { tools } = await mcp.client.listTools();
        expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'deploy']));
      } finally {
        await mcp.close();
      }
    }
  });

  it('a malformed config makes the command exit 2 with the file named and the file untouched', async () => {
    const path = join(home, '.cursor', 'mcp.json');
    await runCli(['install', '--client', 'cursor'], { HOME: home });
    await writeFile(path, '{ "mcpServers": { ');
    const result = await runCli(['install', '--client', 'cursor'], { HOME: home });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(path);
    expect(await readFile(path, 'utf8')).toBe('{ "mcpServers": { ');
  });
});
