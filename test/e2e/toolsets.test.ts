// Toolsets over a real stdio session against a real `serve`, in both protocol eras: the default
// listing, enable_toolset turning one on for the life of the process (the client is told the list
// changed and lists the new tools), `org` appearing with the orgs toolset, and the answers for a
// toolset that has no tools yet, one already on and one that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { MCP_ERAS, connectMcp, createKey, resultText, startPlatform, type McpSession, type Platform } from '../helpers/platform.js';

describe.each(MCP_ERAS)('toolsets over stdio (%s)', (era) => {
  let platform: Platform;
  let mcp: McpSession;
  /** Every tool list the client fetched after a tools/list_changed notification. */
  const refreshed: Tool[][] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    const key = await createKey(platform, `toolsets-${era}@example.com`);
    mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_API_KEY: key, INVOKER_CONFIG_DIR: `${platform.dataDir}/config` }, era, {
      listChanged: { tools: { debounceMs: 0, onChanged: (error, tools) => (error ? undefined : refreshed.push(tools ?? [])) } },
    });
  });
  afterAll(async () => {
    await mcp?.close();
    await platform?.stop();
  });

  const call = (name: string, args: Record<string, unknown> = {}) => mcp.client.callTool({ name, arguments: args });
  const names = (tools: Tool[]) => tools.map((t) => t.name);
  /** Waits for the client's refresh after a tools/list_changed notification. */
  const nextRefresh = async (count: number) => {
    for (let i = 0; i < 100 && refreshed.length < count; i++) await new Promise((r) => setTimeout(r, 50));
    expect(refreshed, 'a tools/list_changed notification and the refreshed list').toHaveLength(count);
    return refreshed[count - 1] as Tool[];
  };

  it('lists the default toolsets, without the keys tools or any `org` argument', async () => {
    const { tools } = await mcp.client.listTools();
    expect(names(tools)).toContain('deploy');
    expect(names(tools)).toContain('enable_toolset');
    expect(names(tools)).not.toContain('list_api_keys');
    for (const tool of tools) expect(Object.keys(tool.inputSchema.properties ?? {}), tool.name).not.toContain('org');
    const description = tools.find((t) => t.name === 'enable_toolset')?.description ?? '';
    expect(description).toContain('keys (list_api_keys, create_api_key, revoke_api_key)');
    expect(description).toMatch(/webhooks \(create_webhook, list_webhooks, delete_webhook\), domains \(add_domain, list_domains, remove_domain\), extras \(list_counters, protect_site\)/);
  });

  it('turns a toolset on for the rest of the session and tells the client, which lists and calls its tools', async () => {
    const enabled = await call('enable_toolset', { toolset: 'keys' });
    expect(enabled.isError).toBeFalsy();
    expect(resultText(enabled)).toContain('Turned on keys: list_api_keys, create_api_key, revoke_api_key.');
    const tools = await nextRefresh(1);
    expect(names(tools)).toEqual(expect.arrayContaining(['deploy', 'list_api_keys', 'create_api_key', 'revoke_api_key']));
    expect(names((await mcp.client.listTools()).tools)).toEqual(names(tools));
    const keys = await call('list_api_keys');
    expect(keys.isError).toBeFalsy();
    expect(resultText(keys)).toMatch(/1 API key/);
    // A second time changes nothing and says so.
    expect(resultText(await call('enable_toolset', { toolset: 'keys' }))).toBe('The keys toolset is already on.');
  });

  it('lists `org` on the org-acting tools once the orgs toolset is on, and acts on a sub-org with it', async () => {
    expect(resultText(await call('enable_toolset', { toolset: 'orgs' }))).toContain('Turned on orgs: list_orgs, create_sub_org.');
    const tools = await nextRefresh(2);
    const deploy = tools.find((t) => t.name === 'deploy');
    expect(Object.keys(deploy?.inputSchema.properties ?? {})).toContain('org');
    const sub = (await call('create_sub_org', { name: `Client ${era}` })).structuredContent as { id: string };
    const deployed = await call('deploy', { html: '<p>client</p>', org: sub.id });
    expect(deployed.isError).toBeFalsy();
    const own = (await call('list_deploys')).structuredContent as { deploys: unknown[] };
    const theirs = (await call('list_deploys', { org: sub.id })).structuredContent as { deploys: unknown[] };
    expect([own.deploys.length, theirs.deploys.length]).toEqual([0, 1]);
  });

  it('answers honestly for a name that is no toolset', async () => {
    const unknown = await call('enable_toolset', { toolset: 'everything' });
    expect(unknown.isError).toBe(true);
    expect(resultText(unknown)).toMatch(/Unknown toolset "everything". Toolsets: auth, sites, forms, content, keys, orgs, webhooks, domains, extras/);
    expect(refreshed).toHaveLength(2);
  });
});
