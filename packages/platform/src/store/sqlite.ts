// The embedded store: node:sqlite (no native addon), one file in the data dir. Runs the operations
// of sql-store.ts synchronously: every step of one is answered before anything else can run, so a
// transaction never interleaves with another and a deploy needs no promise per statement.
// WAL lets readers run beside the writer; synchronous=FULL makes every committed write durable
// before the call returns, so an acknowledged deploy survives a crash or power loss.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import { migrate } from './operations/schema.js';
import { deploy } from './operations/sites.js';
import { SqlStore } from './sql-store.js';
import type { Statement } from './sql/dialect.js';
import { driveSync, type Op, type Row, type Step, type StepResult } from './sql/steps.js';
import type { DeployInput, SiteRecord } from './store.js';

/** A group commit holds the event loop while it writes: it stops at this many writes or bytes. */
const GROUP_MAX_WRITES = 64;
const GROUP_MAX_BYTES = 8 * 1024 * 1024;

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly prepared = new Map<Statement, StatementSync>();
  private pendingWrites: Array<{ run: () => unknown; bytes: number; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];
  private commitScheduled = false;
  /** Own flag: DatabaseSync.isOpen is newer than the oldest Node we support (22.13). */
  private closed = false;

  constructor(readonly path: string) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec('PRAGMA foreign_keys = ON');
    // Another process (admin create-key beside a running serve) may hold the write lock briefly.
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.inTransaction(() => this.drive(migrate(SQLITE_MIGRATIONS, new Date().toISOString())));
  }

  /** Answers each step of op as it comes, synchronously. */
  private drive<T>(op: Op<T>): T {
    return driveSync(op, (step) => this.answer(step));
  }

  private answer(step: Step): StepResult {
    switch (step.kind) {
      case 'get':
        return this.statement(step.stmt).get(...(step.params as SQLInputValue[])) as Row | undefined;
      case 'all':
        return this.statement(step.stmt).all(...(step.params as SQLInputValue[])) as Row[];
      case 'run':
      case 'write':
        return Number(this.statement(step.stmt).run(...(step.params as SQLInputValue[])).changes);
      case 'rows': {
        const insert = this.statement(step.stmt);
        for (const row of step.rows) insert.run(...(row as SQLInputValue[]));
        return step.rows.length;
      }
      case 'exec':
        this.db.exec(step.script);
        return undefined;
      case 'lock':
        // BEGIN IMMEDIATE already holds the one write lock of the database.
        return undefined;
      case 'notify':
        // Every cache of this database is in this process, and its CachedStore clears itself.
        return undefined;
      case 'known':
        // A read here costs no round trip: it is simply made again.
        return undefined;
    }
  }

  private statement(stmt: Statement): StatementSync {
    let s = this.prepared.get(stmt);
    if (!s) {
      s = this.db.prepare(stmt.sqlite);
      this.prepared.set(stmt, s);
    }
    return s;
  }

  protected async autocommit<T>(op: Op<T>): Promise<T> {
    return this.drive(op);
  }

  protected async transaction<T>(op: Op<T>): Promise<T> {
    return this.inTransaction(() => this.drive(op));
  }

  /** Synchronous, so nothing else runs between its statements. */
  protected async snapshot<T>(op: Op<T>): Promise<T> {
    return this.drive(op);
  }

  deploy(input: DeployInput): Promise<SiteRecord> {
    const bytes = input.files.reduce((n, f) => n + f.body.byteLength, 0);
    return this.groupCommitted(() => this.drive(deploy(input)), bytes);
  }

  /**
   * Runs fn in the next group commit: writes that arrive while the event loop is busy share one
   * transaction, so one fsync. node:sqlite is synchronous and every COMMIT under synchronous=FULL
   * waits for its page writes and an fsync that hold the event loop; 16 concurrent deploys were 16
   * commits in a row. Each write runs in its own savepoint (a failure rolls back only itself) and
   * is answered only after the COMMIT that made it durable. fn must be synchronous, like
   * inTransaction()'s. `bytes` is roughly what it writes: a group stops at GROUP_MAX_BYTES, so a burst
   * of large deploys does not hold the event loop for all of them at once.
   */
  private groupCommitted<T>(fn: () => T, bytes = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pendingWrites.push({ run: fn, bytes, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleCommit();
    });
  }

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // setImmediate runs after the poll phase: every request read in this turn of the loop has queued its write.
    setImmediate(() => {
      this.commitScheduled = false;
      this.commitPendingWrites();
    });
  }

  private commitPendingWrites(): void {
    let count = 0;
    let bytes = 0;
    while (count < this.pendingWrites.length && count < GROUP_MAX_WRITES && (count === 0 || bytes < GROUP_MAX_BYTES)) {
      bytes += this.pendingWrites[count]!.bytes;
      count++;
    }
    const writes = this.pendingWrites.splice(0, count);
    if (writes.length === 0) return;
    if (this.pendingWrites.length > 0) this.scheduleCommit();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    let began = false;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      began = true;
      for (const [i, write] of writes.entries()) {
        this.db.exec('SAVEPOINT write');
        try {
          outcomes.push({ ok: true, value: write.run() });
          this.db.exec('RELEASE write');
        } catch (error) {
          if (!this.undoSavepoint()) {
            // SQLite rolled the whole transaction back itself (a full disk, an I/O error), so the
            // writes before this one are gone too: this one fails with its own error, and the
            // others start over in the next group.
            write.reject(error);
            this.pendingWrites.unshift(...writes.filter((_, j) => j !== i));
            this.scheduleCommit();
            return;
          }
          outcomes.push({ ok: false, error });
        }
      }
      this.db.exec('COMMIT');
    } catch (e) {
      // BEGIN or COMMIT failed (disk full, a closed store): nothing of the group was written.
      if (began) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // SQLite already rolled back (it does on I/O errors and a full disk).
        }
      }
      for (const write of writes) write.reject(e);
      return;
    }
    writes.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  /** Undoes the current write's savepoint; false when the transaction itself is gone. */
  private undoSavepoint(): boolean {
    try {
      this.db.exec('ROLLBACK TO write');
      this.db.exec('RELEASE write');
      return true;
    } catch {
      return false;
    }
  }

  /** Runs fn in one write transaction. fn must be synchronous: nothing else interleaves with it. */
  private inTransaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted are committed, not dropped, by a graceful shutdown.
    while (this.pendingWrites.length > 0) this.commitPendingWrites();
    this.closed = true;
    this.db.close();
  }
}
