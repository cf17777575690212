// The MCP server on stdio. stdout is the JSON-RPC channel: every log line goes to stderr, and the
// process exits when the client closes stdin or sends SIGINT/SIGTERM.
//
// Clients race to start their servers, so this front answers `initialize`, `tools/list` and `ping`
// from the manifest written at build time (manifest.ts), without loading the SDK, zod or any tool.
// The first other message loads the full server (full-server.ts), replays the handshake into it (its
// answers to what the front already answered are dropped) and from then on forwards everything.
import { readFileSync } from 'node:fs';
import type { Env } from '../config.js';
import type { Manifest } from './manifest.js';
import { isToolSelected, toolFilterFromEnv } from './tool-filter.js';

type Id = string | number;
interface Message {
  jsonrpc: '2.0';
  id?: Id;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

/** What the full server's transport looks like from here: messages in, and a sink for its output. */
interface Forwarder {
  deliver(message: Message): void;
}

function loadManifest(): Manifest | null {
  try {
    return JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as Manifest;
  } catch {
    // A build without the manifest step still works: everything goes to the full server.
    return null;
  }
}

function write(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Serves until the client goes away; resolves once the server is closed. */
export async function runStdioServer(env: Env, version: string): Promise<void> {
  // A dependency that prints with console.log must not corrupt the protocol stream.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  const manifest = loadManifest();
  const warn = (message: string) => process.stderr.write(`invoker-mcp: ${message}\n`);
  const filter = toolFilterFromEnv(env, () => {});
  const tools = manifest?.tools.filter((t) => isToolSelected({ name: t.definition.name as string, toolset: t.toolset, readOnly: t.readOnly }, filter));

  const handshake: Message[] = [];
  const answered = new Set<Id>();
  let full: Promise<{ forward: Forwarder; close: () => Promise<void> }> | undefined;

  const startFull = () =>
    (full ??= (async () => {
      const [{ startFullServer }, { ForwardingTransport }] = await Promise.all([import('./full-server.js'), import('./forwarding-transport.js')]);
      const replayed = new Map<Id, () => void>();
      const transport = new ForwardingTransport((message) => {
        // The front already answered the replayed handshake; the client must not see it twice.
        const id = (message as Message).id;
        if (id !== undefined && (message as Message).method === undefined && answered.delete(id)) {
          replayed.get(id)?.();
          return;
        }
        write(message);
      });
      const close = await startFullServer(env, version, transport);
      // In order, and each request answered before the next message, as a client would: the
      // server must know the client (its name, its capabilities) before anything else arrives.
      for (const message of handshake) {
        const id = message.id;
        if (id === undefined) {
          transport.deliver(message);
          continue;
        }
        await new Promise<void>((resolve) => {
          replayed.set(id, resolve);
          transport.deliver(message);
        });
      }
      return { forward: transport, close };
    })());

  const handle = async (message: Message): Promise<void> => {
    if (full || !manifest || !tools) {
      (await startFull()).forward.deliver(message);
      return;
    }
    switch (message.method) {
      case 'initialize': {
        const requested = String(message.params?.protocolVersion ?? '');
        handshake.push(message);
        if (message.id !== undefined) answered.add(message.id);
        write({
          jsonrpc: '2.0',
          id: message.id,
          result: {
            protocolVersion: manifest.supportedProtocolVersions.includes(requested) ? requested : manifest.latestProtocolVersion,
            capabilities: manifest.capabilities,
            serverInfo: manifest.serverInfo,
            ...(manifest.instructions ? { instructions: manifest.instructions } : {}),
          },
        });
        return;
      }
      case 'notifications/initialized':
        handshake.push(message);
        return;
      case 'tools/list':
        write({ jsonrpc: '2.0', id: message.id, result: { tools: tools.map((t) => t.definition) } });
        return;
      case 'ping':
        write({ jsonrpc: '2.0', id: message.id, result: {} });
        return;
      default:
        (await startFull()).forward.deliver(message);
    }
  };

  // Messages are handled one at a time, in order, even while the full server is loading.
  let queue = Promise.resolve();
  let buffer = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      let message: Message;
      try {
        message = JSON.parse(line) as Message;
      } catch {
        warn('ignored a line on stdin that is not JSON-RPC');
        continue;
      }
      queue = queue.then(() => handle(message)).catch((e: Error) => {
        warn(`could not handle a message: ${e.message}`);
      });
    }
  });

  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await queue;
  if (full) await (await full).close();
}
