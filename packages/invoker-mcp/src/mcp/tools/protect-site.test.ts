// protect_site and list_counters over the real MCP protocol (SDK Client + McpServer over
// InMemoryTransport) with a scripted platform: the password is chosen on the dashboard page the tool
// shows through URL-mode elicitation (2025-11-25), or names in its text when the client cannot; no
// password is ever asked of the model or sent by the tool.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '../../client/api-client.js';
import { generateApiKey } from '../../contract/api-key.js';
import { createToolContext } from '../context.js';
import type { ToolDefinition } from '../define-tool.js';
import { createMcpServer } from '../server.js';
import { listCountersTool } from './list-counters.js';
import { protectSiteTool } from './protect-site.js';

const API = 'http://api.test';
const KEY = generateApiKey();
const SITE = { id: 'dep_0000000000000001', slug: 'club', url: 'http://club.sites.test/', preview_url: 'http://club--x.sites.test/', version: 1, status: 'live' };

async function connect(elicitation: boolean) {
  const sent: Array<{ method: string; path: string; body: string | undefined }> = [];
  let isProtected = false;
  const send: HttpSend = async (url, init) => {
    // The client acts on the key's own org: /orgs/c/…
    const path = url.slice(API.length).replace(/^\/orgs\/c(?=\/)/, '');
    sent.push({ method: init.method, path, body: init.body as string | undefined });
    const reply = (status: number, body?: unknown) => ({ status, headers: {}, text: async () => (body === undefined ? '' : JSON.stringify(body)) });
    if (path === `/deploy/${SITE.id}`) return reply(200, SITE);
    if (path === `/deploy/${SITE.id}/password` && init.method === 'GET') return reply(200, { protected: isProtected });
    if (path === `/deploy/${SITE.id}/password` && init.method === 'DELETE') return (isProtected = false), reply(204);
    if (path === `/deploy/${SITE.id}/counters`) return reply(200, { counters: [{ name: 'joined', value: 142, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-02T00:00:00Z' }] });
    return reply(404, { error: 'no', code: 'not_found' });
  };
  const config = { apiUrl: API, envApiKey: KEY, configDir: join(await mkdtemp(join(tmpdir(), 'invoker-protect-')), 'cfg'), noBrowser: true };
  const context = createToolContext(config, { userAgent: 'test', send });
  const client = new Client({ name: 'test', version: '0' }, { capabilities: elicitation ? { elicitation: { url: {} } } : {} });
  const elicited: Array<Record<string, unknown>> = [];
  if (elicitation) {
    client.setRequestHandler('elicitation/create', async (request) => {
      elicited.push(request.params as Record<string, unknown>);
      isProtected = true; // the person set it on the page
      return { action: 'accept' };
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  const tools = [protectSiteTool, listCountersTool] as unknown as ToolDefinition[];
  serveStdio(({ era }) => createMcpServer({ version: '0', era, tools, context }), { transport: b });
  await client.connect(a);
  const text = (r: unknown) => (r as { content: Array<{ type: string; text?: string }> }).content.map((c) => c.text ?? '').join('\n');
  return { client, sent, elicited, text };
}

describe('protect_site', () => {
  it('takes no password: its inputs are the site, remove and org', async () => {
    const { client } = await connect(false);
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'protect_site');
    expect(Object.keys((tool?.inputSchema as { properties: object }).properties).sort()).toEqual(['deployment_id', 'remove']);
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it('shows the dashboard page through URL-mode elicitation when the client has it', async () => {
    const { client, elicited, sent, text } = await connect(true);
    const result = await client.callTool({ name: 'protect_site', arguments: { deployment_id: SITE.id } });
    expect(result.isError).toBeFalsy();
    expect(elicited).toEqual([expect.objectContaining({ mode: 'url', url: `${API}/dashboard/sites/${SITE.id}/password` })]);
    expect(text(result)).toContain(`${API}/dashboard/sites/${SITE.id}/password`);
    expect(result.structuredContent).toEqual({ id: SITE.id, protected: false, password_page: `${API}/dashboard/sites/${SITE.id}/password` });
    // Nothing was set through the API: only the person sets it, on that page.
    expect(sent.filter((s) => s.method === 'PUT')).toEqual([]);
  });

  it('returns the dashboard link when the client has no URL elicitation', async () => {
    const { client, elicited, text } = await connect(false);
    const result = await client.callTool({ name: 'protect_site', arguments: { deployment_id: SITE.id } });
    expect(elicited).toEqual([]);
    expect(text(result)).toContain(`Ask the user to open ${API}/dashboard/sites/${SITE.id}/password`);
  });

  it('removes the password when asked', async () => {
    const { client, sent } = await connect(false);
    const result = await client.callTool({ name: 'protect_site', arguments: { deployment_id: SITE.id, remove: true } });
    expect(result.structuredContent).toMatchObject({ protected: false });
    expect(sent.some((s) => s.method === 'DELETE' && s.path === `/deploy/${SITE.id}/password`)).toBe(true);
  });
});

describe('list_counters', () => {
  it('lists the counters with their values', async () => {
    const { client, text } = await connect(false);
    const result = await client.callTool({ name: 'list_counters', arguments: { deployment_id: SITE.id } });
    expect(text(result)).toBe('joined: 142');
    expect(result.structuredContent).toMatchObject({ counters: [{ name: 'joined', value: 142 }] });
  });
});
