// The MCP servers behind /mcp, reused. Building one (every tool registered, its schemas wrapped and
// checked by the SDK) cost more than answering most requests, and a server holds nothing of its
// caller: the principal rides on each request's authInfo (createMcpServer's requestContext). So
// idle servers wait per (era, granted scopes) and a request takes one, which returns when its
// exchange closes. Nothing that would stay on a server from one request to the next is served by a
// reused one: a 2025-era `initialize` (it records the client's identity and capabilities on the
// instance) gets a fresh server used once; a 2026-07-28 request seeds the client from its own
// envelope, which is what the tools read in that era. Still stateless: any instance answers any
// request, and an idle server is only a cache.
//
// The answer to a plain 2025-era `tools/list` depends only on the protocol version and the scopes,
// so the SDK's own answer is recorded once per pair and later ones are that answer with their id.
import { SUPPORTED_PROTOCOL_VERSIONS, type AuthInfo, type JSONRPCMessage, type JSONRPCRequest, type McpServer, type MessageExtraInfo, type Transport } from '@modelcontextprotocol/server';
import type { Era } from 'invoker-mcp/mcp/server.js';
import { remoteSelection, type Scope, type Selection } from 'invoker-mcp/mcp/toolsets.js';

/** Idle servers kept per (era, scopes): about what two cores keep busy at once. */
const IDLE_PER_KEY = 16;

export interface RemoteServers {
  /** An idle server for this era and these scopes (or a new one); back in the pool when its exchange closes. */
  checkout(era: Era, scopes: readonly Scope[]): McpServer;
  /** A server for one exchange only, never reused. */
  once(era: Era, scopes: readonly Scope[]): McpServer;
  /**
   * Answers one plain 2025-era request (plainLegacyRequest) on a server that stays connected to its
   * own exchange transport between requests, so nothing is connected, torn down or re-validated
   * per request; one exchange at a time per server.
   */
  exchange(scopes: readonly Scope[], message: JSONRPCRequest, extra: { authInfo: AuthInfo; request: Request }): Promise<JSONRPCMessage>;
}

/**
 * A transport that stays connected to one reused 2025-era server and carries one exchange at a
 * time: the request goes in through onmessage, the answer with its id comes back through send.
 * Anything else the server sends before it (a notification) is dropped, as the SDK's JSON answers
 * drop it.
 */
class ExchangeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private pending?: { id: JSONRPCRequest['id']; resolve: (message: JSONRPCMessage) => void };

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const answer = message as { id?: unknown; result?: unknown; error?: unknown };
    if (!this.pending || answer.id !== this.pending.id || (answer.result === undefined && answer.error === undefined)) return;
    const { resolve } = this.pending;
    this.pending = undefined;
    resolve(message);
  }

  exchange(message: JSONRPCRequest, extra: MessageExtraInfo): Promise<JSONRPCMessage> {
    return new Promise((resolve) => {
      this.pending = { id: message.id, resolve };
      this.onmessage?.(message, extra);
    });
  }
}

export function remoteServers(build: (era: Era, selection: Selection) => McpServer): RemoteServers {
  const idle = new Map<string, McpServer[]>();
  const connected = new Map<string, ExchangeTransport[]>();
  const selections = new Map<string, Selection>();
  const selectionOf = (key: string, scopes: readonly Scope[]) => {
    const known = selections.get(key);
    if (known) return known;
    const selection = remoteSelection(scopes);
    selections.set(key, selection);
    return selection;
  };
  return {
    checkout(era, scopes) {
      const key = `${era} ${scopeKey(scopes)}`;
      const stack = idle.get(key) ?? [];
      idle.set(key, stack);
      let server = stack.pop();
      // Only a closed server waits here; a connected one would be another exchange's.
      while (server && server.server.transport !== undefined) server = stack.pop();
      const taken = server ?? build(era, selectionOf(key, scopes));
      let returned = false;
      // The SDK wraps onclose for its own bookkeeping and calls this one; it runs once the
      // transport is gone, after the exchange's answer was handed over.
      taken.server.onclose = () => {
        if (returned) return;
        returned = true;
        if (stack.length < IDLE_PER_KEY) stack.push(taken);
      };
      return taken;
    },
    once(era, scopes) {
      return build(era, selectionOf(`${era} ${scopeKey(scopes)}`, scopes));
    },
    async exchange(scopes, message, extra) {
      const key = scopeKey(scopes);
      const stack = connected.get(key) ?? [];
      connected.set(key, stack);
      let transport = stack.pop();
      if (!transport) {
        transport = new ExchangeTransport();
        await build('legacy', selectionOf(`legacy ${key}`, scopes)).connect(transport);
      }
      try {
        return await transport.exchange(message, extra);
      } finally {
        if (stack.length < IDLE_PER_KEY) stack.push(transport);
      }
    },
  };
}

/** The scopes as one word, the same whatever their order. */
export function scopeKey(scopes: readonly Scope[]): string {
  return [...scopes].sort().join('+');
}

type Id = string | number;

/** The parts of a 2025-era message this file reads. */
interface Message {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The id of a `tools/list` request with nothing in it that could change its answer or its era (no
 * cursor, no batch, nothing but `_meta` without envelope keys in its params, no 2026-07-28 method
 * headers), sent with the Accept header the SDK asks for; else undefined, and the SDK takes it.
 */
export function plainToolsListId(request: Request, body: unknown): Id | undefined {
  if (!isPlainObject(body)) return undefined;
  const { jsonrpc, id, method, params, ...rest } = body as Message;
  if (jsonrpc !== '2.0' || method !== 'tools/list' || Object.keys(rest).length > 0) return undefined;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (params !== undefined) {
    if (!isPlainObject(params) || Object.keys(params).some((k) => k !== '_meta')) return undefined;
    const meta = params._meta;
    if (meta !== undefined && !(isPlainObject(meta) && Object.keys(meta).every((k) => !k.startsWith(ENVELOPE_PREFIX)))) return undefined;
  }
  const headers = request.headers;
  if (headers.has('mcp-method') || headers.has('mcp-name')) return undefined;
  const accept = headers.get('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  return id;
}

/** The 2025-era revisions the SDK serves (an absent header means 2025-03-26). */
const LEGACY_VERSIONS = new Set(SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v < '2026-07-28'));

/**
 * The message of a 2025-era request that needs nothing of the SDK's HTTP transport: one request
 * (no batch, no notification, not initialize), well formed, with no 2026-07-28 envelope or method
 * headers, a 2025-era version header or none, and the Accept header the SDK asks for. Else
 * undefined, and the SDK's transport takes it (and answers whatever is wrong with it).
 */
export function plainLegacyRequest(request: Request, body: unknown): JSONRPCRequest | undefined {
  if (!isPlainObject(body)) return undefined;
  const { jsonrpc, id, method, params, ...rest } = body as Message;
  if (jsonrpc !== '2.0' || typeof method !== 'string' || method === 'initialize' || Object.keys(rest).length > 0) return undefined;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (params !== undefined) {
    if (!isPlainObject(params)) return undefined;
    const meta = params._meta;
    if (meta !== undefined && !(isPlainObject(meta) && Object.keys(meta).every((k) => !k.startsWith(ENVELOPE_PREFIX)))) return undefined;
  }
  const headers = request.headers;
  if (headers.has('mcp-method') || headers.has('mcp-name')) return undefined;
  const version = headers.get('mcp-protocol-version');
  if (version !== null && !LEGACY_VERSIONS.has(version)) return undefined;
  const accept = headers.get('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  return body as JSONRPCRequest;
}

/** The reserved `_meta` keys of the 2026-07-28 per-request envelope. */
const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';

export interface ListAnswers {
  /** The recorded answer under this key for a request with this id, if one was recorded. */
  answer(key: string, id: Id): Response | undefined;
  /** Records the SDK's 200 answer to a plain tools/list (the same bytes are handed back). */
  record(key: string, id: Id, response: Response): Promise<Response>;
}

/** At most this many (protocol version, scopes) pairs: 3 versions × 15 scope sets fit. */
const MAX_RECORDED = 64;

export function listAnswers(): ListAnswers {
  // The answer's bytes around its id, encoded once: a request copies them rather than encoding ~15 KB.
  const recorded = new Map<string, { before: Buffer; headers: Record<string, string> }>();
  const after = Buffer.from('}');
  return {
    answer(key, id) {
      const known = recorded.get(key);
      if (!known) return undefined;
      return new Response(Buffer.concat([known.before, Buffer.from(JSON.stringify(id)), after]), { status: 200, headers: known.headers });
    },
    async record(key, id, response) {
      if (response.status !== 200 || !/^application\/json\b/i.test(response.headers.get('content-type') ?? '') || recorded.size >= MAX_RECORDED) return response;
      const text = await response.text();
      const again = new Response(text, { status: response.status, headers: response.headers });
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return again;
      }
      if (isPlainObject(parsed) && parsed.id === id && isPlainObject(parsed.result) && parsed.error === undefined) {
        const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-length'));
        recorded.set(key, { before: Buffer.from(`{"result":${JSON.stringify(parsed.result)},"jsonrpc":"2.0","id":`), headers });
      }
      return again;
    },
  };
}

/** The key of a plain tools/list's answer: the protocol version it names, and the scopes. */
export function listKey(request: Request, scopes: readonly Scope[]): string {
  return `${request.headers.get('mcp-protocol-version') ?? ''} ${scopeKey(scopes)}`;
}
