// The login tool over the real MCP protocol (SDK Client + McpServer over InMemoryTransport, in both
// protocol eras), with a scripted platform behind the LoginFlow and a credentials dir in tmp.
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpSend } from '../../client/api-client.js';
import { LoginFlow } from '../../auth/login-flow.js';
import { writeCredentials } from '../../auth/credentials.js';
import { createToolContext } from '../context.js';
import { createMcpServer } from '../server.js';
import { createLoginTool } from './login.js';
import { whoamiTool } from './whoami.js';
import type { ToolDefinition } from '../define-tool.js';

const API = 'http://api.test';
const KEY = 'inv_' + 'a'.repeat(38);
const flows: LoginFlow[] = [];
afterEach(() => flows.splice(0).forEach((f) => f.cancel()));

function platform(state: { complete: boolean }) {
  const calls: string[] = [];
  const send: HttpSend = async (url, init) => {
    const path = url.slice(API.length);
    calls.push(path);
    const reply = (status: number, body: unknown) => ({ status, headers: {}, text: async () => JSON.stringify(body) });
    if (path === '/auth/session') {
      return reply(201, { session_id: 's3cret', user_code: 'BCDF-GHJK', verification_url: `${API}/auth/login?code=BCDF-GHJK`, interval: 1, expires_in: 600 });
    }
    if (path === '/auth/session/poll') {
      return reply(200, state.complete ? { status: 'complete', api_key: KEY, key_id: 'key_1', email: 'me@example.com', org_id: 'org_1' } : { status: 'pending', interval: 1 });
    }
    if (path === '/me') {
      return init.headers.authorization === `Bearer ${KEY}`
        ? reply(200, { user: { id: 'usr_1', email: 'me@example.com' }, org: { id: 'org_1', name: 'Me', parent_id: null, created_at: 'x' }, key: { id: 'key_1', name: 'login', preview: 'inv_…aaaa' } })
        : reply(401, { error: 'Invalid or revoked API key.', code: 'unauthenticated' });
    }
    return reply(404, { error: 'no', code: 'not_found' });
  };
  return { send, calls };
}

async function connect(options: { elicitation?: boolean; envKey?: string; complete?: boolean; configDir?: string; modern?: boolean }) {
  const configDir = options.configDir ?? join(await mkdtemp(join(tmpdir(), 'invoker-tool-')), 'cfg');
  const state = { complete: options.complete ?? false };
  const api = platform(state);
  const config = { apiUrl: API, envApiKey: options.envKey, configDir, noBrowser: true };
  const login = new LoginFlow({
    config,
    clientName: () => 'Test Client',
    userAgent: 'test',
    canOpenBrowser: false,
    openBrowser: async () => false,
    send: api.send,
    // Real 5 ms pauses, and a clock that never reaches the session's expiry.
    now: () => Date.parse('2026-11-22T10:00:00Z'),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
  });
  flows.push(login);
  // Short waits while the person has not finished (those calls answer "pending" after them), long ones
  // once they have: the key then arrives in milliseconds, but a loaded machine can take longer than 300.
  const wait = () => (state.complete ? 10_000 : 300);
  const waits = { get afterBrowserMs() { return wait(); }, get withoutBrowserMs() { return wait(); }, get resumeMs() { return wait(); }, elicitMs: 300 };
  const tools = [createLoginTool(waits), whoamiTool] as unknown as ToolDefinition[];
  const context = createToolContext(config, { userAgent: 'test', send: api.send, login });
  const client = new Client(
    { name: 'test', version: '0' },
    { capabilities: options.elicitation ? { elicitation: { url: {} } } : {}, ...(options.modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}) },
  );
  const elicited: unknown[] = [];
  if (options.elicitation) {
    client.setRequestHandler('elicitation/create', async (request) => {
      elicited.push(request.params);
      return { action: 'accept' };
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  // serveStdio picks the era from the client's opening, as on a real stdio connection.
  serveStdio(({ era }) => createMcpServer({ version: '0', era, tools, context }), { transport: b });
  await client.connect(a);
  const text = (r: unknown) => ((r as { content: Array<{ text: string }> }).content.map((c) => c.text).join('\n'));
  return { client, calls: api.calls, state, elicited, configDir, text };
}

describe('login tool', () => {
  it('returns the URL and code, resumes the same sign-in on a second call, and never elicits when the client cannot', async () => {
    const t = await connect({});
    const first = await t.client.callTool({ name: 'login', arguments: {} });
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ status: 'pending', user_code: 'BCDF-GHJK', verification_url: `${API}/auth/login?code=BCDF-GHJK` });
    expect(t.text(first)).toContain(`${API}/auth/login?code=BCDF-GHJK`);
    expect(t.text(first)).toMatch(/call login again/);
    await t.client.callTool({ name: 'login', arguments: {} });
    expect(t.calls.filter((p) => p === '/auth/session')).toHaveLength(1);
    expect(t.elicited).toEqual([]);

    // The person finishes: the background poll saves the key, and login confirms. (Wait for the save
    // itself, not for a time: on a loaded machine the poll can take longer than the tool's wait.)
    t.state.complete = true;
    await expect.poll(() => existsSync(join(t.configDir, 'credentials.json')), { timeout: 10_000 }).toBe(true);
    const done = await t.client.callTool({ name: 'login', arguments: {} });
    expect(t.text(done)).toMatch(/^Logged in as me@example.com/);
    expect(JSON.stringify(done)).not.toContain(KEY);
    const who = await t.client.callTool({ name: 'whoami', arguments: {} });
    expect(who.structuredContent).toMatchObject({ email: 'me@example.com', key_source: 'file' });
  });

  it('shows the link through URL-mode elicitation when the client declares it', async () => {
    const t = await connect({ elicitation: true, complete: true });
    const result = await t.client.callTool({ name: 'login', arguments: {} });
    expect(t.elicited).toEqual([expect.objectContaining({ mode: 'url', url: `${API}/auth/login?code=BCDF-GHJK` })]);
    expect(result.structuredContent).toMatchObject({ status: 'logged_in', email: 'me@example.com' });
  });

  it('on 2026-07-28, which has no server-to-client requests, the link is in the text even when the client declares elicitation', async () => {
    const t = await connect({ elicitation: true, modern: true });
    expect(t.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const result = await t.client.callTool({ name: 'login', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(t.elicited).toEqual([]);
    expect(result.structuredContent).toMatchObject({ status: 'pending', verification_url: `${API}/auth/login?code=BCDF-GHJK` });
    expect(t.text(result)).toContain(`${API}/auth/login?code=BCDF-GHJK`);
  });

  it('a tool that needs a key starts the sign-in and says to call it again', async () => {
    const t = await connect({});
    const result = await t.client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBe(true);
    expect(t.text(result)).toContain(`${API}/auth/login?code=BCDF-GHJK`);
    expect(t.text(result)).toMatch(/BCDF-GHJK.*call this tool again/s);
  });

  it('a saved key the server refuses starts the sign-in, and login replaces it', async () => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-tool-')), 'cfg');
    const revoked = 'inv_' + 'r'.repeat(38);
    await writeCredentials(configDir, { api_key: revoked, email: 'me@example.com', org_id: 'org_1', api_url: API, created_at: 'x' });
    const t = await connect({ configDir });
    const who = await t.client.callTool({ name: 'whoami', arguments: {} });
    expect(who.isError).toBe(true);
    expect(t.text(who)).toMatch(/no longer works.*BCDF-GHJK.*call this tool again/s);
    t.state.complete = true;
    const result = await t.client.callTool({ name: 'login', arguments: {} });
    expect(result.structuredContent).toMatchObject({ status: 'logged_in', email: 'me@example.com' });
    expect(t.calls.filter((p) => p === '/auth/session')).toHaveLength(1);
    expect((await t.client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
  });

  it('changes nothing when INVOKER_API_KEY is set', async () => {
    const t = await connect({ envKey: KEY });
    const result = await t.client.callTool({ name: 'login', arguments: {} });
    expect(result.structuredContent).toEqual({ status: 'env_key' });
    expect(t.calls).toEqual([]);
  });

  it('replaces a corrupt credentials file, which other tools report clearly', async () => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-tool-')), 'cfg');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'credentials.json'), '{not json');
    const t = await connect({ configDir, complete: true });
    const who = await t.client.callTool({ name: 'whoami', arguments: {} });
    expect(who.isError).toBe(true);
    expect(t.text(who)).toMatch(/credentials\.json is not valid JSON\. Delete it and log in again/);
    // whoami failed before the flow: login now starts one and writes a good file.
    const result = await t.client.callTool({ name: 'login', arguments: {} });
    expect(result.structuredContent).toMatchObject({ status: 'logged_in' });
    const again = await t.client.callTool({ name: 'whoami', arguments: {} });
    expect(again.structuredContent).toMatchObject({ key_source: 'file' });
  });
});
