// The MCP server: one loop registers every tool, adds structuredContent and text to its result,
// and turns anything a handler throws into an isError result whose text says what to do next.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toAppError } from '../errors.js';
import type { ToolContext, ToolDefinition } from './define-tool.js';
import { isToolSelected, type ToolFilter } from './tool-filter.js';

export type { ToolFilter } from './tool-filter.js';
import { ALL_TOOLS } from './tools/index.js';

export function selectTools(tools: readonly ToolDefinition[], filter: ToolFilter): ToolDefinition[] {
  return tools.filter((t) => isToolSelected({ name: t.name, toolset: t.toolset, readOnly: t.annotations.readOnlyHint }, filter));
}

const INSTRUCTIONS =
  'Invoker puts forms and sites on the web. Flow: gather requirements, build the HTML (templates and blocks help), ' +
  'call deploy (a preview), show the preview URL to the user, then publish once they approve. Read form ' +
  'submissions with get_submissions. If a tool says you are not logged in, call login.';

export function createMcpServer(options: {
  version: string;
  context: ToolContext;
  filter?: ToolFilter;
  tools?: readonly ToolDefinition[];
}): McpServer {
  const server = new McpServer({ name: 'invoker', title: 'Invoker', version: options.version }, { instructions: INSTRUCTIONS });
  // URL-mode elicitation only when the client declared it (MCP 2025-11-25); otherwise the tool text
  // carries the URL.
  const elicitUrl = async (message: string, url: string): Promise<boolean> => {
    // Some clients declare elicitation but never render it: the request gives up after a minute
    // (the login tool itself waits only a few seconds for it).
    const result = await server.server.elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, { timeout: 60_000 });
    return result.action === 'accept';
  };
  const contextFor = (): ToolContext =>
    server.server.getClientCapabilities()?.elicitation?.url ? { ...options.context, elicitUrl } : options.context;
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
      async (args: unknown): Promise<CallToolResult> => {
        try {
          const result = await tool.handler(args as never, contextFor());
          const content: CallToolResult['content'] = [{ type: 'text', text: result.text }];
          if (result.structured === undefined) return { content };
          // Some clients read only the text: include the JSON there too.
          content.push({ type: 'text', text: JSON.stringify(result.structured) });
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
