// The MCP server: one loop registers every tool, puts the tool's text and structuredContent in its
// result, and turns anything a handler throws into an isError result whose text says what to do next.
// The same server serves both protocol eras: serveStdio (full-server.ts) builds one per connection.
import { CLIENT_INFO_META_KEY, McpServer, type CallToolResult, type Implementation, type ServerContext } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { toAppError } from '../errors.js';
import type { ToolContext, ToolDefinition } from './define-tool.js';
import { isToolSelected, type ToolFilter } from './tool-filter.js';

export type { ToolFilter } from './tool-filter.js';
import { ALL_TOOLS } from './tools/index.js';

/** 'legacy': a 2025-era connection (initialize handshake); 'modern': 2026-07-28 (per-request envelopes). */
export type Era = 'legacy' | 'modern';

export function selectTools(tools: readonly ToolDefinition[], filter: ToolFilter): ToolDefinition[] {
  return tools.filter((t) => isToolSelected({ name: t.name, toolset: t.toolset, readOnly: t.annotations.readOnlyHint }, filter));
}

export const SERVER_INFO = { name: 'invoker', title: 'Invoker' } as const;

const INSTRUCTIONS =
  'Invoker puts forms and sites on the web. Flow: gather requirements, build the HTML (templates and blocks help), ' +
  'call deploy (a preview), show the preview URL to the user, then publish once they approve. Read form ' +
  'submissions with get_submissions. If a tool says you are not logged in, call login.';

export function createMcpServer(options: {
  version: string;
  context: ToolContext;
  era?: Era;
  filter?: ToolFilter;
  tools?: readonly ToolDefinition[];
  /** Told who the client is: after initialize (2025 era), or from each call's envelope (2026-07-28). */
  onClient?: (client: Implementation) => void;
}): McpServer {
  const server = new McpServer({ ...SERVER_INFO, version: options.version }, { instructions: INSTRUCTIONS });
  const modern = options.era === 'modern';
  if (!modern && options.onClient) {
    const report = options.onClient;
    server.server.oninitialized = () => {
      const client = server.server.getClientVersion();
      if (client) report(client);
    };
  }
  // URL-mode elicitation only on a 2025-era connection whose client declared it (2025-11-25);
  // otherwise, and always on 2026-07-28 (no server-to-client requests there), the tool text
  // carries the URL.
  const contextFor = (ctx: ServerContext): ToolContext => {
    if (modern) {
      const client = (ctx.mcpReq.envelope as Record<string, unknown> | undefined)?.[CLIENT_INFO_META_KEY] as Implementation | undefined;
      if (client && options.onClient) options.onClient(client);
      return options.context;
    }
    if (!server.server.getClientCapabilities()?.elicitation?.url) return options.context;
    const elicitUrl = async (message: string, url: string): Promise<boolean> => {
      // Sent as part of this tool call. Some clients declare elicitation but never render it: the
      // request gives up after a minute (the login tool itself waits only a few seconds for it).
      const result = await ctx.mcpReq.elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, { timeout: 60_000 });
      return result.action === 'accept';
    };
    return { ...options.context, elicitUrl };
  };
  for (const tool of selectTools(options.tools ?? ALL_TOOLS, options.filter ?? {})) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        try {
          const result = await tool.handler(args as never, contextFor(ctx));
          // The text is the tool's own, with visitor text framed as data (tools/site-text.ts); the
          // raw JSON goes only in structuredContent, never in a text block outside the frame.
          const content: CallToolResult['content'] = [{ type: 'text', text: result.text }];
          if (result.structured === undefined) return { content };
          return { content, structuredContent: result.structured as Record<string, unknown> };
        } catch (e) {
          const error = toAppError(e);
          // No structuredContent on errors: clients would validate it against the output schema.
          return { content: [{ type: 'text', text: error.message }], isError: true };
        }
      },
    );
  }
  return server;
}
