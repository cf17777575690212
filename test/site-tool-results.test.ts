// The site tools' results as an MCP client gets them, over the real McpServer (InMemoryTransport)
// with an InvokerApi that answers from memory: the site card declared in tools/list, the site
// shape listed once (get_status) while deploy/update/patch_page/publish still return it as
// structuredContent, checked before it is sent; resource_link items for the preview and live URLs.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../packages/invoker-mcp/src/config.js';
import type { InvokerApi } from '../packages/invoker-mcp/src/contract/invoker-api.js';
import type { Site } from '../packages/invoker-mcp/src/contract/sites.js';
import { createMcpServer } from '../packages/invoker-mcp/src/mcp/server.js';
import { ALL_TOOLS } from '../packages/invoker-mcp/src/mcp/tools/index.js';

const site = (over: Partial<Site> = {}): Site => ({
  id: 'dep_abc',
  slug: 'demo',
  url: 'http://demo.localhost:8787',
  preview_url: 'http://demo--tok.localhost:8787',
  version: 2,
  live_version: 1,
  status: 'live',
  title: null,
  description: null,
  favicon: null,
  is_spa: false,
  submission_count: 0,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('site tool results', () => {
  let client: Client;
  let answer: Site = site();

  beforeAll(async () => {
    const api = { patch: async () => answer, publish: async () => answer } as unknown as InvokerApi;
    const context = { config: parseClientConfig({ INVOKER_API_URL: 'http://localhost:8787' }), api: async () => api, currentKey: async () => null };
    const server = createMcpServer({ version: '0.0.0-test', context, tools: ALL_TOOLS });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: 'site-results-test', version: '0.0.0' });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists the card on the site tools and the site shape on list_deploys only', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of ['deploy', 'update', 'patch_page', 'publish', 'get_status']) expect(byName[name]?._meta).toEqual({ ui: { resourceUri: 'ui://invoker/site' } });
    // Returned as structuredContent and checked before sending, but listed once (tools/list budget).
    for (const name of ['deploy', 'update', 'patch_page', 'publish', 'get_status']) expect(byName[name]?.outputSchema).toBeUndefined();
    expect(byName.list_deploys?.outputSchema).toBeDefined();
    expect(byName.list_deploys?._meta).toBeUndefined();
  });

  it('returns the site as structuredContent without nulls, with the preview and live URLs as resource links', async () => {
    answer = site();
    const result = await client.callTool({ name: 'patch_page', arguments: { id: 'dep_abc', edits: [{ find: 'a', replace: 'b' }] } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ id: 'dep_abc', slug: 'demo', url: answer.url, preview_url: answer.preview_url, version: 2, live_version: 1, status: 'live', submission_count: 0 });
    expect((result.content as Array<{ type: string }>).filter((c) => c.type === 'resource_link')).toEqual([
      { type: 'resource_link', uri: answer.url, name: 'demo', description: 'Live, version 1', mimeType: 'text/html' },
      { type: 'resource_link', uri: answer.preview_url, name: 'demo preview', description: 'Version 2', mimeType: 'text/html' },
    ]);
    answer = site({ live_version: null, status: 'draft' });
    const draft = await client.callTool({ name: 'publish', arguments: { id: 'dep_abc' } });
    expect((draft.content as Array<{ type: string; uri?: string }>).filter((c) => c.type === 'resource_link').map((c) => c.uri)).toEqual([answer.preview_url]);
  });

  it('still checks an unlisted output against its schema before sending it', async () => {
    answer = { ...site(), version: 'two' } as unknown as Site;
    const result = await client.callTool({ name: 'publish', arguments: { id: 'dep_abc' } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
  });
});
