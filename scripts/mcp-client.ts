// An MCP client on a spawned stdio server in either protocol era, for the test harness
// (test/helpers/platform.ts) and the benchmarks (bench/lib/mcp.ts): the v2 SDK's Client, with the
// 2025-era initialize handshake or pinned to the 2026-07-28 revision (server/discover, then a
// per-request envelope on every request).
import { Client, type ClientOptions } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** Every suite that drives the stdio server runs once per era. */
export const MCP_ERAS = ['2025-11-25', '2026-07-28'] as const;
export type McpEra = (typeof MCP_ERAS)[number];

/**
 * The SDK probes a pinned stdio server on a throwaway sibling process when given its own
 * StdioClientTransport, and on the connection itself when given a subclass. In place, the session's
 * server sees the whole 2026-07-28 opening (server/discover first), and a cold start is one spawn.
 */
class InPlaceStdioClientTransport extends StdioClientTransport {}

export interface StdioServer {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface StdioSession {
  client: Client;
  pid: number;
  stderr(): string;
  close(): Promise<void>;
}

/** The client options that select `era` (legacy is the SDK's default). */
export function eraOptions(era: McpEra): ClientOptions {
  return era === '2026-07-28' ? { versionNegotiation: { mode: { pin: era } } } : {};
}

/** Spawns the server and connects in `era`; throws unless the connection negotiated exactly it. */
export async function connectStdio(server: StdioServer, era: McpEra, options: { name: string; client?: ClientOptions }): Promise<StdioSession> {
  const transport = new InPlaceStdioClientTransport({ ...server, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: options.name, version: '0.0.0' }, { ...options.client, ...eraOptions(era) });
  await client.connect(transport);
  const negotiated = client.getNegotiatedProtocolVersion();
  if (negotiated !== era) {
    await client.close();
    throw new Error(`asked for MCP ${era}, the server negotiated ${negotiated ?? 'nothing'}`);
  }
  return { client, pid: transport.pid ?? 0, stderr: () => stderr, close: () => client.close() };
}
