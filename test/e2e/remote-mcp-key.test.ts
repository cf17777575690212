// /mcp with a Bearer `inv_` key, as headless agents and CI use it: the MCP Inspector's CLI (one
// process per call, as a developer runs it) lists and calls tools over HTTP in both protocol eras,
// and so does the v2 SDK's own client (StreamableHTTPClientTransport with the header), in the
// 2026-07-28 era and the 2025 era. The tools run in process: what the remote deploy made is the
// same site the HTTP API lists.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraOptions } from '../../scripts/mcp-client.js';
import { MCP_ERAS, ROOT, cleanEnv, createKey, resultText, startPlatform, type McpEra, type Platform } from '../helpers/platform.js';

const run = promisify(execFile);
const INSPECTOR = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');

describe('/mcp with a Bearer key', () => {
  let platform: Platform;
  let key: string;
  let home: string;

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'remote-key@example.com', 'ci');
    home = await mkdtemp(join(tmpdir(), 'invoker-remote-inspector-'));
  });
  afterAll(async () => platform?.stop());

  async function inspector(era: McpEra, args: string[]): Promise<Record<string, any>> {
    const { stdout } = await run(
      process.execPath,
      [INSPECTOR, '--cli', '--format', 'json', '--quiet', '--protocol-era', era === '2026-07-28' ? 'modern' : 'legacy', '--transport', 'http', `${platform.url}/mcp`, '--header', `Authorization: Bearer ${key}`, ...args],
      { env: cleanEnv({ HOME: home }), cwd: home, timeout: 60_000 },
    );
    return JSON.parse(stdout) as Record<string, any>;
  }

  it.each(MCP_ERAS)('the Inspector CLI lists and calls tools over HTTP (%s)', { timeout: 120_000 }, async (era) => {
    const listed = (await inspector(era, ['--method', 'tools/list'])).result as { tools: Array<{ name: string }> };
    const names = listed.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['deploy', 'list_deploys', 'get_submissions', 'list_api_keys', 'compose_page']));
    expect(names).not.toContain('login');
    expect(names).not.toContain('enable_toolset');
    const deployed = (await inspector(era, ['--method', 'tools/call', '--tool-name', 'deploy', '--tool-args-json', JSON.stringify({ html: '<h1>Inspected remotely</h1>', slug: `inspector-${era.slice(0, 4)}`, publish: true })])).result;
    expect(deployed.isError).toBeFalsy();
    expect(deployed.structuredContent).toMatchObject({ slug: `inspector-${era.slice(0, 4)}`, status: 'live' });
    const who = (await inspector(era, ['--method', 'tools/call', '--tool-name', 'whoami', '--tool-args-json', '{}'])).result;
    expect(who.structuredContent).toMatchObject({ email: 'remote-key@example.com', api_url: platform.url });
  });

  it.each(MCP_ERAS)('the v2 SDK client lists and calls tools with the key (%s)', async (era) => {
    const transport = new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
    const client = new Client({ name: 'remote-key-e2e', version: '1.0.0' }, eraOptions(era));
    await client.connect(transport);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('deploy');
      const slug = `sdk-${era.slice(0, 4)}`;
      const deployed = await client.callTool({ name: 'deploy', arguments: { html: `<h1>${era}</h1>`, slug } });
      expect(deployed.isError).toBeFalsy();
      const listed = await fetch(`${platform.url}/deploys`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json() as Promise<{ deploys: Array<{ slug: string }> }>);
      expect(listed.deploys.map((d) => d.slug)).toContain(slug);
      const csv = await client.callTool({ name: 'export_submissions', arguments: { deployment_id: (deployed.structuredContent as { id: string }).id } });
      expect(csv.isError).toBeFalsy();
      expect(csv.structuredContent).toMatchObject({ rows: 0 });
      expect(csv.structuredContent).not.toHaveProperty('file');
      const key2 = await client.callTool({ name: 'create_api_key', arguments: { name: 'never' } });
      expect(key2.isError).toBe(true);
      expect(resultText(key2)).toContain(`${platform.url}/dashboard/keys`);
    } finally {
      await client.close();
    }
  });
});
