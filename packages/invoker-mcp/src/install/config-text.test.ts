import { describe, expect, it } from 'vitest';
import { parse } from 'jsonc-parser';
import { isAppError } from '../errors.js';
import { parseConfigText, removeEntry, setEntry, type FileFormat } from './config-text.js';

const strict: FileFormat = { path: '/home/ada/.config/Claude/claude_desktop_config.json', rootKey: 'mcpServers', jsonc: false };
const jsonc: FileFormat = { path: '/home/ada/.config/Code/User/mcp.json', rootKey: 'servers', jsonc: true };
const entry = { command: '/opt/node/bin/node', args: ['/opt/invoker-mcp/bin/invoker-mcp.js'] };

function changedText(result: ReturnType<typeof setEntry>): string {
  if (!result.changed) throw new Error(`expected a change, got ${result.reason}`);
  return result.text;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isAppError(e) && e.code === 'config') return e.message;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('setEntry', () => {
  it('creates the whole document for an empty or new file', () => {
    const text = changedText(setEntry('', strict, 'invoker', entry));
    expect(JSON.parse(text)).toEqual({ mcpServers: { invoker: entry } });
  });

  it('adds the entry beside other servers and keeps their text byte for byte', () => {
    const before = '{\n    "mcpServers": {\n        "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] }\n    },\n    "globalShortcut": "Alt+Space"\n}\n';
    const after = changedText(setEntry(before, strict, 'invoker', entry));
    expect(after).toContain('"filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"] },\n        "invoker": {\n            "command"');
    expect(JSON.parse(after)).toEqual({
      mcpServers: { filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] }, invoker: entry },
      globalShortcut: 'Alt+Space',
    });
  });

  it('adds the server map when the file has other settings but no servers', () => {
    const after = changedText(setEntry('{\n  "numStartups": 12,\n  "theme": "dark"\n}\n', strict, 'invoker', entry));
    expect(JSON.parse(after)).toEqual({ numStartups: 12, theme: 'dark', mcpServers: { invoker: entry } });
    expect(after.startsWith('{\n  "numStartups": 12,\n  "theme": "dark",\n  "mcpServers": {\n    "invoker": {')).toBe(true);
  });

  it('fills an empty server map', () => {
    expect(JSON.parse(changedText(setEntry('{ "servers": {} }', jsonc, 'invoker', entry)))).toEqual({ servers: { invoker: entry } });
  });

  it('keeps comments and trailing commas in JSONC files', () => {
    const before = '// User MCP servers\n{\n\t"servers": {\n\t\t// GitHub\n\t\t"github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },\n\t},\n\t"inputs": [],\n}\n';
    const after = changedText(setEntry(before, jsonc, 'invoker', { type: 'stdio', ...entry }));
    expect(after).toContain('// User MCP servers');
    expect(after).toContain('\t\t// GitHub\n\t\t"github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },\n\t\t"invoker": {\n\t\t\t"type": "stdio"');
    expect(parse(after)).toEqual({
      servers: { github: { type: 'http', url: 'https://api.githubcopilot.com/mcp/' }, invoker: { type: 'stdio', ...entry } },
      inputs: [],
    });
  });

  it('replaces an older invoker entry and leaves the rest alone', () => {
    const before = '{\n  "mcpServers": {\n    "invoker": { "command": "npx", "args": ["-y", "invoker-mcp"] },\n    "other": { "command": "uvx", "args": ["other"] }\n  }\n}\n';
    const after = changedText(setEntry(before, strict, 'invoker', entry));
    expect(JSON.parse(after)).toEqual({ mcpServers: { invoker: entry, other: { command: 'uvx', args: ['other'] } } });
    expect(after).toContain('\n    "other": { "command": "uvx", "args": ["other"] }\n');
  });

  it('reports no change when the same entry is already there (idempotent)', () => {
    const once = changedText(setEntry('{}', strict, 'invoker', entry));
    expect(setEntry(once, strict, 'invoker', entry)).toEqual({ changed: false, reason: 'unchanged' });
  });

  it('says whether it replaced an entry of the same name', () => {
    expect(setEntry('{"mcpServers": {}}', strict, 'invoker', entry)).toMatchObject({ changed: true, replaced: false });
    expect(setEntry('{"mcpServers": {"invoker": {"command": "npx"}}}', strict, 'invoker', entry)).toMatchObject({ changed: true, replaced: true });
  });

  it('keeps a UTF-8 byte order mark that a Windows editor saved', () => {
    const after = changedText(setEntry('\uFEFF{\r\n  "mcpServers": {}\r\n}\r\n', strict, 'invoker', entry));
    expect(after.startsWith('\uFEFF{')).toBe(true);
    expect(JSON.parse(after.slice(1)).mcpServers.invoker).toEqual(entry);
    const removed = removeEntry(after, strict, 'invoker');
    expect(removed.changed && removed.text.startsWith('\uFEFF{')).toBe(true);
  });

  it('keeps Windows line endings', () => {
    const after = changedText(setEntry('{\r\n  "mcpServers": {\r\n    "a": {"command": "a"}\r\n  }\r\n}\r\n', strict, 'invoker', entry));
    expect(after.replaceAll('\r\n', '')).not.toContain('\n');
    expect(JSON.parse(after).mcpServers.invoker).toEqual(entry);
  });
});

describe('removeEntry', () => {
  it('undoes setEntry exactly', () => {
    const before = '{\n  // mine\n  "servers": {\n    "github": { "type": "http", "url": "https://example.com/mcp" },\n  },\n}\n';
    const added = changedText(setEntry(before, jsonc, 'invoker', entry));
    expect(removeEntry(added, jsonc, 'invoker')).toEqual({ changed: true, replaced: true, text: before });
  });

  it('removes the entry from the middle of the map', () => {
    const before = '{"mcpServers": {"a": {"command": "a"}, "invoker": {"command": "x"}, "b": {"command": "b"}}, "x": 1}';
    const result = removeEntry(before, strict, 'invoker');
    expect(result.changed && JSON.parse(result.text)).toEqual({ mcpServers: { a: { command: 'a' }, b: { command: 'b' } }, x: 1 });
  });

  it('reports absent when there is nothing to remove', () => {
    expect(removeEntry('{"mcpServers": {"a": {"command": "a"}}}', strict, 'invoker')).toEqual({ changed: false, reason: 'absent' });
    expect(removeEntry('{"other": true}', strict, 'invoker')).toEqual({ changed: false, reason: 'absent' });
  });
});

describe('malformed files are refused with a message that names the file, the spot and the fix', () => {
  it('a syntax error', () => {
    const message = configError(() => setEntry('{\n  "mcpServers": {\n    "a": { "command": "a" }\n  \n', strict, 'invoker', entry));
    expect(message).toContain(strict.path);
    expect(message).toMatch(/line \d+, column \d+/);
    expect(message).toContain('left untouched');
  });

  it('comments in a client that reads strict JSON', () => {
    const message = configError(() => parseConfigText('{\n  // note\n  "mcpServers": {}\n}', strict));
    expect(message).toContain('line 2, column 3');
    expect(message).toContain('no comments');
  });

  it('a top level that is not an object, or a server map that is not one', () => {
    expect(configError(() => parseConfigText('[1, 2]', strict))).toContain('JSON object');
    expect(configError(() => parseConfigText('{"mcpServers": []}', strict))).toContain('"mcpServers"');
    expect(configError(() => removeEntry('{"servers": "x"}', jsonc, 'invoker'))).toContain('"servers"');
  });
});
