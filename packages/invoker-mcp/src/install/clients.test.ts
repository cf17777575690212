import { describe, expect, it } from 'vitest';
import { CLIENTS, CLIENT_IDS, type PathContext } from './clients.js';

const mac: PathContext = { platform: 'darwin', homedir: '/Users/ada', appData: undefined };
const linux: PathContext = { platform: 'linux', homedir: '/home/ada', appData: undefined };
const windows: PathContext = { platform: 'win32', homedir: 'C:\\Users\\Ada', appData: 'C:\\Users\\Ada\\AppData\\Roaming' };

describe('config file locations', () => {
  it.each([
    ['claude-desktop', mac, '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json'],
    ['claude-desktop', windows, 'C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json'],
    ['claude-desktop', linux, '/home/ada/.config/Claude/claude_desktop_config.json'],
    ['claude-code', mac, '/Users/ada/.claude.json'],
    ['claude-code', windows, 'C:\\Users\\Ada\\.claude.json'],
    ['claude-code', linux, '/home/ada/.claude.json'],
    ['cursor', mac, '/Users/ada/.cursor/mcp.json'],
    ['cursor', windows, 'C:\\Users\\Ada\\.cursor\\mcp.json'],
    ['vscode', mac, '/Users/ada/Library/Application Support/Code/User/mcp.json'],
    ['vscode', windows, 'C:\\Users\\Ada\\AppData\\Roaming\\Code\\User\\mcp.json'],
    ['vscode', linux, '/home/ada/.config/Code/User/mcp.json'],
    ['windsurf', mac, '/Users/ada/.codeium/windsurf/mcp_config.json'],
    ['windsurf', windows, 'C:\\Users\\Ada\\.codeium\\windsurf\\mcp_config.json'],
  ] as const)('%s on %s', (client, ctx, expected) => {
    expect(CLIENTS[client].configPath(ctx)).toBe(expected);
  });

  it('falls back to the default %APPDATA% when the variable is missing', () => {
    expect(CLIENTS['claude-desktop'].configPath({ ...windows, appData: undefined })).toBe(
      'C:\\Users\\Ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
  });
});

describe('entries', () => {
  const spec = { command: '/opt/node/bin/node', args: ['/opt/lib/invoker-mcp/bin/invoker-mcp.js'], env: { INVOKER_API_URL: 'http://localhost:8787' } };

  it('uses the key and entry shape each client reads', () => {
    expect(CLIENT_IDS.map((id) => [id, CLIENTS[id].rootKey])).toEqual([
      ['claude-desktop', 'mcpServers'],
      ['claude-code', 'mcpServers'],
      ['cursor', 'mcpServers'],
      ['vscode', 'servers'],
      ['windsurf', 'mcpServers'],
    ]);
    expect(CLIENTS['claude-desktop'].entry(spec)).toEqual({ command: spec.command, args: spec.args, env: spec.env });
    expect(CLIENTS['claude-code'].entry(spec)).toEqual({ type: 'stdio', command: spec.command, args: spec.args, env: spec.env });
    expect(CLIENTS.vscode.entry(spec)).toEqual({ type: 'stdio', command: spec.command, args: spec.args, env: spec.env });
  });

  it('leaves env out when there is nothing to set', () => {
    expect(CLIENTS.cursor.entry({ ...spec, env: {} })).toEqual({ command: spec.command, args: spec.args });
  });
});
