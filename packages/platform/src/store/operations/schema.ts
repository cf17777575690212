// Brings a database's schema up to date: the backend's migrations (its own DDL, migrations/) that
// schema_migrations does not list yet, in order, each recorded. Run in one transaction.
import type { Migration } from '../migrations/sqlite.js';
import { schemaMigrations } from '../sql/statements.js';
import { all, exec, lock, write, type Op } from '../sql/steps.js';

export function* migrate(migrations: readonly Migration[], now: string): Op<void> {
  // A second process starting at once waits here, then finds them applied.
  yield* lock({ on: 'migrations' });
  yield* write(schemaMigrations.create);
  const applied = new Set((yield* all(schemaMigrations.applied)).map((r) => Number(r.id)));
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    yield* exec(m.sql);
    yield* write(schemaMigrations.record, m.id, m.name, now);
  }
}
