// The shared store: PostgreSQL through a pg.Pool, for several `serve` processes behind one load
// balancer. Same schema, records and errors as sqlite.ts (the contract suite runs against both): the
// operations of sql-store.ts, each awaited step by step on one pooled connection.
// Concurrency comes from the database, not from one process: row locks serialize what SQLite's single
// writer serialized (versions of one site, new sites of one org, submission numbers), and the UNIQUE
// constraint on sites.slug decides a race for a new slug. Mutations that other processes cache
// send a NOTIFY, which watchChanges() turns into cache invalidation.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from 'invoker-mcp/errors.js';
import type { RateLimiter } from '../rate-limiter.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { migrate } from './operations/schema.js';
import { deploy as deploySite } from './operations/sites.js';
import { createPostgresRateLimiter } from './postgres-rate-limit.js';
import { slugTakenOnDeploy, slugTakenOnRename } from './shared.js';
import { SqlStore } from './sql-store.js';
import { driveAsync, type Change, type Lock, type Op, type Row, type Step, type StepResult } from './sql/steps.js';
import type { DeployInput, SiteRecord } from './store.js';

/** Any number; the same in every process, so concurrent starts run migrations one at a time. */
const MIGRATION_LOCK = 7_311_042_817;
const CHANGES_CHANNEL = 'invoker_changes';
/** Namespace of the per-slug advisory locks (the second key is the slug's hash). */
const SLUG_LOCK_SPACE = 1_769_171_300;

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

/** A many-row insert's parameters (see insertRows): one array per column. */
function columnsOf(rows: readonly unknown[][]): unknown[][] {
  return (rows[0] ?? []).map((_, i) => rows.map((row) => row[i]));
}

function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  /** Tells this process's own notifications apart from other processes'. */
  private readonly instanceId = randomUUID();
  private listener: pg.Client | undefined;
  private closed = false;
  /**
   * Deploys and renames of one slug in this process take turns here before they take a pooled
   * connection. Waiting in the database instead (on the slug's advisory lock) would hold one of
   * the pool's 10 connections per waiter, and a burst on one slug would starve every other request.
   */
  private readonly slugTurns = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {
    super();
  }

  /** Connects and brings the schema up to date. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresStore(pool, url);
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
    return this.onOneClient('BEGIN', op);
  }

  /** One snapshot: the reads agree while others write. */
  protected snapshot<T>(op: Op<T>): Promise<T> {
    return this.onOneClient('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', op);
  }

  private async onOneClient<T>(begin: string, op: Op<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await driveAsync(op, (step) => this.answer(client, step));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  private async answer(db: pg.Pool | pg.PoolClient, step: Step): Promise<StepResult> {
    try {
      return await this.answerStep(db, step);
    } catch (e) {
      throw refusedText(e);
    }
  }

  private async answerStep(db: pg.Pool | pg.PoolClient, step: Step): Promise<StepResult> {
    switch (step.kind) {
      case 'get':
        return (await db.query<Row>(step.stmt.postgres, step.params)).rows[0];
      case 'all':
        return (await db.query<Row>(step.stmt.postgres, step.params)).rows;
      case 'run':
        return (await db.query(step.stmt.postgres, step.params)).rowCount ?? 0;
      case 'rows':
        if (step.rows.length === 0) return 0;
        return (await db.query(step.stmt.postgres, columnsOf(step.rows))).rowCount ?? 0;
      case 'exec':
        await db.query(step.script);
        return undefined;
      case 'lock':
        await this.inTransaction(db, step.kind).query(...lockQuery(step));
        return undefined;
      case 'notify':
        // Delivered when the transaction commits, and only if it does.
        await this.inTransaction(db, step.kind).query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, this.payload(step.change)]);
        return undefined;
    }
  }

  /** Locks and notifications belong to a transaction: on the pool they would end at once. */
  private inTransaction(db: pg.Pool | pg.PoolClient, what: string): pg.PoolClient {
    if (db instanceof pg.Pool) throw new Error(`A store operation took a ${what} step outside a transaction: run it with transaction().`);
    return db;
  }

  /** What other processes are told of a change: only who sent it, so they clear every cache (CachedStore.invalidate). */
  private payload(_change: Change): string {
    return this.instanceId;
  }

  /**
   * Calls onChange whenever another process changes what caches hold, and after the listening
   * connection was lost (notifications may have been missed), until close().
   */
  async watchChanges(onChange: () => void): Promise<void> {
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (n) => {
        if (n.payload !== this.instanceId) onChange();
      });
      client.on('error', () => {
        if (this.listener !== client) return;
        this.listener = undefined;
        client.end().catch(() => {});
        onChange();
        const retry = (): void => {
          if (this.closed) return;
          connect().then(onChange, () => setTimeout(retry, 1000).unref());
        };
        setTimeout(retry, 100).unref();
      });
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      this.listener = client;
    };
    await connect();
  }

  createRateLimiter(options: { limit: number; windowMs: number; name: string; now?: () => number }): RateLimiter {
    return createPostgresRateLimiter(this.pool, options);
  }

  private inSlugTurn<T>(slug: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.slugTurns.get(slug) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => undefined);
    this.slugTurns.set(slug, tail);
    void tail.then(() => {
      if (this.slugTurns.get(slug) === tail) this.slugTurns.delete(slug);
    });
    return run;
  }

  deploy(input: DeployInput): Promise<SiteRecord> {
    return this.inSlugTurn(input.slug, () => this.deployRacingOtherInstances(input));
  }

  private async deployRacingOtherInstances(input: DeployInput): Promise<SiteRecord> {
    try {
      return await this.transaction(deploySite(input));
    } catch (e) {
      // Lost the race for a new slug: the winner has committed, so a second attempt sees it, and
      // answers 409 (another org won), the holder-changed error (our org won, with other files), or,
      // for a caller without expectedSiteId, adds a version.
      if (!isUniqueViolation(e, 'sites_slug_key')) throw e;
      try {
        return await this.transaction(deploySite(input));
      } catch (again) {
        if (isUniqueViolation(again, 'sites_slug_key')) throw slugTakenOnDeploy(input.slug);
        throw again;
      }
    }
  }

  override async renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    return this.inSlugTurn(slug, async () => {
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
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => {});
    await this.pool.end();
  }
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
