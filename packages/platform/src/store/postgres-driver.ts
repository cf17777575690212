// How store operations run on PostgreSQL: each on one pooled connection, and inside a transaction
// pipelined (pg's `pipeline` mode): the steps nothing reads back (writes, locks, notifications) go out
// behind each other without waiting, COMMIT goes out behind them, and every statement is prepared
// once per connection. Round trips are what a request waits for here, so a deploy costs two: the
// slug holder's read, then everything else with the COMMIT (one, when postgres-deploys.ts knows the
// holder already and sends a guard instead of the read).
import pg from 'pg';
import { AppError } from 'invoker-mcp/errors.js';
import { CHANGES_CHANNEL, changeMessage, NOTIFY } from './postgres-listener.js';
import type { Statement } from './sql/dialect.js';
import { driveAsync, drivePipelined, type Lock, type Op, type Pipelined, type Row, type SqlValue, type Step, type StepResult } from './sql/steps.js';

/** Any number; the same in every process, so concurrent starts run migrations one at a time. */
const MIGRATION_LOCK = 7_311_042_817;
/** Namespace of the per-slug advisory locks (the second key is the slug's hash). */
const SLUG_LOCK_SPACE = 1_769_171_300;
/** Namespace of the per-domain advisory locks (custom-domain verification). */
const DOMAIN_LOCK_SPACE = 1_769_171_301;

/** One transaction: its connection, its number in its notifications, and how many it sends. */
export interface Tx {
  client: pg.PoolClient;
  n: number;
  notifies: number;
  /** Locks taken for the whole transaction: an operation's own are skipped. */
  held?: Set<string>;
  /** Reads answered without asking: what an earlier operation of this transaction wrote (steps.ts known()). */
  known?: Map<string, Row>;
}

/** A named lock in a namespace of its own (slugs, domains), held until the transaction ends. */
const KEYED_LOCK = 'SELECT pg_advisory_xact_lock($1, hashtext($2))';

/** How each Lock of steps.ts is taken here: until the transaction ends. */
function lockQuery(lock: Lock): [string, unknown[]] {
  switch (lock.on) {
    case 'slug':
      return [KEYED_LOCK, [SLUG_LOCK_SPACE, lock.key]];
    case 'org':
      return ['SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [lock.key]];
    case 'domain':
      return [KEYED_LOCK, [DOMAIN_LOCK_SPACE, lock.key]];
    case 'migrations':
      return ['SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]];
  }
}

const lockName = (lock: Lock) => (lock.on === 'migrations' ? lock.on : `${lock.on}:${lock.key}`);
const knownKey = (stmt: Statement, params: readonly unknown[]) => `${stmt.postgres}\u0000${JSON.stringify(params)}`;

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}

export interface DriverOptions {
  /** Tells this process's notifications apart from other processes'. */
  instanceId: string;
  statementTimeoutMs: number;
  /** Resolves once every other live instance has acknowledged transaction n's notification. */
  expectSeen(n: number): { seen: Promise<void>; cancel(): void } | undefined;
}

export class PostgresDriver {
  private transactions = 0;
  /** Statement text → the name it is prepared under on every connection. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: DriverOptions,
  ) {}

  /** Each statement on any pooled connection, as it comes. */
  autocommit<T>(op: Op<T>): Promise<T> {
    return driveAsync(op, (step) => this.answer(this.pool, step));
  }

  run<T>(tx: Tx, op: Op<T>): Promise<Pipelined<T>> {
    return drivePipelined(op, (step) => this.answer(tx.client, step, tx));
  }

  /** Takes a lock for the whole of tx, so that its operations skip their own. */
  holdLock(tx: Tx, lock: Lock): Promise<unknown> {
    (tx.held ??= new Set()).add(lockName(lock));
    return tx.client.query(this.prepared(...lockQuery(lock))).then(
      () => null,
      (e: unknown) => this.failure(e),
    );
  }

  /**
   * Takes `row` as what a get of stmt with params finds in tx (as known() does), on the word of
   * `guard`: a statement sent now, ahead of everything else, that fails unless it is so, aborting
   * tx. Resolves to the guard's row, or to its failure.
   */
  expect(tx: Tx, stmt: Statement, params: SqlValue[], row: Row, guard: string, guardParams: SqlValue[]): Promise<{ row: Row } | { failure: unknown }> {
    (tx.known ??= new Map()).set(knownKey(stmt, params), row);
    return tx.client.query<Row>(this.prepared(guard, guardParams)).then(
      (result) => ({ row: result.rows[0] as Row }),
      (e: unknown) => ({ failure: e }),
    );
  }

  /** What a get of stmt with params would find in tx, by its operations' known() steps. */
  knownOf(tx: Tx, stmt: Statement, params: SqlValue[]): Row | undefined {
    return tx.known?.get(knownKey(stmt, params));
  }

  /**
   * body in one transaction on one pooled connection; COMMIT goes out behind the blind steps body
   * ended with. Answered after COMMIT and, when it notified, once every other live instance has
   * acknowledged clearing what it changed (postgres-listener.ts), so the caller's next request to
   * any instance finds no stale answer.
   */
  async inTransaction<T>(begin: string, body: (tx: Tx) => Promise<Pipelined<T>>): Promise<T> {
    const { value, seen } = await this.committed(begin, body);
    await seen;
    return value;
  }

  /** inTransaction(), resolved at COMMIT: `seen` resolves once the other instances have acknowledged it. */
  async committed<T>(begin: string, body: (tx: Tx) => Promise<Pipelined<T>>): Promise<{ value: T; seen: Promise<void> }> {
    const client = await this.pool.connect();
    const tx: Tx = { client, n: ++this.transactions, notifies: 0 };
    let seen: { seen: Promise<void>; cancel(): void } | undefined;
    let broken: Error | undefined;
    let result: T;
    try {
      const begun = client.query(begin);
      begun.catch(() => {});
      const { value, tail } = await body(tx);
      seen = tx.notifies > 0 ? this.options.expectSeen(tx.n) : undefined;
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
      throw this.failure(e);
    } finally {
      client.release(broken);
    }
    return { value: result, seen: seen?.seen ?? Promise.resolve() };
  }

  private answer(db: pg.Pool | pg.PoolClient, step: Step, tx?: Tx): Promise<StepResult> {
    // Sent before anything is awaited, so the steps of a transaction leave in order.
    return this.answerStep(db, step, tx).catch((e: unknown) => {
      throw this.failure(e);
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
        transactionOf(tx, step.kind).known ??= new Map();
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
        const client = transactionOf(tx, step.kind).client;
        const sent = step.rows.map((row) => client.query(this.prepared(step.stmt.postgres, row)));
        return (await Promise.all(sent)).reduce((n, r) => n + (r.rowCount ?? 0), 0);
      }
      case 'exec':
        await db.query(step.script);
        return undefined;
      case 'lock': {
        const t = transactionOf(tx, step.kind);
        if (!t.held?.has(lockName(step))) await t.client.query(this.prepared(...lockQuery(step)));
        return undefined;
      }
      case 'notify': {
        const t = transactionOf(tx, step.kind);
        t.notifies++;
        await t.client.query(this.prepared(NOTIFY, [CHANGES_CHANNEL, changeMessage(this.options.instanceId, t.n, step.change)]));
        return undefined;
      }
    }
  }

  /** What a caller is told of a database failure: the two PostgreSQL refusals it can act on. */
  private failure(e: unknown): unknown {
    return refusedText(timedOut(e, this.options.statementTimeoutMs));
  }
}

/** Locks and notifications belong to a transaction: on the pool they would end at once. */
function transactionOf(tx: Tx | undefined, what: string): Tx {
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
