// The MCP server's handshake, computed once at build time: what the real McpServer answers to
// `initialize` and `tools/list`. The stdio front (stdio.ts) replays it, so a client's start-up race
// is won without loading the SDK, zod or any tool; the real server is loaded on the first call.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { parseClientConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { ToolContext } from './define-tool.js';
import { createMcpServer } from './server.js';
import type { Toolset } from './tool-filter.js';
import { ALL_TOOLS } from './tools/index.js';

export interface Manifest {
  latestProtocolVersion: string;
  supportedProtocolVersions: string[];
  serverInfo: Record<string, unknown>;
  capabilities: Record<string, unknown>;
  instructions: string | undefined;
  /** tools/list entries exactly as the SDK serializes them, with the toolset each belongs to. */
  tools: Array<{ toolset: Toolset; readOnly: boolean; definition: Record<string, unknown> }>;
}

/** A context that refuses everything: building the manifest never touches the network or disk. */
const inert: ToolContext = {
  config: parseClientConfig({}),
  api: async () => {
    throw new AppError('internal', 'not available while building the manifest');
  },
  currentKey: async () => null,
};

export async function buildManifest(version: string): Promise<Manifest> {
  const server = createMcpServer({ version, context: inert });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'invoker-manifest', version });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  const manifest: Manifest = {
    latestProtocolVersion: LATEST_PROTOCOL_VERSION,
    supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    serverInfo: { ...(client.getServerVersion() ?? {}) },
    capabilities: { ...(client.getServerCapabilities() ?? {}) },
    instructions: client.getInstructions(),
    tools: tools.map((definition) => {
      const tool = ALL_TOOLS.find((t) => t.name === definition.name);
      if (!tool) throw new Error(`tool ${definition.name} is listed but not defined`);
      return { toolset: tool.toolset, readOnly: tool.annotations.readOnlyHint, definition: { ...definition } };
    }),
  };
  await client.close();
  return manifest;
}
