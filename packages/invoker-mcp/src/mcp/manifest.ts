// The MCP server's opening answers, recorded once at build time from the real server (serveStdio
// over an in-memory pipe, raw JSON-RPC in, the exact result objects out), for both protocol eras.
// The stdio front (stdio.ts) replays them, so a client's start-up race is won without loading the
// SDK, zod or any tool; the real server is loaded on the first message the front does not answer.
import { InMemoryTransport, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { parseClientConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { ToolContext } from './define-tool.js';
import { MODERN_REVISION, envelope } from './era.js';
import { createMcpServer } from './server.js';
import type { Toolset } from './tool-filter.js';
import { ALL_TOOLS } from './tools/index.js';

type Result = Record<string, unknown>;

export interface Manifest {
  /** 2025-era versions initialize answers with as asked; any other gets `fallbackVersion`. */
  legacyVersions: string[];
  fallbackVersion: string;
  /** The initialize result minus protocolVersion, and the tools/list result, on a 2025-era connection. */
  initialize: Result;
  legacyToolsList: Result;
  /** The server/discover and tools/list results on a 2026-07-28 connection. */
  discover: Result;
  modernToolsList: Result;
  /** Every tool in tools/list order, with what the tool filter needs to select it. */
  tools: Array<{ name: string; toolset: Toolset; readOnly: boolean }>;
}

/** A context that refuses everything: building the manifest never touches the network or disk. */
const inert: ToolContext = {
  config: parseClientConfig({}),
  api: async () => {
    throw new AppError('internal', 'not available while building the manifest');
  },
  currentKey: async () => null,
};

/** One stdio connection to the real server: send raw requests, get their result objects. */
async function openConnection(version: string) {
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const waiting = new Map<number, (message: Result) => void>();
  ours.onmessage = (message: JSONRPCMessage) => {
    const { id } = message as { id?: number };
    if (typeof id === 'number') waiting.get(id)?.(message as Result);
  };
  const handle = serveStdio(({ era }) => createMcpServer({ version, era, context: inert }), { transport: theirs });
  await ours.start();
  let nextId = 1;
  return {
    async request(method: string, params?: Result): Promise<Result> {
      const id = nextId++;
      const answer = new Promise<Result>((resolve) => waiting.set(id, resolve));
      await ours.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) } as JSONRPCMessage);
      const message = await answer;
      if (!message.result) throw new Error(`${method} answered ${JSON.stringify(message.error)}`);
      return message.result as Result;
    },
    notify: (method: string) => ours.send({ jsonrpc: '2.0', method } as JSONRPCMessage),
    close: () => handle.close(),
  };
}

const initializeParams = (protocolVersion: string) => ({ protocolVersion, capabilities: {}, clientInfo: { name: 'invoker-manifest', version: '0' } });

export async function buildManifest(version: string): Promise<Manifest> {
  // Which versions initialize accepts, found by asking, so the front negotiates as the server does.
  const answeredVersion = async (asked: string) => {
    const connection = await openConnection(version);
    const result = await connection.request('initialize', initializeParams(asked));
    await connection.close();
    return result.protocolVersion as string;
  };
  const legacyVersions: string[] = [];
  for (const asked of SUPPORTED_PROTOCOL_VERSIONS) if ((await answeredVersion(asked)) === asked) legacyVersions.push(asked);
  const fallbackVersion = await answeredVersion('1900-01-01');

  const legacy = await openConnection(version);
  const { protocolVersion: _negotiated, ...initialize } = await legacy.request('initialize', initializeParams(fallbackVersion));
  await legacy.notify('notifications/initialized');
  const legacyToolsList = await legacy.request('tools/list');
  await legacy.close();

  const modern = await openConnection(version);
  const params = { _meta: envelope({}) };
  const discover = await modern.request('server/discover', params);
  const modernToolsList = await modern.request('tools/list', params);
  await modern.close();
  if (!(discover.supportedVersions as string[]).includes(MODERN_REVISION)) throw new Error(`server/discover does not offer ${MODERN_REVISION}`);

  const listed = (legacyToolsList.tools as Array<{ name: string }>).map((t) => t.name);
  const modernListed = (modernToolsList.tools as Array<{ name: string }>).map((t) => t.name);
  if (listed.join() !== modernListed.join()) throw new Error('the two eras list different tools');
  return {
    legacyVersions,
    fallbackVersion,
    initialize,
    legacyToolsList,
    discover,
    modernToolsList,
    tools: listed.map((name) => {
      const tool = ALL_TOOLS.find((t) => t.name === name);
      if (!tool) throw new Error(`tool ${name} is listed but not defined`);
      return { name, toolset: tool.toolset, readOnly: tool.annotations.readOnlyHint };
    }),
  };
}
