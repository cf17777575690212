// Where each MCP client keeps its user-level server list, and what an entry looks like there.
// Pure: the caller passes the platform, the home directory and %APPDATA% in. Sources are listed
// per client in docs/CLIENTS.md.
import { posix, win32 } from 'node:path';

export const CLIENT_IDS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export interface PathContext {
  platform: NodeJS.Platform;
  homedir: string;
  /** %APPDATA% on Windows; when unset, `<home>\AppData\Roaming` as Windows itself defaults it. */
  appData: string | undefined;
}

/** The part of an entry that does not depend on the client. */
export interface ServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface ClientInfo {
  id: ClientId;
  displayName: string;
  /** The top-level key that maps server names to entries. */
  rootKey: 'mcpServers' | 'servers';
  /** Whether the client reads the file as JSON with comments (JSONC). Strict files refuse comments. */
  jsonc: boolean;
  configPath(ctx: PathContext): string;
  entry(spec: ServerSpec): Record<string, unknown>;
}

function pathApi(ctx: PathContext) {
  return ctx.platform === 'win32' ? win32 : posix;
}

function appData(ctx: PathContext): string {
  return ctx.appData || win32.join(ctx.homedir, 'AppData', 'Roaming');
}

/** The per-user application data folder of an Electron app named `name` (Claude, Code). */
function electronUserDir(ctx: PathContext, name: string): string {
  switch (ctx.platform) {
    case 'darwin':
      return posix.join(ctx.homedir, 'Library', 'Application Support', name);
    case 'win32':
      return win32.join(appData(ctx), name);
    default:
      return posix.join(ctx.homedir, '.config', name);
  }
}

function plainEntry(spec: ServerSpec): Record<string, unknown> {
  const entry: Record<string, unknown> = { command: spec.command, args: spec.args };
  if (Object.keys(spec.env).length > 0) entry.env = spec.env;
  return entry;
}

function stdioEntry(spec: ServerSpec): Record<string, unknown> {
  return { type: 'stdio', ...plainEntry(spec) };
}

export const CLIENTS: Record<ClientId, ClientInfo> = {
  'claude-desktop': {
    id: 'claude-desktop',
    displayName: 'Claude Desktop',
    rootKey: 'mcpServers',
    jsonc: false,
    configPath: (ctx) => pathApi(ctx).join(electronUserDir(ctx, 'Claude'), 'claude_desktop_config.json'),
    entry: plainEntry,
  },
  'claude-code': {
    id: 'claude-code',
    displayName: 'Claude Code',
    rootKey: 'mcpServers',
    jsonc: false,
    // User scope: the top-level `mcpServers` of ~/.claude.json (what `claude mcp add --scope user` writes).
    configPath: (ctx) => pathApi(ctx).join(ctx.homedir, '.claude.json'),
    entry: stdioEntry,
  },
  cursor: {
    id: 'cursor',
    displayName: 'Cursor',
    rootKey: 'mcpServers',
    jsonc: true,
    configPath: (ctx) => pathApi(ctx).join(ctx.homedir, '.cursor', 'mcp.json'),
    entry: plainEntry,
  },
  vscode: {
    id: 'vscode',
    displayName: 'VS Code',
    rootKey: 'servers',
    jsonc: true,
    configPath: (ctx) => pathApi(ctx).join(electronUserDir(ctx, 'Code'), 'User', 'mcp.json'),
    entry: stdioEntry,
  },
  windsurf: {
    id: 'windsurf',
    displayName: 'Windsurf',
    rootKey: 'mcpServers',
    jsonc: false,
    configPath: (ctx) => pathApi(ctx).join(ctx.homedir, '.codeium', 'windsurf', 'mcp_config.json'),
    entry: plainEntry,
  },
};

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}
