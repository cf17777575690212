// The connection that LISTENs for other instances' changes (SPEC section 16). Every committed change
// sends a NOTIFY naming what it changed; this turns them into cache invalidation, and says whether
// the caches may be trusted at all: only while this connection is up and its own heartbeat comes back.
//
// On the channel, each message names its sender (an id per process):
// - a change {i, n, c}: transaction n of instance i changed c;
// - an acknowledgement {i, a}: instance i has cleared its caches of the changes a lists (sender → n's);
// - a heartbeat {i, h}: instance i is alive and listening, every HEARTBEAT_MS.
// The shapes are a protocol between versions running side by side in a rolling upgrade: extend them,
// never change them (a message this version cannot read clears all its caches; an instance that
// sends no heartbeat is not waited for).
// A write is answered once every other live instance has acknowledged its change (or has been silent
// for the heartbeat bound, after which it caches nothing itself), so the writer's next request to any
// instance already finds its cache cleared. Caching stops at once when this connection errors or ends,
// and when a heartbeat is two intervals late (a connection that died without a word); it resumes, from
// empty caches, once LISTEN succeeds again.
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Change, ChangeWatcher } from './store.js';

export const CHANGES_CHANNEL = 'invoker_changes';
/** Sends a message on the channel; inside a transaction, delivered when it commits, and only if it does. */
export const NOTIFY = 'SELECT pg_notify($1, $2)';
/** At least once a second (SPEC section 16). */
export const HEARTBEAT_MS = 500;
/** How often lateness is checked. */
const CHECK_MS = 100;
/** A silent listener stops caching within this of its last heartbeat: two intervals late, checked every CHECK_MS. */
export const SILENCE_BOUND_MS = 2 * HEARTBEAT_MS + CHECK_MS;
/** Transaction numbers per acknowledgement message: its payload must stay under PostgreSQL's 8000 bytes. */
const ACKS_PER_MESSAGE = 400;

type Message = { i: string; n: number; c: Change } | { i: string; a: Record<string, number[]> } | { i: string; h: number };

export function changeMessage(instanceId: string, n: number, change: Change): string {
  return JSON.stringify({ i: instanceId, n, c: change } satisfies Message);
}

function parse(payload: string | undefined): Message | null {
  try {
    const m = JSON.parse(payload ?? '') as Record<string, unknown>;
    if (typeof m.i !== 'string') return null;
    if (typeof m.h === 'number') return { i: m.i, h: m.h };
    if (typeof m.a === 'object' && m.a !== null) return { i: m.i, a: m.a as Record<string, number[]> };
    if (typeof m.n === 'number' && typeof m.c === 'object' && m.c !== null) return { i: m.i, n: m.n, c: m.c as Change };
  } catch {
    // An instance of another version (a rolling upgrade) may send what this one cannot read.
  }
  return null;
}

/** A write of this process waiting for the others to acknowledge its change. */
interface Waiter {
  resolve(): void;
  /** Instances yet to acknowledge; known once the change came back to this process. */
  pending: Set<string> | null;
  /** Acknowledgements that came before the change itself came back. */
  early: Set<string>;
  /** Answered by then whatever is missing: a silent instance has stopped caching. */
  deadline: number;
}

export interface ListenerOptions {
  url: string;
  instanceId: string;
  /** Wait before each reconnection attempt (INVOKER_PG_RECONNECT_MS). */
  reconnectMs: number;
  log: Logger;
  watcher: ChangeWatcher;
}

export class ChangeListener {
  private client: pg.Client | undefined;
  private listening = false;
  private listeningSince = 0;
  private closed = false;
  private beat = 0;
  private lastSent = 0;
  private lastEcho = 0;
  /** Heartbeats sent and not heard back yet, by number: when each was sent. */
  private readonly unanswered = new Map<number, number>();
  /** Other instances heard from, by id: when last. */
  private readonly heard = new Map<string, number>();
  private readonly waiters = new Map<number, Waiter>();
  /** Changes of other instances cleared here and not acknowledged yet: sender → transaction numbers. */
  private acks = new Map<string, number[]>();
  private acking = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly options: ListenerOptions) {}

  /** Connects and LISTENs; rejects when the first attempt fails (serve does not start without it). */
  async start(): Promise<void> {
    await this.connect();
    this.timer = setInterval(() => this.tick(), CHECK_MS);
    this.timer.unref();
  }

  /**
   * Instances alive, this one included, once this one has listened long enough to have heard every
   * other's heartbeat; null before that and while not listening (nobody can say).
   */
  instances(): number | null {
    if (!this.listening || Date.now() - this.listeningSince < 2 * HEARTBEAT_MS) return null;
    return 1 + this.alive().length;
  }

  private alive(): string[] {
    const now = Date.now();
    let gone = false;
    for (const [id, at] of this.heard) {
      if (now - at > 3 * HEARTBEAT_MS) gone = this.heard.delete(id);
    }
    if (gone) this.logInstances();
    return [...this.heard.keys()];
  }

  private logInstances(): void {
    const others = this.heard.size;
    this.options.log.info(`PostgreSQL: ${others + 1} instance(s) share this database (this one and ${others} other(s) heard in the last ${(3 * HEARTBEAT_MS) / 1000} s).`);
  }

  /**
   * Resolves once every other live instance has cleared what transaction n changed: register before
   * COMMIT (the answer may come first). At once when no other instance is alive, and while this
   * process is not listening: it cannot hear the acknowledgements, and the others heard the change
   * from the database all the same.
   */
  expectSeen(n: number): { seen: Promise<void>; cancel(): void } {
    if (!this.listening || this.alive().length === 0) return { seen: Promise.resolve(), cancel() {} };
    const seen = new Promise<void>((resolve) => this.waiters.set(n, { resolve, pending: null, early: new Set(), deadline: Number.POSITIVE_INFINITY }));
    return { seen, cancel: () => this.settle(n) };
  }

  private settle(n: number): void {
    this.waiters.get(n)?.resolve();
    this.waiters.delete(n);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      // Named, so an operator (or the multi-instance test) can tell the listeners apart in pg_stat_activity.
      application_name: `invoker-mcp listener pid=${process.pid}`,
      // Heartbeats and acknowledgements need no durability: their commits do not wait for the disk.
      options: '-c synchronous_commit=off',
      keepAlive: true,
    });
    client.on('notification', (n) => {
      if (this.client === client && n.channel === CHANGES_CHANNEL) this.received(n.payload);
    });
    client.on('error', (e) => this.lost(client, e.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw e;
    }
    this.client = client;
    this.unanswered.clear();
    this.lastEcho = this.listeningSince = Date.now();
    this.listening = true;
    // Anything read before this moment may have missed a notification: start from empty caches.
    this.options.watcher.caching(true);
    this.sendHeartbeat(client);
  }

  private received(payload: string | undefined): void {
    const m = parse(payload);
    if (!m) return this.options.watcher.changed(null);
    const own = m.i === this.options.instanceId;
    if (!own) {
      const known = this.heard.has(m.i);
      this.heard.set(m.i, Date.now());
      if (!known) this.logInstances();
    }
    if ('h' in m) {
      if (!own) return;
      // One connection delivers in order: every earlier heartbeat is answered too.
      for (const n of this.unanswered.keys()) if (n <= m.h) this.unanswered.delete(n);
      this.lastEcho = Date.now();
    } else if ('a' in m) {
      for (const n of m.a[this.options.instanceId] ?? []) {
        const waiter = this.waiters.get(n);
        if (!waiter) continue;
        if (waiter.pending === null) waiter.early.add(m.i);
        else if (waiter.pending.delete(m.i) && waiter.pending.size === 0) this.settle(n);
      }
    } else if (own) {
      // Every other listener has been sent it by now: wait for those alive to acknowledge it.
      const waiter = this.waiters.get(m.n);
      if (!waiter) return;
      waiter.pending = new Set(this.alive().filter((id) => !waiter.early.has(id)));
      waiter.deadline = Date.now() + SILENCE_BOUND_MS + CHECK_MS;
      if (waiter.pending.size === 0) this.settle(m.n);
    } else {
      this.options.watcher.changed(m.c);
      const list = this.acks.get(m.i);
      if (list) list.push(m.n);
      else this.acks.set(m.i, [m.n]);
      // Acknowledged together, after every notification that arrived with this one was handled.
      if (!this.acking) {
        this.acking = true;
        setImmediate(() => this.sendAcks());
      }
    }
  }

  private sendAcks(): void {
    this.acking = false;
    const client = this.client;
    const acks = this.acks;
    this.acks = new Map();
    if (!client) return;
    let batch: Record<string, number[]> = {};
    let count = 0;
    const send = () => {
      if (count) this.send(client, { i: this.options.instanceId, a: batch });
      batch = {};
      count = 0;
    };
    for (const [sender, ns] of acks) {
      for (let i = 0; i < ns.length; i += ACKS_PER_MESSAGE) {
        const part = ns.slice(i, i + ACKS_PER_MESSAGE);
        if (count + part.length > ACKS_PER_MESSAGE) send();
        batch[sender] = part;
        count += part.length;
      }
    }
    send();
  }

  private send(client: pg.Client, message: Message): void {
    client.query(NOTIFY, [CHANGES_CHANNEL, JSON.stringify(message)]).catch(() => {
      // The connection's own error event says what happened.
    });
  }

  private sendHeartbeat(client: pg.Client): void {
    const n = ++this.beat;
    this.lastSent = Date.now();
    this.unanswered.set(n, this.lastSent);
    this.send(client, { i: this.options.instanceId, h: n });
  }

  private tick(): void {
    const client = this.client;
    if (!client || !this.listening) return;
    if (Date.now() - this.lastSent >= HEARTBEAT_MS) this.sendHeartbeat(client);
    // After the poll phase: a heartbeat already in the socket is read before lateness is judged, so a
    // busy event loop is not mistaken for a dead connection.
    setImmediate(() => {
      if (this.client !== client || !this.listening) return;
      const now = Date.now();
      const oldest = this.unanswered.values().next().value;
      if (oldest !== undefined && now - oldest >= HEARTBEAT_MS && now - this.lastEcho > 2 * HEARTBEAT_MS) {
        return this.lost(client, `no heartbeat for ${now - this.lastEcho} ms`);
      }
      const alive = new Set(this.alive());
      for (const [n, waiter] of this.waiters) {
        if (waiter.pending) for (const id of waiter.pending) if (!alive.has(id)) waiter.pending.delete(id);
        if (now >= waiter.deadline || waiter.pending?.size === 0) this.settle(n);
      }
    });
  }

  /** The listening connection is gone (or not trusted): stop caching, then reconnect. */
  private lost(client: pg.Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.options.watcher.caching(false);
    for (const n of [...this.waiters.keys()]) this.settle(n);
    this.acks.clear();
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    if (this.closed) return;
    this.options.log.warn(`PostgreSQL listener lost (${reason}): caching nothing until it is back; reconnecting every ${this.options.reconnectMs} ms.`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    setTimeout(() => {
      if (this.closed) return;
      this.connect().then(
        () => {
          this.options.log.info(`PostgreSQL listener back after ${this.failures + 1} attempt(s): caching again.`);
          this.failures = 0;
        },
        (e: Error) => {
          // One line for the first failure and then one a minute, not one per attempt.
          if (this.failures++ % Math.max(1, Math.round(60_000 / this.options.reconnectMs)) === 0) {
            this.options.log.warn(`PostgreSQL listener: reconnecting failed (${e.message}); still caching nothing, retrying.`);
          }
          this.scheduleReconnect();
        },
      );
    }, this.options.reconnectMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    for (const n of [...this.waiters.keys()]) this.settle(n);
    client?.removeAllListeners();
    client?.on('error', () => {});
    await client?.end().catch(() => {});
  }
}
