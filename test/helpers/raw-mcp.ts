// The built MCP server spoken to over raw stdio, one JSON-RPC line at a time, with no SDK client
// smoothing anything over: what a hostile or unusual client sends, and every line the server writes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { envelope } from '../../packages/invoker-mcp/src/mcp/era.js';
import { BIN, cleanEnv, type McpEra } from './platform.js';

export type RawMessage = Record<string, unknown>;

export class RawMcp {
  private buffer = '';
  private readonly pending = new Map<string | number, (msg: RawMessage) => void>();
  /** Lines on stdout that are not JSON-RPC 2.0 (or carry `forbiddenId`): must stay empty. */
  readonly badLines: string[] = [];
  /** Every message the server wrote, in order. */
  readonly received: RawMessage[] = [];
  lines = 0;
  private nextId = 1;
  stderr = '';

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    /** 2026-07-28: every request() carries the per-request envelope. */
    readonly era: McpEra,
    private readonly forbiddenId?: number,
  ) {
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      this.buffer += d;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.lines++;
        let msg: RawMessage;
        try {
          msg = JSON.parse(line) as RawMessage;
        } catch {
          this.badLines.push(line.slice(0, 200));
          continue;
        }
        this.received.push(msg);
        if (msg.jsonrpc !== '2.0' || (forbiddenId !== undefined && msg.id === forbiddenId)) this.badLines.push(line.slice(0, 200));
        const id = msg.id as string | number | undefined;
        const resolve = id !== undefined && msg.method === undefined ? this.pending.get(id) : undefined;
        if (resolve) {
          this.pending.delete(id as string | number);
          resolve(msg);
        }
      }
    });
  }

  /** Spawns the built server; `forbiddenId` is an id the server must never write (one an injected argument tries to forge). */
  static spawn(env: Record<string, string> = {}, options: { era?: McpEra; forbiddenId?: number } = {}): RawMcp {
    const child = spawn(process.execPath, [BIN], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    return new RawMcp(child, options.era ?? '2025-11-25', options.forbiddenId);
  }

  /** The era's opening: initialize and notifications/initialized, or server/discover. Returns its result. */
  async open(): Promise<RawMessage> {
    if (this.era === '2026-07-28') return this.request('server/discover', {});
    const answer = await this.request('initialize', { protocolVersion: this.era, capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
    this.notify('notifications/initialized');
    return answer;
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Sends `message` as it is and waits for the answer to its id. */
  exchange(message: RawMessage, timeoutMs = 30_000): Promise<RawMessage> {
    const id = message.id as string | number;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message).slice(0, 200)}`)), timeoutMs);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      this.send(JSON.stringify(message));
    });
  }

  /** A request with the next numeric id; in 2026-07-28, object params get the envelope in `_meta`. */
  request(method: string, params: unknown, timeoutMs = 30_000): Promise<RawMessage> {
    const modern = this.era === '2026-07-28' && typeof params === 'object' && params !== null && !Array.isArray(params);
    const sent = modern ? { ...(params as RawMessage), _meta: envelope({}, { name: 'raw', version: '0' }) } : params;
    return this.exchange({ jsonrpc: '2.0', id: this.nextId++, method, params: sent }, timeoutMs);
  }

  notify(method: string, params?: unknown): void {
    this.send(JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }));
  }

  /** Closes stdin, as a client does when it is done, and waits for the server to exit. */
  async close(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', r));
    this.child.stdin.end();
    return exited;
  }
}
