// Keys and organizations through the real surfaces: the spawned MCP server and the CLI against a
// real `serve`. The keys and orgs toolsets are off by default: the MCP sessions turn them on with
// enable_toolset, as a model does when the user asks for a key or a client org.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, MCP_ERAS, connectMcp, createKey, resultText, runCli, startPlatform, type McpSession, type Platform } from '../helpers/platform.js';

async function enable(mcp: McpSession, toolset: string): Promise<void> {
  const result = await mcp.client.callTool({ name: 'enable_toolset', arguments: { toolset } });
  expect(resultText(result)).toMatch(new RegExp(`^Turned on ${toolset}: `));
}

describe.each(BACKENDS)('API keys and organizations from the MCP server and the CLI ($0)', (backend) => {
  let platform: Platform;
  let key: string;
  let configDir: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend });
    key = await createKey(platform, 'agency@example.com', 'bootstrap');
    configDir = await mkdtemp(join(tmpdir(), 'invoker-config-'));
  });
  afterAll(async () => {
    await platform?.stop();
  });

  describe.each(MCP_ERAS)('over MCP %s', (era) => {
    // Each era works in an account of its own on the shared platform.
    let eraKey: string;
    beforeAll(async () => {
      eraKey = await createKey(platform, `agency-${era}@example.com`, 'bootstrap');
    });

    it('creates a key into a 0600 file, lists it, and revokes it only after confirm', async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: eraKey, INVOKER_CONFIG_DIR: configDir }, era);
      try {
        await enable(mcp, 'keys');
        const created = await mcp.client.callTool({ name: 'create_api_key', arguments: { name: 'CI' } });
        expect(created.isError).toBeFalsy();
        const info = created.structuredContent as { id: string; file: string; preview: string };
        expect(JSON.stringify(created)).not.toMatch(/inv_[0-9A-Za-z]{38}/);
        expect(resultText(created)).toContain(info.file);
        const saved = (await readFile(info.file, 'utf8')).trim();
        expect(saved).toMatch(/^inv_[0-9A-Za-z]{38}$/);
        expect(saved.endsWith(info.preview.slice(-4))).toBe(true);
        expect((await stat(info.file)).mode & 0o777).toBe(0o600);

        const listed = await mcp.client.callTool({ name: 'list_api_keys', arguments: {} });
        expect((listed.structuredContent as { keys: Array<{ name: string }> }).keys.map((k) => k.name)).toEqual(['bootstrap', 'CI']);

        const dryRun = await mcp.client.callTool({ name: 'revoke_api_key', arguments: { id: info.id } });
        expect(resultText(dryRun)).toMatch(/confirm: true/);
        expect((await runCli(['whoami'], { INVOKER_API_URL: platform.url, INVOKER_API_KEY: saved })).code).toBe(0);

        const revoked = await mcp.client.callTool({ name: 'revoke_api_key', arguments: { id: info.id, confirm: true } });
        expect(revoked.structuredContent).toEqual({ id: info.id, revoked: true });
        const refused = await runCli(['whoami'], { INVOKER_API_URL: platform.url, INVOKER_API_KEY: saved });
        expect(refused.code).toBe(3);
        expect(refused.stderr).toMatch(/revoked/);
      } finally {
        await mcp.close();
      }
    });

    it('creates a sub-org and acts on it with the parent key through `org`', async () => {
      const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: eraKey, INVOKER_CONFIG_DIR: configDir }, era);
      try {
        await enable(mcp, 'keys');
        await enable(mcp, 'orgs');
        const created = await mcp.client.callTool({ name: 'create_sub_org', arguments: { name: 'Client Co' } });
        const sub = created.structuredContent as { id: string; parent_id: string };
        expect(sub.id).toMatch(/^org_/);
        const orgs = await mcp.client.callTool({ name: 'list_orgs', arguments: {} });
        expect(resultText(orgs)).toContain('Client Co');
        expect((orgs.structuredContent as { sub_orgs: Array<{ id: string }> }).sub_orgs.map((o) => o.id)).toContain(sub.id);

        const subKey = await mcp.client.callTool({ name: 'create_api_key', arguments: { name: 'client key', org: sub.id } });
        expect(subKey.isError).toBeFalsy();
        const stranger = await mcp.client.callTool({ name: 'list_api_keys', arguments: { org: 'org_AAAAAAAAAAAAAAAA' } });
        expect(stranger.isError).toBe(true);
        expect(resultText(stranger)).toMatch(/not found/i);
      } finally {
        await mcp.close();
      }
    });
  });

  it('manages keys from the terminal: create prints the key once, list shows previews, revoke', async () => {
    const env = { INVOKER_API_URL: platform.url, INVOKER_API_KEY: key };
    const created = await runCli(['keys', 'create', 'Laptop'], env);
    expect(created.code).toBe(0);
    const newKey = created.stdout.trim();
    expect(newKey).toMatch(/^inv_[0-9A-Za-z]{38}$/);
    const list = await runCli(['keys', 'list'], env);
    expect(list.stdout).toContain('Laptop');
    expect(list.stdout).not.toContain(newKey);
    const id = list.stdout.split('\n').find((l) => l.includes('Laptop'))!.split('\t')[0] as string;
    expect((await runCli(['keys', 'revoke', id], env)).code).toBe(0);
    expect((await runCli(['keys', 'list'], env)).stdout).not.toContain('Laptop');
    const bad = await runCli(['keys', 'revoke'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/keys list/);
  });
});
