// What only the PostgreSQL store has: migrations that several instances start at once, change
// notifications between instances, the shared rate limit, and a clear error for a bad DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AppError } from '../packages/invoker-mcp/src/errors.js';
import { createPostgresRateLimiter } from '../packages/platform/src/store/postgres-rate-limit.js';
import { POSTGRES_MIGRATIONS } from '../packages/platform/src/store/migrations/postgres.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { openStore } from '../packages/platform/src/store/open-store.js';
import type { ChangeWatcher } from '../packages/platform/src/store/store.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

const SILENT = { info() {}, warn() {}, error() {} };

describe('PostgreSQL store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('runs migrations once when several instances start at the same moment', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(db.url)));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.id));
    } finally {
      await client.end();
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('compresses file bodies with lz4 where the server is built with it, else keeps the default', async () => {
    const store = await PostgresStore.open(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows: has } = await client.query("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)");
      const { rows } = await client.query<{ table: string; method: string }>(
        `SELECT c.relname AS table, a.attcompression AS method FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
         WHERE a.attname = 'body' AND c.relname IN ('site_files', 'site_file_sources') ORDER BY c.relname`,
      );
      // 'l' is lz4; '' is the server's default_toast_compression (pglz unless configured).
      const expected = has.length > 0 ? 'l' : '';
      expect(rows).toEqual([
        { table: 'site_file_sources', method: expected },
        { table: 'site_files', method: expected },
      ]);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('is what openStore returns for postgres:// and postgresql:// URLs', async () => {
    for (const url of [db.url, db.url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
      expect(store.kind).toBe('postgres');
      await store.close();
    }
  });

  it('refuses an unreachable DATABASE_URL with a config error that says what to check', async () => {
    const error = await openStore({ dataDir: '/nonexistent', databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('config');
    expect((error as AppError).message).toContain('DATABASE_URL');
  });

  it('tells other instances, not itself, what changed, and turns caching on once it listens', async () => {
    const a = await PostgresStore.open(db.url);
    const b = await PostgresStore.open(db.url);
    try {
      const seen = { a: [] as unknown[], b: [] as unknown[] };
      const caching = { a: [] as boolean[], b: [] as boolean[] };
      const watcher = (name: 'a' | 'b'): ChangeWatcher => ({ changed: (c) => seen[name].push(c), caching: (on) => caching[name].push(on) });
      await a.watchChanges(watcher('a'));
      await b.watchChanges(watcher('b'));
      expect(caching).toEqual({ a: [true], b: [true] });
      const { user, org } = await a.ensureUser('notify@example.com', new Date().toISOString());
      const now = new Date().toISOString();
      const key = await a.createApiKey({ id: 'key_notify', orgId: org.id, userId: user.id, name: 'k', keyHash: 'notify-hash', preview: 'p', now });
      await a.revokeApiKey(org.id, key.id, now);
      // A's revoke returned only once its own notification came back: B has been sent it too.
      await expect.poll(() => seen.b, { timeout: 5000 }).toEqual([{ kind: 'key', keyId: 'key_notify' }]);
      expect(seen.a).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shares one sliding-window budget per key across instances', async () => {
    const poolA = new pg.Pool({ connectionString: db.url, max: 2 });
    const poolB = new pg.Pool({ connectionString: db.url, max: 2 });
    // Dropping the database at the end ends their idle connections: not an error of this test.
    for (const pool of [poolA, poolB]) pool.on('error', () => {});
    let t = Date.parse('2026-01-01T00:00:00.000Z');
    // A budget of 5 is too small to share between instances: every hit takes the UPSERT.
    const options = { limit: 5, windowMs: 60_000, name: 'test', now: () => t, instances: () => 2, log: SILENT };
    const a = createPostgresRateLimiter(poolA, options);
    const b = createPostgresRateLimiter(poolB, options);
    try {
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await (i % 2 === 0 ? a : b).hit('203.0.113.7'));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
      expect(decisions[5]?.resetSeconds).toBe(60);
      expect((await b.hit('198.51.100.1')).allowed).toBe(true);

      // Concurrent hits from both instances never pass the limit.
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit('burst')));
      expect(burst.filter((d) => d.allowed)).toHaveLength(5);

      // Half way through the next window, half of the previous one still counts: 5 * 0.5 = 2.5.
      t += 90_000;
      const next = [];
      for (let i = 0; i < 4; i++) next.push((await a.hit('203.0.113.7')).allowed);
      expect(next).toEqual([true, true, false, false]);
      // Two windows later nothing is left.
      t += 120_000;
      expect((await b.hit('203.0.113.7')).remaining).toBe(4);
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });
  it('counts a budget large enough to share in memory, adding it every 100 ms, within 10% across instances', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 2 }));
    for (const pool of pools) pool.on('error', () => {});
    // Three instances alive: each may hold 5% of 600 / 3 = 10 hits it has not added yet.
    const limiters = pools.map((pool) => createPostgresRateLimiter(pool, { limit: 600, windowMs: 60_000, name: 'shared', instances: () => 3, log: SILENT }));
    try {
      const decisions = await Promise.all(Array.from({ length: 1200 }, (_, i) => (limiters[i % 3] as (typeof limiters)[number]).hit('198.51.100.9')));
      const admitted = decisions.filter((d) => d.allowed).length;
      expect(admitted).toBeGreaterThanOrEqual(600);
      expect(admitted).toBeLessThanOrEqual(660);
      await Promise.all(limiters.map((l) => l.flush()));
      // Every admitted hit reached the database: nothing counted in memory was dropped.
      const { rows } = await pools[0]!.query<{ current: number }>("SELECT current FROM rate_limits WHERE key = 'shared:198.51.100.9'");
      expect(rows[0]?.current).toBe(admitted);
      // The next instance to ask knows the budget is spent without having seen a hit.
      const late = createPostgresRateLimiter(pools[2]!, { limit: 600, windowMs: 60_000, name: 'shared', instances: () => 3, log: SILENT });
      const first = await late.hit('198.51.100.9');
      await late.flush();
      expect((await late.hit('198.51.100.9')).allowed).toBe(false);
      expect(first.allowed).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('logs a failed idle pool connection instead of swallowing it, and keeps working', async () => {
    const warnings: string[] = [];
    const store = await PostgresStore.open(db.url, { log: { info() {}, warn: (m) => warnings.push(m), error() {} } });
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      await store.findSiteBySlug('warm');
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [`invoker-mcp pid=${process.pid}`]);
      await expect.poll(() => warnings.join('\n')).toMatch(/PostgreSQL pool: an idle connection failed \(.*terminat.*\)/);
      expect(await store.findSiteBySlug('warm')).toBeNull();
    } finally {
      await admin.end();
      await store.close();
    }
  });
});
