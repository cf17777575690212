// The stdio front answers the handshake from the build-time manifest: what it lists must be exactly
// what the real server registers, with the same filters, and the first real call must reach the
// real server as if nothing had happened.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { parseClientConfig } from '../../src/config.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { toolFilterFromEnv } from '../../src/mcp/tool-filter.js';
import { BIN, cleanEnv, connectMcp, resultText } from '../helpers/platform.js';

async function listFromRealServer(env: Record<string, string>) {
  const server = createMcpServer({
    version: '0.0.0',
    context: { config: parseClientConfig(env), api: async () => { throw new Error('no network here'); }, currentKey: async () => null },
    filter: toolFilterFromEnv(env, () => {}),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 't', version: '0' });
  await client.connect(a);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

describe('the stdio front', () => {
  for (const env of [{}, { INVOKER_TOOLSETS: 'content,auth' }, { INVOKER_READ_ONLY: '1' }] as Array<Record<string, string>>) {
    it(`lists exactly the real server's tools (${JSON.stringify(env)})`, async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: 'http://127.0.0.1:9', ...env });
      try {
        const { tools } = await mcp.client.listTools();
        expect(tools).toEqual(await listFromRealServer(env));
        expect(mcp.client.getServerVersion()?.name).toBe('invoker');
        // The first real call loads the real server and works.
        const offline = await mcp.client.callTool({ name: 'list_styles', arguments: {} });
        expect(offline.isError).toBeFalsy();
        const who = await mcp.client.callTool({ name: 'whoami', arguments: {} });
        expect(who.isError).toBe(true);
        expect(resultText(who)).toMatch(/Cannot reach the Invoker API at http:\/\/127\.0\.0\.1:9/);
      } finally {
        await mcp.close();
      }
    });
  }

  it('answers ping, ignores a line that is not JSON, and writes only JSON-RPC to stdout', async () => {
    const child = spawn(process.execPath, [BIN], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    child.stdin.write('this is not json\n');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_templates', arguments: {} } });
    await expect.poll(() => out.split('\n').filter(Boolean).length, { timeout: 15_000 }).toBe(3);
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; result: Record<string, unknown> });
    expect(lines.map((l) => l.id)).toEqual([1, 2, 3]);
    expect(lines[0]?.result.protocolVersion).toBe('2024-11-05');
    expect(lines[1]?.result).toEqual({});
    expect(JSON.stringify(lines[2]?.result)).toContain('waitlist');
  });
});
