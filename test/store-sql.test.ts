// SQL written once: no statement of the store is spelled twice (whatever its spacing or placeholder
// style), the two backends share no run of 10 lines, and every statement of sql/statements.ts is
// valid on both databases (prepared against the real schemas), not only the ones a suite happens
// to reach. Migrations are left out: each backend's DDL is its own, and shipped ones never change.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../packages/platform/src/store/migrations/sqlite.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { numberPlaceholders, type Statement } from '../packages/platform/src/store/sql/dialect.js';
import * as statements from '../packages/platform/src/store/sql/statements.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { readText, repeatedSql, ROOT, sharedRun, sqlLiterals, tsFiles } from './helpers/source.js';

const STORE = join(ROOT, 'packages/platform/src/store');
const storeSources = tsFiles(STORE, (path) => path.endsWith('.test.ts') || path === 'packages/platform/src/store/migrations');
const all: Array<{ name: string; stmt: Statement }> = Object.entries(statements).flatMap(([table, group]) =>
  Object.entries(group as Record<string, Statement>).map(([name, stmt]) => ({ name: `${table}.${name}`, stmt })),
);
const placeholders = (text: string) => (text.match(/\$\d+/g) ?? []).length;

describe('the store writes each statement once', () => {
  it('spells no SQL literal twice across the store modules', () => {
    const literals = storeSources.flatMap((path) => sqlLiterals(path, readText(path)));
    // What the check reads: the statements module, and the few statements that are PostgreSQL's
    // own (locks, NOTIFY, the shared rate limit).
    expect(literals.filter((l) => l.where.startsWith('packages/platform/src/store/sql/statements.ts')).length).toBeGreaterThan(50);
    expect(literals.some((l) => l.where.startsWith('packages/platform/src/store/postgres-listener.ts') && l.text.includes('pg_notify'))).toBe(true);
    expect(repeatedSql(literals)).toEqual([]);
  });

  it('gives each statement of sql/statements.ts its own text on each backend', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const texts = all.map(({ stmt }) => stmt[dialect].replace(/\s+/g, ' '));
      expect(new Set(texts).size).toBe(texts.length);
    }
  });

  it('catches a statement written again with other spacing and placeholders', () => {
    const a = sqlLiterals('a.ts', "db.query('SELECT id FROM users WHERE email = $1', [email]);");
    const b = sqlLiterals('b.ts', 'run(`\n  SELECT id FROM users\n  WHERE email = ?`);');
    expect(repeatedSql([...a, ...b])).toEqual([[expect.stringContaining('a.ts:1'), expect.stringContaining('b.ts:1')]]);
  });

  it('leaves no run of 10 lines shared between the two backends', () => {
    const sqlite = readText(join(STORE, 'sqlite.ts'));
    const postgres = readText(join(STORE, 'postgres.ts'));
    expect(sharedRun(sqlite, postgres, 10)).toBeNull();
    // The check finds a run when there is one: a backend and a copy of it with one line changed.
    const copy = sqlite.replace('GROUP_MAX_WRITES = 64', 'GROUP_MAX_WRITES = 65');
    expect(sharedRun(sqlite, copy, 10)).not.toBeNull();
  });

  it('numbers PostgreSQL placeholders in order, leaving quoted text alone', () => {
    expect(numberPlaceholders("SELECT ? AS a, '?' AS b, \"?\" AS c WHERE x = ? AND y = ?")).toBe(
      "SELECT $1 AS a, '?' AS b, \"?\" AS c WHERE x = $2 AND y = $3",
    );
    expect(() => numberPlaceholders("SELECT 'unclosed")).toThrow(/Unclosed/);
  });
});

describe('every statement is valid on both backends', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await (await PostgresStore.open(db.url)).close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('prepares on SQLite against its schema, with as many ? as PostgreSQL has $n', () => {
    const sqlite = new DatabaseSync(':memory:');
    try {
      sqlite.exec(statements.schemaMigrations.create.sqlite);
      for (const m of SQLITE_MIGRATIONS) sqlite.exec(m.sql);
      for (const { name, stmt } of all) {
        expect(() => sqlite.prepare(stmt.sqlite), name).not.toThrow();
        expect((stmt.sqlite.match(/\?/g) ?? []).length, name).toBe(placeholders(stmt.postgres));
      }
    } finally {
      sqlite.close();
    }
  });

  it('prepares on PostgreSQL against its schema', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const [i, { name, stmt }] of all.entries()) {
        // PREPARE takes no DDL; schema_migrations' CREATE runs on every open (beforeAll did it).
        if (stmt.postgres.startsWith('CREATE')) continue;
        await expect(client.query(`PREPARE s${i} AS ${stmt.postgres}`), name).resolves.toBeDefined();
      }
    } finally {
      await client.end();
    }
  });
});
