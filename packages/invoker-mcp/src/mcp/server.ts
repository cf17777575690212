// The MCP server: one loop registers the tools of a selection (catalog.ts), puts the tool's text and
// structuredContent in its result, and turns anything a handler throws into an isError result whose
// text says what to do next. The same server serves both protocol eras: serveStdio (full-server.ts)
// builds one per connection; the remote /mcp endpoint reuses one per selection, each request
// bringing its principal (requestContext).
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  inputRequired,
  inputResponse,
  McpServer,
  type ClientCapabilities,
  type CallToolResult,
  type Implementation,
  type RegisteredTool,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { toAppError } from '../errors.js';
import { listedInput, toolsFor } from './catalog.js';
import type { ToolContext, ToolDefinition } from './define-tool.js';
import { listedSchema } from './listed-schema.js';
import { optionalNulls, stripNulls } from './output-shape.js';
import { cardFrameDomains, registerSiteCard, SITE_CARD_META } from './site-card.js';
import { listsOrg, selectionFromEnv, type Selection, type Toolset } from './toolsets.js';

/** 'legacy': a 2025-era connection (initialize handshake); 'modern': 2026-07-28 (per-request envelopes). */
export type Era = 'legacy' | 'modern';

export const SERVER_INFO = { name: 'invoker', title: 'Invoker' } as const;

const INSTRUCTIONS =
  'Invoker puts forms and sites on the web. Flow: gather requirements, build the HTML (templates and blocks help), ' +
  'call deploy (a preview), show the preview URL to the user, then publish once they approve. Read form ' +
  'submissions with get_submissions. If a tool says you are not logged in, call login.';

/** The stdio default (no INVOKER_TOOLSETS): the default toolsets, the others through enable_toolset. */
const STDIO_DEFAULT = selectionFromEnv({}, () => {});

export function createMcpServer(options: {
  version: string;
  context: ToolContext;
  era?: Era;
  /** What to list; the stdio default when omitted. */
  selection?: Selection;
  /** enable_toolset changed the selection: the caller keeps it for servers built later in the process. */
  onSelectionChange?: (selection: Selection) => void;
  /** Exactly these tools instead of the selection's (the manifest records every tool). */
  tools?: readonly ToolDefinition[];
  /** Told who the client is: after initialize (2025 era), or from each call's envelope (2026-07-28). */
  onClient?: (client: Implementation) => void;
  /** What the site card may frame (site-card.ts); by default derived from the API URL. */
  cardFrameDomains?: readonly string[];
  /**
   * The request's own part of the context, laid over `context` for each call: the remote endpoint
   * reads the principal from the request's authInfo, so one server serves any principal's requests
   * in turn and nothing of one request stays on the server for the next.
   */
  requestContext?: (ctx: ServerContext) => Partial<ToolContext>;
}): McpServer {
  // Tools registered together (a toolset turned on) make one tools/list_changed, not one each.
  const server = new McpServer(
    { ...SERVER_INFO, version: options.version },
    { instructions: INSTRUCTIONS, debouncedNotificationMethods: ['notifications/tools/list_changed'] },
  );
  let selection = options.selection ?? STDIO_DEFAULT;
  const registered = new Map<string, { tool: ToolDefinition; handle: RegisteredTool }>();
  const modern = options.era === 'modern';
  if (!modern && options.onClient) {
    const report = options.onClient;
    server.server.oninitialized = () => {
      const client = server.server.getClientVersion();
      if (client) report(client);
    };
  }
  const enableToolset = async (toolset: Toolset) => {
    if (selection.toolsets.has(toolset)) return { alreadyOn: true, added: [] };
    const orgBefore = listsOrg(selection);
    selection = { ...selection, toolsets: new Set([...selection.toolsets, toolset]) };
    options.onSelectionChange?.(selection);
    // The tools already listed gain their `org` argument when the sub-orgs come on.
    if (listsOrg(selection) !== orgBefore) {
      for (const { tool, handle } of registered.values()) handle.update({ paramsSchema: listedSchema(tool.inputSchema, 'input', listedInput(tool, selection)) });
    }
    const added = toolsFor(selection).filter((tool) => !registered.has(tool.name));
    added.forEach(register);
    return { alreadyOn: false, added: added.map((tool) => tool.name) };
  };
  const base: ToolContext = selection.surface === 'stdio' ? { ...options.context, enableToolset } : options.context;
  // URL-mode elicitation as a request to the client (elicitUrl) only on a 2025-era connection whose
  // client declared it (2025-11-25); on 2026-07-28 there are no server-to-client requests, so a tool
  // that takes URL input answers askUrl (a multi-round-trip request) when the request's envelope
  // declares it (urlInput); otherwise the tool text carries the URL.
  const contextFor = (ctx: ServerContext): ToolContext => {
    const own = options.requestContext ? { ...base, ...options.requestContext(ctx) } : base;
    if (modern) {
      const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
      const client = envelope?.[CLIENT_INFO_META_KEY] as Implementation | undefined;
      if (client && options.onClient) options.onClient(client);
      // 2026-07-28: the client's capabilities come with each request; URL input is a retried call.
      if (!(envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined)?.elicitation?.url) return own;
      const answer = (key: string) => {
        const view = inputResponse(ctx.mcpReq.inputResponses, key);
        return view.kind === 'elicit' ? view.action : undefined;
      };
      return { ...own, urlInput: { answer } };
    }
    if (!server.server.getClientCapabilities()?.elicitation?.url) return own;
    const elicitUrl = async (message: string, url: string): Promise<boolean> => {
      // Sent as part of this tool call. Some clients declare elicitation but never render it: the
      // request gives up after a minute (the login tool itself waits only a few seconds for it).
      const result = await ctx.mcpReq.elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, { timeout: 60_000 });
      return result.action === 'accept';
    };
    return { ...own, elicitUrl };
  };
  function register(tool: ToolDefinition): void {
    const output = tool.outputSchema;
    const handle = server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: listedSchema(tool.inputSchema, 'input', listedInput(tool, selection)),
        ...(output && tool.outputListed !== false ? { outputSchema: listedSchema(optionalNulls(output), 'output') } : {}),
        // The title is listed once, beside the name; the annotations are the four hints.
        annotations: tool.annotations,
        ...(tool.card ? { _meta: SITE_CARD_META } : {}),
      },
      async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        try {
          const result = await tool.handler(args as never, contextFor(ctx));
          if (result.askUrl) {
            const { key, message, url } = result.askUrl;
            return inputRequired({ inputRequests: { [key]: inputRequired.elicitUrl({ message, url }) } }) as unknown as CallToolResult;
          }
          // The text is the tool's own, with visitor text framed as data (tools/site-text.ts); the
          // raw JSON goes only in structuredContent, never in a text block outside the frame.
          const content: CallToolResult['content'] = [
            { type: 'text', text: result.text },
            ...(result.links ?? []).map((link) => ({ type: 'resource_link' as const, ...link })),
          ];
          if (result.structured === undefined || !output) return { content };
          const structuredContent = stripNulls(output, result.structured) as Record<string, unknown>;
          // The SDK checks results against a listed schema; an unlisted one is checked here.
          if (tool.outputListed === false) optionalNulls(output).parse(structuredContent);
          return { content, structuredContent };
        } catch (e) {
          const error = toAppError(e);
          // No structuredContent on errors: clients would validate it against the output schema.
          return { content: [{ type: 'text', text: error.message }], isError: true };
        }
      },
    );
    registered.set(tool.name, { tool, handle });
  }
  (options.tools ?? toolsFor(selection)).forEach(register);
  registerSiteCard(server, options.cardFrameDomains ?? cardFrameDomains(options.context.config.apiUrl));
  return server;
}
