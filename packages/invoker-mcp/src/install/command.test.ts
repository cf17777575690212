// install/uninstall against temp copies of realistic client config files, one home dir per test.
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { CLIENTS, type ClientId } from './clients.js';
import { install, uninstall, type InstallDeps } from './command.js';

const NODE = '/home/ada/.nvm/versions/node/v24.11.0/bin/node';
const ENTRY = '/home/ada/.npm-global/lib/node_modules/invoker-mcp/bin/invoker-mcp.js';

/** What each client's file tends to look like before we arrive, comments where the format allows. */
const EXISTING: Record<ClientId, string> = {
  'claude-desktop': `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/ada/Desktop"]
    },
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_example" }
    }
  },
  "globalShortcut": "Alt+Space"
}
`,
  'claude-code': `{
  "numStartups": 42,
  "installMethod": "native",
  "autoUpdates": true,
  "projects": {
    "/home/ada/src/app": {
      "allowedTools": [],
      "mcpServers": { "project-only": { "type": "stdio", "command": "node", "args": ["server.js"] } }
    }
  },
  "mcpServers": {
    "sentry": { "type": "http", "url": "https://mcp.sentry.dev/mcp" }
  },
  "userID": "0123abcd"
}
`,
  cursor: `// Cursor MCP servers
{
  "mcpServers": {
    "context7": { "url": "https://mcp.context7.com/mcp" }, // docs lookup
  },
}
`,
  vscode: `{
\t// Added by hand
\t"servers": {
\t\t"github": {
\t\t\t"type": "http",
\t\t\t"url": "https://api.githubcopilot.com/mcp/"
\t\t},
\t},
\t"inputs": [
\t\t{ "type": "promptString", "id": "token", "description": "Token", "password": true }
\t]
}
`,
  windsurf: `{
  "mcpServers": {
    "puppeteer": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-puppeteer"], "disabled": false }
  }
}
`,
};

let home: string;
let out: string;
let err: string;

function deps(env: Record<string, string> = {}): InstallDeps {
  return {
    env,
    platform: 'linux',
    homedir: home,
    execPath: NODE,
    entryPath: ENTRY,
    now: () => new Date('2026-11-24T10:00:00.000Z'),
    out: (t) => (out += t),
    err: (t) => (err += t),
  };
}

function pathOf(client: ClientId): string {
  return CLIENTS[client].configPath({ platform: 'linux', homedir: home, appData: undefined });
}

async function seed(client: ClientId, text: string): Promise<string> {
  const path = pathOf(client);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function backups(path: string): Promise<string[]> {
  return (await readdir(dirname(path))).filter((f) => f.endsWith('.bak')).map((f) => join(dirname(path), f));
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected the command to fail');
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'invoker-install-'));
  out = '';
  err = '';
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe.each(Object.keys(EXISTING) as ClientId[])('install --client %s on an existing config', (client) => {
  it('adds invoker with absolute paths, keeps the other entries, backs up first, and is idempotent', async () => {
    const original = EXISTING[client];
    const path = await seed(client, original);
    expect(await install(['--client', client, '--api-url', 'http://localhost:8787/'], deps())).toBe(0);

    const written = await readFile(path, 'utf8');
    const doc = parse(written) as Record<string, Record<string, unknown>>;
    const before = parse(original) as Record<string, Record<string, unknown>>;
    const rootKey = CLIENTS[client].rootKey;
    const expectedEntry = {
      ...(client === 'vscode' || client === 'claude-code' ? { type: 'stdio' } : {}),
      command: NODE,
      args: [ENTRY],
      env: { INVOKER_API_URL: 'http://localhost:8787' },
    };
    expect(doc[rootKey]).toEqual({ ...before[rootKey], invoker: expectedEntry });
    for (const key of Object.keys(before)) {
      if (key !== rootKey) expect(doc[key]).toEqual(before[key]);
    }
    const [backup, ...more] = await backups(path);
    expect(more).toEqual([]);
    expect(await readFile(backup as string, 'utf8')).toBe(original);
    expect(out).toContain(path);
    expect(out).toContain(backup);

    out = '';
    expect(await install(['--client', client, '--api-url', 'http://localhost:8787'], deps())).toBe(0);
    expect(out).toContain('nothing changed');
    expect(await readFile(path, 'utf8')).toBe(written);
    expect(await backups(path)).toHaveLength(1);

    expect(await uninstall(['--client', client], deps())).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('refuses a malformed file with a clear message and leaves it untouched', async () => {
    const broken = EXISTING[client].replace(/\}\s*$/, '');
    const path = await seed(client, broken);
    const failure = await rejection(install(['--client', client], deps()));
    expect(failure.code).toBe('config');
    expect(failure.message).toContain(path);
    expect(failure.message).toContain('left untouched');
    expect(await readFile(path, 'utf8')).toBe(broken);
    expect(await backups(path)).toEqual([]);
    expect((await rejection(uninstall(['--client', client], deps()))).code).toBe('config');
    expect(await readFile(path, 'utf8')).toBe(broken);
  });
});

describe('install', () => {
  it('creates a missing config file and its folders, readable only by the user', async () => {
    expect(await install(['--client', 'claude-desktop'], deps())).toBe(0);
    const path = join(home, '.config', 'Claude', 'claude_desktop_config.json');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ mcpServers: { invoker: { command: NODE, args: [ENTRY] } } });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await backups(path)).toEqual([]);
  });

  it('follows a symlinked config (dotfile managers): the link stays, its target gets the entry', async () => {
    const target = join(home, 'dotfiles', 'mcp.json');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, EXISTING.cursor);
    await mkdir(dirname(pathOf('cursor')), { recursive: true });
    await symlink(target, pathOf('cursor'));
    expect(await install(['--client', 'cursor'], deps())).toBe(0);
    expect((await lstat(pathOf('cursor'))).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toContain('"invoker"');
  });

  it('says so when it replaces an older invoker entry', async () => {
    await seed('claude-desktop', '{"mcpServers": {"invoker": {"command": "npx", "args": ["-y", "invoker-mcp"]}}}');
    expect(await install(['--client', 'claude-desktop'], deps())).toBe(0);
    expect(out).toContain('Replaced the existing "invoker" entry');
  });

  it('refuses comments in a client that reads strict JSON', async () => {
    const path = await seed('windsurf', '{\n  // mine\n  "mcpServers": {}\n}\n');
    expect((await rejection(install(['--client', 'windsurf'], deps()))).message).toContain('no comments');
    expect(await readFile(path, 'utf8')).toBe('{\n  // mine\n  "mcpServers": {}\n}\n');
  });

  it('--print shows the snippet on stdout and writes nothing', async () => {
    expect(await install(['--client', 'vscode', '--print'], deps({ INVOKER_API_KEY: 'inv_secret' }))).toBe(0);
    expect(JSON.parse(out)).toEqual({ servers: { invoker: { type: 'stdio', command: NODE, args: [ENTRY] } } });
    expect(err).toContain(pathOf('vscode'));
    await expect(stat(pathOf('vscode'))).rejects.toThrow();
  });

  it('never writes the API key unless --api-key-env is given', async () => {
    const key = 'inv_0123456789abcdefghijABCDEFGHIJ012345';
    await install(['--client', 'cursor'], deps({ INVOKER_API_KEY: key }));
    expect(await readFile(pathOf('cursor'), 'utf8')).not.toContain(key);
    expect(err).toContain('--api-key-env');

    await install(['--client', 'cursor', '--api-key-env'], deps({ INVOKER_API_KEY: key }));
    expect((parse(await readFile(pathOf('cursor'), 'utf8')) as { mcpServers: { invoker: { env: unknown } } }).mcpServers.invoker.env).toEqual({
      INVOKER_API_KEY: key,
    });
  });

  it('--api-key-env without INVOKER_API_KEY in the environment says how to set it', async () => {
    const failure = await rejection(install(['--client', 'cursor', '--api-key-env'], deps()));
    expect(failure.code).toBe('invalid_input');
    expect(failure.message).toContain('INVOKER_API_KEY=inv_');
  });

  it('the key is never taken from argv', async () => {
    const failure = await rejection(install(['--client', 'cursor', '--api-key', 'inv_x'], deps()));
    expect(failure.code).toBe('invalid_input');
    await expect(stat(pathOf('cursor'))).rejects.toThrow();
  });

  it('names the clients when --client is missing or unknown, and checks --api-url', async () => {
    expect((await rejection(install([], deps()))).message).toContain('claude-desktop, claude-code, cursor, vscode, windsurf');
    expect((await rejection(install(['--client', 'zed'], deps()))).message).toContain('Unknown client "zed"');
    expect((await rejection(install(['--client', 'cursor', '--api-url', 'localhost:8787'], deps()))).message).toContain('http');
  });

  it('warns when the package runs from npx\'s cache, whose path may not last', async () => {
    const fromNpx = { ...deps(), entryPath: `${home}/.npm/_npx/1a2b3c/node_modules/invoker-mcp/bin/invoker-mcp.js` };
    expect(await install(['--client', 'cursor'], fromNpx)).toBe(0);
    expect(err).toContain('npm install -g invoker-mcp');
  });
});

describe('--help', () => {
  it('prints the usage with every client on stdout and changes nothing', async () => {
    expect(await install(['--help'], deps())).toBe(0);
    expect(await uninstall(['-h'], deps())).toBe(0);
    expect(out).toContain('invoker-mcp install --client CLIENT');
    expect(out).toContain('claude-desktop, claude-code, cursor, vscode, windsurf');
    expect(await readdir(home)).toEqual([]);
  });
});

describe('uninstall', () => {
  it('is a no-op when the file or the entry is missing', async () => {
    expect(await uninstall(['--client', 'cursor'], deps())).toBe(0);
    expect(out).toContain('nothing changed');
    const path = await seed('windsurf', EXISTING.windsurf);
    expect(await uninstall(['--client', 'windsurf'], deps())).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(EXISTING.windsurf);
    expect(await backups(path)).toEqual([]);
  });
});
