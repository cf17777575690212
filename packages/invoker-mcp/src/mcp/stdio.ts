// The MCP server on stdio. stdout is the JSON-RPC channel: every log line goes to stderr, and the
// process exits when the client closes stdin or sends SIGINT/SIGTERM.
//
// Clients race to start their servers, so this front answers the opening messages from the
// manifest written at build time (manifest.ts), without loading the SDK, zod or any tool: on a
// 2025-era connection `initialize`, `tools/list` and `ping`; on a 2026-07-28 one `server/discover`
// and `tools/list`. The first other message loads the full server (full-server.ts), replays into it
// what decided the connection's era (its answers to those are dropped) and from then on forwards
// everything. Whatever the front cannot vouch for (era.ts) goes to the full server.
import { readFileSync } from 'node:fs';
import type { Env } from '../config.js';
import { eraOf, isPlainInitialize, type RpcMessage } from './era.js';
import type { Manifest } from './manifest.js';
import { isListed, listsOrg, selectionFromEnv } from './toolsets.js';

type Id = string | number;
type Message = RpcMessage & { id?: Id; method?: string };

/** Where the connection stands, as serveStdio will see it once the replay reaches it. */
type Phase = 'opening' | 'probe' | 'legacy' | 'modern';

/** A replayed request the full server does not answer within this is given up on (never expected). */
const REPLAY_ANSWER_MS = 10_000;

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
  // The full server reports a bad INVOKER_TOOLSETS; it owns tools/list from its first message on
  // (after enable_toolset too).
  const selection = selectionFromEnv(env, () => {});
  const selected = new Set(manifest?.tools.filter((t) => isListed(t, selection)).map((t) => t.name));
  const listed = (result: Record<string, unknown>) => ({ ...result, tools: (result.tools as Array<{ name: string }>).filter((t) => selected.has(t.name)) });

  let phase: Phase = 'opening';
  let initialized = false;
  const replay: Message[] = [];
  let full: Promise<{ deliver(message: unknown): void; close(): Promise<void> }> | undefined;

  const startFull = () =>
    (full ??= (async () => {
      const [{ startFullServer }, { ForwardingTransport }] = await Promise.all([import('./full-server.js'), import('./forwarding-transport.js')]);
      const replayed = new Map<Id, () => void>();
      const transport = new ForwardingTransport((message) => {
        // The front already answered the replayed messages; the client must not see them twice.
        const { id, method } = message as Message;
        const done = id !== undefined && method === undefined ? replayed.get(id) : undefined;
        if (done) {
          replayed.delete(id as Id);
          done();
          return;
        }
        write(message);
      });
      const close = startFullServer(env, version, transport);
      // In order, and each request answered before the next message, as a client would: the
      // server must know the era and the client (its name, its capabilities) before anything else.
      for (const message of replay) {
        const id = message.id;
        if (id === undefined) {
          transport.deliver(message);
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, REPLAY_ANSWER_MS);
          replayed.set(id, () => {
            clearTimeout(timer);
            resolve();
          });
          transport.deliver(message);
        });
      }
      return { deliver: (message: unknown) => transport.deliver(message), close };
    })());

  /** Answers `message` from the manifest when it can, and says whether it did. */
  const answer = (m: Manifest, message: Message): boolean => {
    const era = eraOf(message);
    const lists = listsOrg(selection) ? m.withOrg : m.withoutOrg;
    const reply = (result: unknown) => write({ jsonrpc: '2.0', id: message.id, result });
    const enter = (next: Phase) => {
      if (next !== phase) replay.push(message);
      phase = next;
    };
    if (message.method === 'initialize') {
      // One handshake per connection; a second one, or one on a 2026-07-28 connection, is the server's to refuse.
      if (initialized || phase === 'modern' || !isPlainInitialize(message)) return false;
      const requested = (message.params as { protocolVersion: string }).protocolVersion;
      initialized = true;
      replay.push(message);
      phase = 'legacy';
      reply({ protocolVersion: m.legacyVersions.includes(requested) ? requested : m.fallbackVersion, ...m.initialize });
      return true;
    }
    if (era === 'legacy' && phase !== 'modern') {
      switch (message.method) {
        case 'notifications/initialized':
          if (message.id !== undefined) return false;
          replay.push(message);
          phase = 'legacy';
          return true;
        case 'tools/list':
          if (message.id === undefined) return false;
          enter('legacy');
          reply(listed(lists.legacy));
          return true;
        case 'ping':
          if (message.id === undefined) return false;
          enter('legacy');
          reply({});
          return true;
      }
      return false;
    }
    if (era === 'modern' && phase !== 'legacy' && message.id !== undefined) {
      switch (message.method) {
        case 'server/discover':
          if (phase === 'opening') enter('probe');
          reply(m.discover);
          return true;
        case 'tools/list':
          enter('modern');
          reply(listed(lists.modern));
          return true;
      }
    }
    return false;
  };

  const handle = async (message: Message): Promise<void> => {
    if (full || !manifest || !answer(manifest, message)) (await startFull()).deliver(message);
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
