// The stdio front answers the opening of both protocol eras from the build-time manifest: what it
// lists must be exactly what the real server registers, with the same filters; whatever it answers
// must be exactly what the real server answers to the same messages; and the first message it does
// not answer must reach the real server as if nothing had happened.
import { Client, InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { envelope } from '../../packages/invoker-mcp/src/mcp/era.js';
import { startFullServer } from '../../packages/invoker-mcp/src/mcp/full-server.js';
import { packageVersion } from '../../packages/invoker-mcp/src/version.js';
import { eraOptions } from '../../scripts/mcp-client.js';
import { MCP_ERAS, cleanEnv, connectMcp, resultText, type McpEra } from '../helpers/platform.js';
import { RawMcp, type RawMessage } from '../helpers/raw-mcp.js';

const OFFLINE = { INVOKER_API_URL: 'http://127.0.0.1:9' };

/** The real server without the front: the full server on an in-memory pipe. */
async function withFullServer<T>(env: Record<string, string>, use: (send: (message: RawMessage) => Promise<RawMessage | undefined>) => Promise<T>): Promise<T> {
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const answers = new Map<unknown, (m: RawMessage) => void>();
  ours.onmessage = (m: JSONRPCMessage) => {
    const { id, method } = m as RawMessage;
    if (method === undefined) answers.get(id)?.(m as RawMessage);
  };
  const close = startFullServer(cleanEnv({ ...OFFLINE, ...env }), packageVersion(), theirs);
  await ours.start();
  try {
    return await use(async (message) => {
      const answered = message.id === undefined ? undefined : new Promise<RawMessage>((r) => answers.set(message.id, r));
      await ours.send(message as JSONRPCMessage);
      return answered;
    });
  } finally {
    await close();
  }
}

async function listFromRealServer(env: Record<string, string>, era: McpEra) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const close = startFullServer(cleanEnv({ ...OFFLINE, ...env }), packageVersion(), b);
  const client = new Client({ name: 't', version: '0' }, eraOptions(era));
  await client.connect(a);
  const { tools } = await client.listTools();
  await client.close();
  await close();
  return tools;
}

const modernMeta = (capabilities: Record<string, unknown> = {}) => ({ _meta: envelope(capabilities, { name: 'raw', version: '0' }) });
const initialize = (id: number, protocolVersion = '2025-11-25') => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const request = (id: number | string, method: string, params?: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
const callStyles = (id: number, params: Record<string, unknown> = {}) => request(id, 'tools/call', { name: 'list_styles', arguments: {}, ...params });

/** Message sequences a client may open with, in either era or a mix: every answer must equal the real server's. */
const OPENINGS: Record<string, RawMessage[]> = {
  '2025: initialize, ping, tools/list, a call': [initialize(1), initialized, request(2, 'ping'), request(3, 'tools/list'), callStyles(4)],
  '2025: an old protocol version, a version from the future': [initialize(1, '2024-11-05'), initialized, callStyles(2)],
  '2025: a version the server does not know is answered with its own': [initialize(1, '1999-01-01'), request(2, 'tools/list')],
  '2025: tools/list before initialize': [request(1, 'tools/list'), initialize(2), initialized, callStyles(3)],
  '2025: a second initialize': [initialize(1), initialized, initialize(2), callStyles(3)],
  '2026: discover, tools/list, a call': [request('server-discover-probe-1', 'server/discover', modernMeta()), request(1, 'tools/list', modernMeta()), callStyles(2, modernMeta())],
  '2026: ping does not exist in 2026-07-28': [request(1, 'server/discover', modernMeta()), request(2, 'ping', modernMeta()), callStyles(3, modernMeta())],
  '2026: tools/list without discover (a client that probed elsewhere)': [request(1, 'tools/list', modernMeta()), callStyles(2, modernMeta())],
  '2026: discover twice, then tools/list': [request(1, 'server/discover', modernMeta()), request(2, 'server/discover', modernMeta()), request(3, 'tools/list', modernMeta())],
  '2026 probe, then the 2025 handshake (a client falling back)': [request(1, 'server/discover', modernMeta()), initialize(2), initialized, request(3, 'tools/list'), callStyles(4)],
  '2026, then initialize (refused on a 2026-07-28 connection)': [request(1, 'tools/list', modernMeta()), initialize(2), callStyles(3, modernMeta())],
  '2025, then a 2026 envelope': [initialize(1), initialized, request(2, 'tools/list', modernMeta()), callStyles(3)],
  '2026 with capabilities the front leaves to the server': [request(1, 'server/discover', modernMeta({ elicitation: { url: {} }, tasks: {} })), request(2, 'tools/list', modernMeta({ roots: { listChanged: 'yes' } }))],
  '2026 with a revision the server does not speak': [request(1, 'server/discover', { _meta: { ...envelope({}), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }), request(2, 'tools/list', modernMeta())],
  '2026 with an envelope missing its capabilities': [request(1, 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } }), request(2, 'tools/list', modernMeta())],
  'a tools/list with a cursor': [initialize(1), initialized, request(2, 'tools/list', { cursor: 'x' })],
};

describe('the stdio front', () => {
  for (const era of MCP_ERAS) {
    const envs = [{}, { INVOKER_TOOLSETS: 'content,auth' }, { INVOKER_READ_ONLY: '1' }, { INVOKER_TOOLSETS: 'all' }, { INVOKER_TOOLSETS: 'default,orgs', INVOKER_READ_ONLY: '1' }];
    for (const env of envs as Array<Record<string, string>>) {
      it(`lists exactly the real server's tools in ${era} (${JSON.stringify(env)})`, async () => {
        const mcp = await connectMcp({ ...OFFLINE, ...env }, era);
        try {
          const { tools } = await mcp.client.listTools();
          expect(tools).toEqual(await listFromRealServer(env, era));
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
  }

  for (const era of MCP_ERAS) {
    it(`after enable_toolset lists what the real server lists with that toolset on from the start (${era})`, async () => {
      const mcp = await connectMcp(OFFLINE, era);
      try {
        expect(resultText(await mcp.client.callTool({ name: 'enable_toolset', arguments: { toolset: 'orgs' } }))).toMatch(/^Turned on orgs/);
        const byName = (tools: Array<{ name: string }>) => [...tools].sort((a, b) => a.name.localeCompare(b.name));
        const { tools } = await mcp.client.listTools();
        expect(byName(tools)).toEqual(byName(await listFromRealServer({ INVOKER_TOOLSETS: 'default,orgs' }, era)));
      } finally {
        await mcp.close();
      }
    });
  }

  for (const [name, messages] of Object.entries(OPENINGS)) {
    it(`answers as the real server does: ${name}`, async () => {
      const expected = await withFullServer({}, async (send) => {
        const answers: Array<RawMessage | undefined> = [];
        for (const message of messages) answers.push(await send(message));
        return answers;
      });
      const mcp = RawMcp.spawn(OFFLINE);
      try {
        const answers: Array<RawMessage | undefined> = [];
        for (const message of messages) {
          if (message.id === undefined) mcp.send(JSON.stringify(message));
          answers.push(message.id === undefined ? undefined : await mcp.exchange(message, 15_000));
        }
        expect(answers).toEqual(expected);
        expect(mcp.badLines).toEqual([]);
        // Nothing but the answers: no echo of what the front replayed into the real server.
        expect(mcp.received).toHaveLength(answers.filter(Boolean).length);
      } finally {
        await mcp.close();
      }
    });
  }

  it('answers the opening of either era without loading the SDK, ignores a line that is not JSON, and writes only JSON-RPC', async () => {
    // A resolve hook in the server process reports every import of the SDK on stderr.
    const hook = `import{registerHooks}from'node:module';registerHooks({resolve(s,c,n){if(s.startsWith('@modelcontextprotocol/'))process.stderr.write('SDK-IMPORTED\\n');return n(s,c)}})`;
    const env = { ...OFFLINE, NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hook)}` };
    for (const era of MCP_ERAS) {
      const mcp = RawMcp.spawn(env, { era });
      mcp.send('this is not json');
      expect((await mcp.open()).result).toBeDefined();
      const listed = await mcp.request('tools/list', {});
      expect((listed.result as { tools: unknown[] }).tools.length).toBeGreaterThan(10);
      if (era === '2025-11-25') expect((await mcp.request('ping', {})).result).toEqual({});
      expect(mcp.stderr).not.toContain('SDK-IMPORTED');
      const templates = await mcp.request('tools/call', { name: 'list_templates', arguments: {} });
      expect(JSON.stringify(templates.result)).toContain('waitlist');
      expect(mcp.stderr).toContain('SDK-IMPORTED');
      expect(await mcp.close()).toBe(0);
      expect(mcp.badLines).toEqual([]);
      expect(mcp.stderr).toContain('ignored a line on stdin that is not JSON-RPC');
    }
  });
});
