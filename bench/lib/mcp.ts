// Spawning MCP servers over stdio with the SDK client, as an MCP host starts them.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { join } from 'node:path';
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

export interface McpSession {
  client: Client;
  pid: number;
  stderr(): string;
  close(): Promise<void>;
}

/** Spawns the server and completes `initialize`; the caller times this and what follows. */
export async function connect(cmd: McpCommand): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: cmd.command, args: cmd.args, env: cmd.env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'invoker-bench', version: '0.0.0' });
  await client.connect(transport);
  return { client, pid: transport.pid ?? 0, stderr: () => stderr, close: () => client.close() };
}
