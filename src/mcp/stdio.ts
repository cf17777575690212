// Runs the MCP server over stdio. stdout is the JSON-RPC channel: every log line goes to stderr,
// and the process exits when the client closes stdin or sends SIGINT/SIGTERM.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseClientConfig, type Env } from '../config.js';
import { toolFilterFromEnv } from './tool-filter.js';
import { createToolContext } from './context.js';
import { createMcpServer } from './server.js';
import { LoginFlow } from '../auth/login-flow.js';
import { canOpenBrowser, openInBrowser } from '../auth/open-browser.js';

/** Serves until the client goes away; resolves once the server is closed. */
export async function runStdioServer(env: Env, version: string): Promise<void> {
  // A dependency that prints with console.log must not corrupt the protocol stream.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  const config = parseClientConfig(env);
  const userAgent = `invoker-mcp/${version} (mcp)`;
  let clientName = 'MCP client';
  // One login flow per process, shared by the login tool and every tool that finds no key.
  const login = new LoginFlow({
    config,
    clientName: () => clientName,
    userAgent,
    canOpenBrowser: canOpenBrowser(env),
    openBrowser: openInBrowser,
    log: (message) => process.stderr.write(`invoker-mcp: ${message}\n`),
  });
  const server = createMcpServer({
    version,
    context: createToolContext(config, { userAgent, login }),
    filter: toolFilterFromEnv(env, (message) => process.stderr.write(`invoker-mcp: ${message}\n`)),
  });
  server.server.oninitialized = () => {
    const info = server.server.getClientVersion();
    clientName = prettyClientName(info?.title ?? info?.name);
  };
  const transport = new StdioServerTransport();
  await server.connect(transport);

  // The SDK's stdio transport does not notice when the client goes away: watch stdin ourselves.
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  login.cancel();
  await server.close();
}

/** The client's own name for the login page and the key name ("Claude Desktop login 2026-11-22"). */
function prettyClientName(raw: string | undefined): string {
  if (!raw) return 'MCP client';
  const known: Record<string, string> = { 'claude-ai': 'Claude Desktop', 'claude-code': 'Claude Code', cursor: 'Cursor', 'Visual Studio Code': 'VS Code' };
  return (known[raw] ?? raw).slice(0, 80);
}
