// Spawning MCP servers over stdio with the SDK client, as an MCP host starts them.
import { join } from 'node:path';
import { connectStdio, type McpEra, type StdioSession } from '../../scripts/mcp-client.js';
import { BIN, ROOT, cleanEnv } from './proc.js';

export interface McpCommand {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function invokerMcp(env: Record<string, string> = {}): McpCommand {
  return { label: 'invoker-mcp', command: process.execPath, args: [BIN], env: cleanEnv(env) };
}

/** The reference server, started as its README documents for stdio (`mcp-server-everything stdio`). */
export function serverEverything(): McpCommand {
  const script = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
  return { label: 'server-everything', command: process.execPath, args: [script, 'stdio'], env: cleanEnv() };
}

export type McpSession = StdioSession;

/** Spawns the server and completes the opening (initialize, or server/discover in 2026-07-28); the caller times this and what follows. */
export function connect(cmd: McpCommand, era: McpEra = '2025-11-25'): Promise<McpSession> {
  return connectStdio(cmd, era, { name: 'invoker-bench' });
}
