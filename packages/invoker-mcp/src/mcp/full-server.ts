// The full MCP server (the SDK's serveStdio over a server per connection, with the selected tools
// and the login flow), reading from the transport the stdio front hands it. Loaded on the first message the
// front cannot answer itself. serveStdio decides the era from the opening message: an initialize
// (or any message without an envelope) is a 2025-era connection, a 2026-07-28 envelope a modern one.
import type { Implementation, Transport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { parseClientConfig, type Env } from '../config.js';
import { selectionFromEnv } from './toolsets.js';
import { createToolContext } from './context.js';
import { createMcpServer } from './server.js';
import { LoginFlow } from '../auth/login-flow.js';
import { canOpenBrowser, openInBrowser } from '../auth/open-browser.js';

/** Serves on `transport`; the returned function closes the server and the transport. */
export function startFullServer(env: Env, version: string, transport: Transport): () => Promise<void> {
  const config = parseClientConfig(env);
  const userAgent = `invoker-mcp/${version} (mcp)`;
  const log = (message: string) => process.stderr.write(`invoker-mcp: ${message}\n`);
  let clientName = 'MCP client';
  // One login flow per process, shared by the login tool and every tool that finds no key.
  const login = new LoginFlow({
    config,
    clientName: () => clientName,
    userAgent,
    canOpenBrowser: canOpenBrowser(env),
    openBrowser: openInBrowser,
    log,
  });
  const context = createToolContext(config, { userAgent, login });
  // The process's selection: INVOKER_TOOLSETS at start, then every toolset enable_toolset turned on.
  let selection = selectionFromEnv(env, log);
  const onClient = (client: Implementation) => {
    clientName = prettyClientName(client.title ?? client.name);
  };
  const handle = serveStdio(({ era }) => createMcpServer({ version, era, context, selection, onSelectionChange: (next) => (selection = next), onClient }), {
    transport,
    onerror: (error) => log(error.message),
  });
  return async () => {
    login.cancel();
    await handle.close();
  };
}

/** The client's own name for the login page and the key name ("Claude Desktop login 2026-11-22"). */
function prettyClientName(raw: string | undefined): string {
  if (!raw) return 'MCP client';
  const known: Record<string, string> = { 'claude-ai': 'Claude Desktop', 'claude-code': 'Claude Code', cursor: 'Cursor', 'Visual Studio Code': 'VS Code' };
  return (known[raw] ?? raw).slice(0, 80);
}
