// The shared store: PostgreSQL through a pg.Pool, for several `serve` processes behind one load
// balancer. Same schema, records and errors as sqlite.ts (the contract suite runs against both): the
// operations of sql-store.ts, run on one pooled connection each.
// Concurrency comes from the database, not from one process: row locks serialize what SQLite's single
// writer serialized (versions of one site, new sites of one org, submission numbers), and the UNIQUE
// constraint on sites.slug decides a race for a new slug. Every change other processes may cache
// sends a NOTIFY in its own transaction (postgres-listener.ts turns them into cache invalidation).
// Round trips are what a request waits for here: connections pipeline (pg's `pipeline` mode), so the
// steps of a transaction that nothing reads back (writes, locks, notifications) go out behind each
// other without waiting, and statements are prepared once per connection.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from 'invoker-mcp/errors.js';
import type { Logger } from '../logger.js';
import type { RateLimiter } from '../rate-limiter.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { migrate } from './operations/schema.js';
import { deploy as deploySite } from './operations/sites.js';
import { CHANGES_CHANNEL, ChangeListener, changeMessage, NOTIFY } from './postgres-listener.js';
import { createPostgresRateLimiter, type BatchedRateLimiter } from './postgres-rate-limit.js';
import { slugTakenOnDeploy, slugTakenOnRename } from './shared.js';
import { SlugTurns, type Outcome } from './slug-turns.js';
import { SqlStore } from './sql-store.js';
import { driveAsync, drivePipelined, type Lock, type Op, type Pipelined, type Row, type Step, type StepResult } from './sql/steps.js';
import type { Statement } from './sql/dialect.js';
import type { ChangeWatcher, DeployInput, SiteRecord } from './store.js';

/** Any number; the same in every process, so concurrent starts run migrations one at a time. */
const MIGRATION_LOCK = 7_311_042_817;
/** Namespace of the per-slug advisory locks (the second key is the slug's hash). */
const SLUG_LOCK_SPACE = 1_769_171_300;
/** A group commit of one slug's deploys stops at this many deploys or bytes. */
const GROUP_LIMITS = { maxWrites: 32, maxBytes: 8 * 1024 * 1024 };

export interface PostgresOptions {
  /** Pooled connections (INVOKER_PG_POOL), besides the one that listens. */
  max?: number;
  /** Longest a statement may run before PostgreSQL cancels it (INVOKER_PG_STATEMENT_TIMEOUT_MS); 0: no limit. */
  statementTimeoutMs?: number;
  /** Wait before each attempt to reconnect the listener (INVOKER_PG_RECONNECT_MS). */
  reconnectMs?: number;
  log?: Logger;
}

const SILENT: Logger = { info() {}, warn() {}, error() {} };

/** How each Lock of steps.ts is taken here: until the transaction ends. */
function lockQuery(lock: Lock): [string, unknown[]] {
  switch (lock.on) {
    case 'slug':
      return ['SELECT pg_advisory_xact_lock($1, hashtext($2))', [SLUG_LOCK_SPACE, lock.key]];
    case 'org':
      return ['SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [lock.key]];
    case 'migrations':
      return ['SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]];
  }
}

function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}

/** One transaction: its connection, its number in its notifications, and how many it sends. */
interface Tx {
  client: pg.PoolClient;
  n: number;
  notifies: number;
  /** Locks taken for the whole transaction: an operation's own are skipped. */
  held?: Set<string>;
  /** Reads answered without asking: what an earlier operation of this transaction wrote (steps.ts known()). */
  known?: Map<string, Row>;
}

const knownKey = (stmt: Statement, params: readonly unknown[]) => `${stmt.postgres}\u0000${JSON.stringify(params)}`;

/** A group commit's deploy that failed, and why: the others are committed without it. */
class DeployFailed extends Error {
  constructor(
    readonly at: number,
    readonly why: unknown,
  ) {
    super('A deploy of the group failed.');
  }
}

const lockName = (lock: Lock) => (lock.on === 'migrations' ? lock.on : `${lock.on}:${lock.key}`);

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  /** Tells this process's own notifications apart from other processes'. */
  private readonly instanceId = randomUUID();
  private listener: ChangeListener | undefined;
  private readonly limiters: BatchedRateLimiter[] = [];
  private transactions = 0;
  /** Statement text → the name it is prepared under on every connection. */
  private readonly names = new Map<string, string>();
  private readonly turns = new SlugTurns<DeployInput, SiteRecord>(
    (inputs) => this.commitDeploys(inputs),
    GROUP_LIMITS,
    (input) => input.files.reduce((n, f) => n + f.body.byteLength, 0),
  );

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly options: PostgresOptions & { log: Logger },
  ) {
    super();
  }

  /** Connects and brings the schema up to date. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const log = options.log ?? SILENT;
    const timeout = options.statementTimeoutMs ?? 0;
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      pipeline: true,
      application_name: `invoker-mcp pid=${process.pid}`,
      ...(timeout > 0 ? { statement_timeout: timeout } : {}),
    });
    // An idle connection that fails is dropped by the pool, and the next query opens another.
    pool.on('error', (e) => log.warn(`PostgreSQL pool: an idle connection failed (${e.message}); the next query opens a new one.`));
    const store = new PostgresStore(pool, url, { ...options, log });
    try {
      await store.transaction(migrate(POSTGRES_MIGRATIONS, new Date().toISOString()));
    } catch (e) {
      await pool.end();
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ECONNREFUSED' || err.code === '28P01' || err.code === '3D000' || err.code === 'ENOTFOUND') {
        throw new AppError('config', `Cannot open the PostgreSQL database at DATABASE_URL: ${err.message}. Check the URL and that the server is running.`);
      }
      throw e;
    }
    return store;
  }

  /** Each statement on any pooled connection, as it comes. */
  protected autocommit<T>(op: Op<T>): Promise<T> {
    return driveAsync(op, (step) => this.answer(this.pool, step));
  }

  protected transaction<T>(op: Op<T>): Promise<T> {
    return this.inTransaction('BEGIN', (tx) => this.run(tx, op));
  }

  /** One snapshot: the reads agree while others write. */
  protected snapshot<T>(op: Op<T>): Promise<T> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => this.run(tx, op));
  }

  private run<T>(tx: Tx, op: Op<T>): Promise<Pipelined<T>> {
    return drivePipelined(op, (step) => this.answer(tx.client, step, tx));
  }

  /**
   * body in one transaction on one pooled connection; COMMIT goes out behind the blind steps body
   * ended with. Answered after COMMIT and, when it notified, once every other live instance has
   * acknowledged clearing what it changed (postgres-listener.ts), so the caller's next request to
   * any instance finds no stale answer.
   */
  private async inTransaction<T>(begin: string, body: (tx: Tx) => Promise<Pipelined<T>>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Tx = { client, n: ++this.transactions, notifies: 0 };
    let seen: { seen: Promise<void>; cancel(): void } | undefined;
    let broken: Error | undefined;
    let result: T;
    try {
      const begun = client.query(begin);
      begun.catch(() => {});
      const { value, tail } = await body(tx);
      seen = tx.notifies > 0 ? this.listener?.expectSeen(tx.n) : undefined;
      const committed = client.query('COMMIT');
      committed.catch(() => {});
      const failure = await tail;
      if (failure !== null) throw failure;
      await begun;
      // An aborted transaction answers COMMIT with ROLLBACK, not an error.
      if ((await committed).command !== 'COMMIT') throw new Error('PostgreSQL rolled the transaction back.');
      result = value;
    } catch (e) {
      seen?.cancel();
      await client.query('ROLLBACK').catch((re: Error) => (broken = re));
      throw refusedText(timedOut(e, this.options.statementTimeoutMs));
    } finally {
      client.release(broken);
    }
    await seen?.seen;
    return result;
  }

  private answer(db: pg.Pool | pg.PoolClient, step: Step, tx?: Tx): Promise<StepResult> {
    // Sent before anything is awaited, so the steps of a transaction leave in order.
    return this.answerStep(db, step, tx).catch((e: unknown) => {
      throw refusedText(timedOut(e, this.options.statementTimeoutMs));
    });
  }

  /** text prepared once per connection under a name of its own. */
  private prepared(text: string, values: unknown[]): pg.QueryConfig {
    let name = this.names.get(text);
    if (!name) this.names.set(text, (name = `invoker_${this.names.size + 1}`));
    return { name, text, values };
  }

  private async answerStep(db: pg.Pool | pg.PoolClient, step: Step, tx: Tx | undefined): Promise<StepResult> {
    switch (step.kind) {
      case 'get': {
        const known = tx?.known?.get(knownKey(step.stmt, step.params));
        if (known) return known;
        return (await db.query<Row>(this.prepared(step.stmt.postgres, step.params))).rows[0];
      }
      case 'known':
        inTransaction(tx, step.kind).known ??= new Map();
        tx?.known?.set(knownKey(step.stmt, step.params), step.row);
        return undefined;
      case 'all':
        return (await db.query<Row>(this.prepared(step.stmt.postgres, step.params))).rows;
      case 'run':
      case 'write':
        return (await db.query(this.prepared(step.stmt.postgres, step.params))).rowCount ?? 0;
      case 'rows': {
        // One INSERT per row, all sent at once: no round trip each, and the bytes go as binary
        // parameters (an array parameter would carry them as hex text, twice the size, parsed twice).
        const client = inTransaction(tx, step.kind).client;
        const sent = step.rows.map((row) => client.query(this.prepared(step.stmt.postgres, row)));
        return (await Promise.all(sent)).reduce((n, r) => n + (r.rowCount ?? 0), 0);
      }
      case 'exec':
        await db.query(step.script);
        return undefined;
      case 'lock': {
        const t = inTransaction(tx, step.kind);
        if (!t.held?.has(lockName(step))) await t.client.query(this.prepared(...lockQuery(step)));
        return undefined;
      }
      case 'notify': {
        const t = inTransaction(tx, step.kind);
        t.notifies++;
        await t.client.query(this.prepared(NOTIFY, [CHANGES_CHANNEL, changeMessage(this.instanceId, t.n, step.change)]));
        return undefined;
      }
    }
  }

  /** Tells the watcher of other processes' changes, and when it may not cache, until close(). */
  async watchChanges(watcher: ChangeWatcher): Promise<void> {
    const { log, reconnectMs = 1000 } = this.options;
    this.listener = new ChangeListener({ url: this.url, instanceId: this.instanceId, reconnectMs, log, watcher });
    await this.listener.start();
  }

  /**
   * Counts in the database, shared by every instance. With a budget large enough to share, each
   * instance counts in memory and adds its counts every 100 ms (postgres-rate-limit.ts).
   */
  createRateLimiter(options: { limit: number; windowMs: number; name: string; now?: () => number }): RateLimiter {
    const limiter = createPostgresRateLimiter(this.pool, {
      ...options,
      instances: () => this.listener?.instances() ?? null,
      log: this.options.log,
    });
    this.limiters.push(limiter);
    return limiter;
  }

  deploy(input: DeployInput): Promise<SiteRecord> {
    return this.turns.grouped(input.slug, input);
  }

  /**
   * One transaction for the deploys of one slug's turn. Nothing in it waits but the first holder's
   * read: each later deploy reads the holder the one before wrote (steps.ts known()), its writes go
   * out behind the others', and COMMIT behind them all. When one deploy fails, nothing was
   * committed: it is answered with its error and the rest go again, in a new transaction.
   */
  private async commitDeploys(inputs: DeployInput[]): Promise<Array<Outcome<SiteRecord>>> {
    const outcomes: Array<Outcome<SiteRecord>> = [];
    let waiting = inputs.map((input, at) => ({ input, at, retried: false }));
    while (waiting.length > 0) {
      try {
        const values = await this.inTransaction('BEGIN', (tx) => this.deployAll(tx, waiting.map((w) => w.input)));
        waiting.forEach((w, i) => (outcomes[w.at] = { ok: true, value: values[i] as SiteRecord }));
        waiting = [];
      } catch (e) {
        if (!(e instanceof DeployFailed)) throw e;
        const failed = waiting[e.at] as (typeof waiting)[number];
        // Lost the race for a new slug: the winner has committed, so a second attempt sees it and
        // answers 409 (another org won), the holder-changed error (our org won, with other files),
        // or, for a caller without expectedSiteId, adds a version.
        const raced = isUniqueViolation(e.why, 'sites_slug_key');
        if (raced && !failed.retried) {
          failed.retried = true;
          continue;
        }
        outcomes[failed.at] = { ok: false, error: raced ? slugTakenOnDeploy(failed.input.slug) : e.why };
        waiting = waiting.filter((w) => w !== failed);
      }
    }
    return outcomes;
  }

  /** The deploys in order in one transaction; a DeployFailed names the first that failed. */
  private async deployAll(tx: Tx, inputs: DeployInput[]): Promise<Pipelined<SiteRecord[]>> {
    // Every deploy of the group is of this slug: its lock is taken once, for all of them.
    const slug: Lock = { on: 'slug', key: (inputs[0] as DeployInput).slug };
    const locked = tx.client.query(this.prepared(...lockQuery(slug))).then(
      () => null,
      (e: unknown) => e,
    );
    tx.held = new Set([lockName(slug)]);
    const done: Array<Pipelined<SiteRecord>> = [];
    /** The first deploy whose steps failed, up to `end`. */
    const firstFailed = async (end: number): Promise<DeployFailed | null> => {
      for (let at = 0; at < end; at++) {
        const why = await (done[at] as Pipelined<SiteRecord>).tail;
        if (why !== null) return new DeployFailed(at, why);
      }
      return null;
    };
    for (const [at, input] of inputs.entries()) {
      try {
        done.push(await this.run(tx, deploySite(input)));
      } catch (why) {
        // Without the slug's lock (a timeout, a lost connection) the group cannot go on.
        const unlocked = await locked;
        if (unlocked !== null) throw unlocked;
        // An earlier deploy's writes, answered only now (nothing read them), or this one.
        throw (await firstFailed(at)) ?? new DeployFailed(at, why);
      }
    }
    const values = done.map((d) => d.value);
    return { value: values, tail: firstFailed(done.length) };
  }

  override renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    return this.turns.exclusive(slug, async () => {
      try {
        return await super.renameSite(orgId, siteId, slug, now);
      } catch (e) {
        // A concurrent rename or deploy that took the same slug first.
        if (isUniqueViolation(e, 'sites_slug_key')) throw slugTakenOnRename(slug);
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    if (this.pool.ending) return;
    await this.listener?.close();
    // Counts this instance admitted and has not added yet belong in the shared budget.
    await Promise.all(this.limiters.map((l) => l.flush().catch(() => {})));
    await this.pool.end();
  }
}

/** Locks and notifications belong to a transaction: on the pool they would end at once. */
function inTransaction(tx: Tx | undefined, what: string): Tx {
  if (!tx) throw new Error(`A store operation took a ${what} step outside a transaction: run it with transaction().`);
  return tx;
}

/** A statement PostgreSQL cancelled at INVOKER_PG_STATEMENT_TIMEOUT_MS: the caller may retry. */
function timedOut(e: unknown, timeoutMs: number | undefined): unknown {
  if ((e as { code?: unknown }).code !== '57014' || !timeoutMs) return e;
  return new AppError(
    'upstream',
    `The database did not answer within ${timeoutMs} ms (INVOKER_PG_STATEMENT_TIMEOUT_MS) and the request was cancelled. Retry; if it keeps happening, check the database's load.`,
  );
}

/**
 * PostgreSQL text holds no NUL character (SQLite's does): a parameter with one is refused with
 * 22021, or 22P05 inside JSON. Nothing stored can contain one, so it is the caller's bad input, never
 * a 500. The HTTP layer refuses such paths first (app.ts); this catches any other way in.
 */
function refusedText(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (code === '22021' || code === '22P05') {
    return new AppError('invalid_input', 'Text holding a NUL character (\\u0000) cannot be stored or looked up. Remove it and try again.');
  }
  return e;
}
