// The shared store: PostgreSQL through a pg.Pool, for several `serve` processes behind one load
// balancer. Same schema, records and errors as sqlite.ts (the contract suite runs against both): the
// operations of sql-store.ts, run by postgres-driver.ts.
// Concurrency comes from the database, not from one process: row locks serialize what SQLite's single
// writer serialized (versions of one site, new sites of one org, submission numbers), and the UNIQUE
// constraint on sites.slug decides a race for a new slug. Every change other processes may cache
// sends a NOTIFY in its own transaction (postgres-listener.ts turns them into cache invalidation),
// and a write is answered once the other live instances have acknowledged it.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from 'invoker-mcp/errors.js';
import type { Logger } from '../logger.js';
import type { RateLimiter } from '../rate-limiter.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { migrate } from './operations/schema.js';
import { commitDeploys, HolderHints } from './postgres-deploys.js';
import { isUniqueViolation, PostgresDriver } from './postgres-driver.js';
import { ChangeListener } from './postgres-listener.js';
import { createPostgresRateLimiter, type BatchedRateLimiter } from './postgres-rate-limit.js';
import { slugTakenOnRename } from './shared.js';
import { SlugTurns } from './slug-turns.js';
import { SqlStore } from './sql-store.js';
import { exec, type Op } from './sql/steps.js';
import type { ChangeWatcher, DeployInput, SiteRecord } from './store.js';

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

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  /** Tells this process's own notifications apart from other processes'. */
  private readonly instanceId = randomUUID();
  private readonly driver: PostgresDriver;
  private listener: ChangeListener | undefined;
  private readonly limiters: BatchedRateLimiter[] = [];
  private readonly hints = new HolderHints();
  private readonly turns = new SlugTurns<DeployInput, SiteRecord>(
    (inputs) => commitDeploys(this.driver, this.hints, inputs),
    GROUP_LIMITS,
    (input) => input.files.reduce((n, f) => n + f.body.byteLength, 0),
  );

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly options: PostgresOptions & { log: Logger },
  ) {
    super();
    this.driver = new PostgresDriver(pool, {
      instanceId: this.instanceId,
      statementTimeoutMs: options.statementTimeoutMs ?? 0,
      expectSeen: (n) => this.listener?.expectSeen(n),
    });
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
      // A migration may rightly take longer than any request should (a new index on a big table):
      // INVOKER_PG_STATEMENT_TIMEOUT_MS is for requests, so it is lifted for this transaction only.
      await store.transaction(
        (function* () {
          yield* exec('SET LOCAL statement_timeout = 0');
          yield* migrate(POSTGRES_MIGRATIONS, new Date().toISOString());
        })(),
      );
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

  protected autocommit<T>(op: Op<T>): Promise<T> {
    return this.driver.autocommit(op);
  }

  protected transaction<T>(op: Op<T>): Promise<T> {
    return this.driver.inTransaction('BEGIN', (tx) => this.driver.run(tx, op));
  }

  /** One snapshot: the reads agree while others write. */
  protected snapshot<T>(op: Op<T>): Promise<T> {
    return this.driver.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => this.driver.run(tx, op));
  }

  /** Tells the watcher of other processes' changes, and when it may not cache, until close(). */
  async watchChanges(watcher: ChangeWatcher): Promise<void> {
    const { log, reconnectMs = 1000 } = this.options;
    // The deploys' holder hints hear the same changes as the caches (a stale one costs a retry only).
    const hints = this.hints;
    const heard: ChangeWatcher = {
      changed(change) {
        hints.changed(change);
        watcher.changed(change);
      },
      caching(on) {
        if (!on) hints.clear();
        watcher.caching(on);
      },
    };
    this.listener = new ChangeListener({ url: this.url, instanceId: this.instanceId, reconnectMs, log, watcher: heard });
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
