// Tools are data: each tools/<name>.ts exports one ToolDefinition and never imports the MCP
// server, so a test can call its handler directly. server.ts holds the single registration loop.
import type { z } from 'zod';
import type { InvokerApi } from '../contract/invoker-api.js';
import type { AnonymousSite, DeployRequest, SiteFile } from '../contract/sites.js';
import type { ClientConfig } from '../config.js';
import type { ResolvedKey } from '../auth/resolve-key.js';
import type { LoginFlow } from '../auth/login-flow.js';

import type { Toolset } from './toolsets.js';

export { TOOLSETS, type Toolset } from './toolsets.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool handler may use; everything with a side effect arrives through here. */
export interface ToolContext {
  config: ClientConfig;
  /**
   * Invoker for the caller: over HTTP with the resolved key (stdio), or the platform's services in
   * process (remote /mcp). Throws the "not logged in" error when there is no key.
   */
  api(): Promise<InvokerApi>;
  /** The key in use and its source, or null when there is none. */
  currentKey(): Promise<ResolvedKey | null>;
  /**
   * A deploy without a key (stdio; SPEC section 14): the site, and the file its claim token is kept
   * in until the next login claims it (null when it could not be written). Null when the server takes
   * no anonymous deploys.
   */
  deployAnonymously?: (body: DeployRequest) => Promise<{ site: AnonymousSite; keptIn: string | null } | null>;
  /** The process's one browser-login flow, shared by `login` and the not-logged-in path of api(). */
  login?: LoginFlow;
  /**
   * Shows a URL to the person through the client (URL-mode elicitation); present only when the
   * client declared that capability. Resolves true when the person accepted.
   */
  elicitUrl?: (message: string, url: string) => Promise<boolean>;
  /**
   * URL-mode elicitation as a 2026-07-28 multi-round-trip request: present when the request's
   * client declared URL elicitation. A tool answers `askUrl`; the client shows the URL to the
   * person and calls the tool again, when `answer(key)` is what the person said.
   */
  urlInput?: { answer(key: string): 'accept' | 'decline' | 'cancel' | undefined };
  /**
   * Turns a toolset on for the rest of the process (stdio): registers its tools, which notifies
   * the client (notifications/tools/list_changed). Resolves to the tools it added.
   */
  enableToolset?: (toolset: Toolset) => Promise<{ alreadyOn: boolean; added: string[] }>;
  /**
   * Set on the platform's remote /mcp endpoint, which has no user's disk: what stdio writes to a
   * local file is answered inline there, or refused with a link to this dashboard.
   */
  remote?: {
    dashboardUrl: string;
    /** A short-lived signed URL that downloads a site's submissions as CSV (no key needed). */
    exportLink?: (deploymentId: string, org?: string) => Promise<{ url: string; expiresAt: string }>;
  };
  /**
   * Reads an .html file or a site folder on the user's machine into a deploy body (the CLI's rules:
   * client/read-site.ts). Only on stdio; the remote endpoint has no disk of the user's to read.
   */
  readLocalSite?: (path: string) => Promise<LocalSite>;
}

/** A deploy body's content read from disk. */
export interface LocalSite {
  html?: string;
  files?: SiteFile[];
  bytes: number;
}

/** A `resource_link` content item: a URL or file the result points at (SPEC section 12). */
export interface ResultLink {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
}

export interface ToolResult<O> {
  /** Short text for the model; names URLs in full so a person can click them. */
  text: string;
  structured?: O;
  /** Listed after the text as resource_link items. */
  links?: ResultLink[];
  /** Instead of a result: ask the person to open `url` (ctx.urlInput), then the call comes again. */
  askUrl?: { key: string; message: string; url: string };
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** null only for the server's own enable_toolset (toolsets.ts). */
  toolset: Toolset | null;
  /** Only on the user's machine (login, logout): the remote endpoint never lists it. */
  stdioOnly?: boolean;
  /**
   * Fields listed shorter than they are checked (update's `files`: deploy lists them in full). The
   * call is still validated against inputSchema.
   */
  listedAs?: Record<string, z.ZodType>;
  /** Inputs only the stdio server takes (deploy's `path`): the remote endpoint does not list them. */
  localInputs?: readonly string[];
  /** Shows the site card (site-card.ts) in hosts with MCP Apps. */
  card?: boolean;
  description: string;
  inputSchema: I;
  outputSchema?: O;
  /**
   * false: tools/list does not show outputSchema (the site shape, listed once by list_deploys, is
   * not listed again; a result whose text says it all), to keep tools/list within its budget;
   * results are still checked against it before they are sent, and still carry structuredContent.
   */
  outputListed?: false;
  annotations: ToolAnnotations;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<ToolResult<z.infer<O>>>;
}

/** Identity function that keeps the handler's argument types tied to its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}
