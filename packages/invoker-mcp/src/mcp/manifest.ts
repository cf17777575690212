// The MCP server's opening answers, recorded once at build time from the real server (serveStdio
// over an in-memory pipe, raw JSON-RPC in, the exact result objects out), for both protocol eras.
// The stdio front (stdio.ts) replays them, so a client's start-up race is won without loading the
// SDK, zod or any tool; the real server is loaded on the first message the front does not answer.
// tools/list is recorded with every tool, once with `org` listed and once without (catalog.ts:
// listedInput); the front lists the ones the selection picks (toolsets.ts: isListed).
import { InMemoryTransport, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { parseClientConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { ToolContext } from './define-tool.js';
import { MODERN_REVISION, envelope } from './era.js';
import { createMcpServer } from './server.js';
import { CATALOG, factsOf } from './catalog.js';
import { TOOLSETS, type Selection, type ToolFacts } from './toolsets.js';

type Result = Record<string, unknown>;

/** A tools/list result in both eras, for one state of `org` (listed with the orgs toolset on). */
export interface ToolsLists {
  legacy: Result;
  modern: Result;
}

export interface Manifest {
  /** 2025-era versions initialize answers with as asked; any other gets `fallbackVersion`. */
  legacyVersions: string[];
  fallbackVersion: string;
  /** The initialize result minus protocolVersion, on a 2025-era connection. */
  initialize: Result;
  /** The server/discover result on a 2026-07-28 connection. */
  discover: Result;
  /** tools/list with every tool: `withOrg` while the orgs toolset is on, else `withoutOrg`. */
  withOrg: ToolsLists;
  withoutOrg: ToolsLists;
  /** Every tool in tools/list order, with what isListed() (toolsets.ts) needs to select it. */
  tools: ToolFacts[];
}

/** A context that refuses everything: building the manifest never touches the network or disk. */
const inert: ToolContext = {
  config: parseClientConfig({}),
  api: async () => {
    throw new AppError('internal', 'not available while building the manifest');
  },
  currentKey: async () => null,
};

/**
 * One stdio connection to the real server: send raw requests, get their result objects. It lists
 * every tool (as the manifest records them) unless `only` says to list a selection's.
 */
async function openConnection(version: string, selection?: Selection, only?: 'selection') {
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const waiting = new Map<number, (message: Result) => void>();
  ours.onmessage = (message: JSONRPCMessage) => {
    const { id } = message as { id?: number };
    if (typeof id === 'number') waiting.get(id)?.(message as Result);
  };
  const tools = only === 'selection' ? {} : { tools: CATALOG };
  const handle = serveStdio(({ era }) => createMcpServer({ version, era, context: inert, ...tools, ...(selection ? { selection } : {}) }), {
    transport: theirs,
  });
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
const MODERN_PARAMS = { _meta: envelope({}) };
const names = (list: Result) => (list.tools as Array<{ name: string }>).map((t) => t.name).join();

/**
 * tools/list in both eras from the real server, for the tools `selection` lists, or for every tool
 * with `org` listed as `selection` says (the manifest's recordings).
 */
export async function recordToolsLists(version: string, selection: Selection, tools: 'selection' | 'every' = 'selection'): Promise<ToolsLists> {
  const only = tools === 'selection' ? 'selection' : undefined;
  const legacyConnection = await openConnection(version, selection, only);
  await legacyConnection.request('initialize', initializeParams(LATEST_PROTOCOL_VERSION));
  await legacyConnection.notify('notifications/initialized');
  const legacy = await legacyConnection.request('tools/list');
  await legacyConnection.close();
  const modernConnection = await openConnection(version, selection, only);
  const modern = await modernConnection.request('tools/list', MODERN_PARAMS);
  await modernConnection.close();
  if (names(legacy) !== names(modern)) throw new Error('the two eras list different tools');
  return { legacy, modern };
}

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
  await legacy.close();
  const modern = await openConnection(version);
  const discover = await modern.request('server/discover', MODERN_PARAMS);
  await modern.close();
  if (!(discover.supportedVersions as string[]).includes(MODERN_REVISION)) throw new Error(`server/discover does not offer ${MODERN_REVISION}`);

  const every = new Set(TOOLSETS);
  const withOrg = await recordToolsLists(version, { surface: 'stdio', toolsets: every }, 'every');
  const withoutOrg = await recordToolsLists(version, { surface: 'stdio', toolsets: new Set(TOOLSETS.filter((t) => t !== 'orgs')) }, 'every');
  if (names(withOrg.legacy) !== names(withoutOrg.legacy)) throw new Error('the org and no-org listings list different tools');
  return {
    legacyVersions,
    fallbackVersion,
    initialize,
    discover,
    withOrg,
    withoutOrg,
    tools: (withOrg.legacy.tools as Array<{ name: string }>).map(({ name }) => {
      const tool = CATALOG.find((t) => t.name === name);
      if (!tool) throw new Error(`tool ${name} is listed but not defined`);
      return factsOf(tool);
    }),
  };
}
