// The full MCP server (the SDK's McpServer with every tool and the login flow), connected to the
// transport the stdio front hands it. Loaded on the first request the front cannot answer itself.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { parseClientConfig, type Env } from '../config.js';
import { toolFilterFromEnv } from './tool-filter.js';
import { createToolContext } from './context.js';
import { createMcpServer } from './server.js';
import { LoginFlow } from '../auth/login-flow.js';
import { canOpenBrowser, openInBrowser } from '../auth/open-browser.js';

/** Builds the server on `transport`; the returned function closes it. */
export async function startFullServer(env: Env, version: string, transport: Transport): Promise<() => Promise<void>> {
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
  await server.connect(transport);
  return async () => {
    login.cancel();
    await server.close();
  };
}

/** The client's own name for the login page and the key name ("Claude Desktop login 2026-11-22"). */
function prettyClientName(raw: string | undefined): string {
  if (!raw) return 'MCP client';
  const known: Record<string, string> = { 'claude-ai': 'Claude Desktop', 'claude-code': 'Claude Code', cursor: 'Cursor', 'Visual Studio Code': 'VS Code' };
  return (known[raw] ?? raw).slice(0, 80);
}
