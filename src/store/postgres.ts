// The shared store: PostgreSQL through a pg.Pool, for several `serve` processes behind one load
// balancer. Same schema, records and errors as sqlite.ts (the contract suite runs against both).
// Concurrency comes from the database, not from one process: row locks serialize what SQLite's single
// writer serialized (versions of one site, new sites of one org, submission numbers), and the UNIQUE
// constraint on sites.slug decides a race for a new slug. Mutations that other processes cache
// send a NOTIFY, which watchChanges() turns into cache invalidation.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../errors.js';
import { newId } from '../contract/ids.js';
import type { RateLimiter } from '../server/rate-limit.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { createPostgresRateLimiter } from './postgres-rate-limit.js';
import {
  decodeCursor,
  encodeCursor,
  LOGIN_SESSION_SELECT,
  formSiteGone,
  inheritedStillCurrent,
  personalOrgName,
  seqAtRank,
  siteLimitReached,
  slugHolderChanged,
  slugTakenOnDeploy,
  slugTakenOnRename,
  toApiKey,
  toDashboardSession,
  toLoginSession,
  toOrg,
  toSite,
  toSubmission,
  toUser,
  toVersion,
  type Row,
} from './shared.js';
import type {
  ApiKeyRecord,
  DashboardSessionRecord,
  DeployInput,
  HostedLookup,
  KeyPrincipal,
  LoginSessionRecord,
  OrgRecord,
  Page,
  SiteRecord,
  Store,
  StoredFile,
  SubmissionRecord,
  UserRecord,
  VersionRecord,
} from './store.js';

/** Any number; the same in every process, so concurrent starts run migrations one at a time. */
const MIGRATION_LOCK = 7_311_042_817;
const CHANGES_CHANNEL = 'invoker_changes';
/** Namespace of the per-slug advisory locks (the second key is the slug's hash). */
const SLUG_LOCK_SPACE = 1_769_171_300;

const SITE_SELECT = `
SELECT s.seq, s.id, s.org_id, s.slug, s.latest_version, s.live_version, s.submission_count, s.created_at, s.updated_at,
       v.preview_token, v.title, v.description, v.favicon, v.is_spa
FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version`;

type Queryable = pg.Pool | pg.PoolClient;

function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}

export class PostgresStore implements Store {
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
  ) {}

  /** Connects and brings the schema up to date. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresStore(pool, url);
    try {
      await store.migrate();
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

  /** Migrations under a transaction-scoped advisory lock: a second process starting at once waits, then finds them applied. */
  private async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      const applied = new Set((await c.query<{ id: number }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
      for (const m of POSTGRES_MIGRATIONS) {
        if (applied.has(m.id)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [m.id, m.name, new Date().toISOString()]);
      }
    });
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw refusedText(e);
    } finally {
      client.release();
    }
  }

  private async one(db: Queryable, sql: string, params: unknown[]): Promise<Row | undefined> {
    return (await this.all(db, sql, params))[0];
  }

  private async all(db: Queryable, sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await db.query<Row>(sql, params)).rows;
    } catch (e) {
      throw refusedText(e);
    }
  }

  /** Tells the other processes that cached answers may be stale; delivered when the transaction commits. */
  private async notify(db: Queryable): Promise<void> {
    await db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, this.instanceId]);
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

  async ensureUser(email: string, now: string): Promise<{ user: UserRecord; org: OrgRecord; created: boolean }> {
    const normalised = email.trim().toLowerCase();
    return this.transaction(async (c) => {
      const inserted = await this.one(
        c,
        'INSERT INTO users (id, email, created_at) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, email, created_at',
        [newId('usr'), normalised, now],
      );
      if (inserted) {
        const user = toUser(inserted);
        return { user, org: await this.insertOrg(c, user.id, personalOrgName(normalised), null, now), created: true };
      }
      // Locked, so two first requests of a user without a personal org create only one.
      const user = toUser((await this.one(c, 'SELECT id, email, created_at FROM users WHERE email = $1 FOR UPDATE', [normalised])) as Row);
      const org = await this.one(
        c,
        'SELECT id, name, parent_id, created_at FROM orgs WHERE owner_user_id = $1 AND parent_id IS NULL ORDER BY seq LIMIT 1',
        [user.id],
      );
      if (org) return { user, org: toOrg(org), created: false };
      return { user, org: await this.insertOrg(c, user.id, personalOrgName(normalised), null, now), created: false };
    });
  }

  private async insertOrg(db: Queryable, ownerUserId: string, name: string, parentId: string | null, now: string): Promise<OrgRecord> {
    const org: OrgRecord = { id: newId('org'), name, parentId, createdAt: now };
    await db.query('INSERT INTO orgs (id, name, parent_id, owner_user_id, created_at) VALUES ($1, $2, $3, $4, $5)', [
      org.id,
      name,
      parentId,
      ownerUserId,
      now,
    ]);
    return org;
  }

  async createApiKey(input: {
    id: string;
    orgId: string;
    userId: string;
    name: string;
    keyHash: string;
    preview: string;
    now: string;
  }): Promise<ApiKeyRecord> {
    await this.all(
      this.pool,
      'INSERT INTO api_keys (id, org_id, user_id, name, key_hash, preview, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [input.id, input.orgId, input.userId, input.name, input.keyHash, input.preview, input.now],
    );
    return {
      id: input.id,
      orgId: input.orgId,
      userId: input.userId,
      name: input.name,
      preview: input.preview,
      createdAt: input.now,
      lastUsedAt: null,
    };
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<KeyPrincipal | null> {
    const row = await this.one(
      this.pool,
      `SELECT k.id, k.org_id, k.user_id, k.name, k.preview, k.created_at, k.last_used_at,
              u.email, u.created_at AS user_created_at,
              o.name AS org_name, o.parent_id, o.created_at AS org_created_at
       FROM api_keys k JOIN users u ON u.id = k.user_id JOIN orgs o ON o.id = k.org_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    if (!row) return null;
    return {
      key: toApiKey(row),
      user: { id: String(row.user_id), email: String(row.email), createdAt: String(row.user_created_at) },
      org: toOrg({ id: row.org_id, name: row.org_name, parent_id: row.parent_id, created_at: row.org_created_at }),
    };
  }

  async touchApiKey(keyId: string, now: string): Promise<void> {
    await this.all(this.pool, 'UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [now, keyId]);
  }

  async listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.all(
      this.pool,
      `SELECT id, org_id, user_id, name, preview, created_at, last_used_at FROM api_keys
       WHERE org_id = $1 AND revoked_at IS NULL ORDER BY seq`,
      [orgId],
    );
    return rows.map(toApiKey);
  }

  async revokeApiKey(orgId: string, keyId: string, now: string): Promise<boolean> {
    return this.transaction(async (c) => {
      const result = await c.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL', [
        now,
        keyId,
        orgId,
      ]);
      if (result.rowCount !== 1) return false;
      await this.notify(c);
      return true;
    });
  }

  async getOrg(orgId: string): Promise<OrgRecord | null> {
    const row = await this.one(this.pool, 'SELECT id, name, parent_id, created_at FROM orgs WHERE id = $1', [orgId]);
    return row ? toOrg(row) : null;
  }

  async listSubOrgs(parentId: string): Promise<OrgRecord[]> {
    const rows = await this.all(this.pool, 'SELECT id, name, parent_id, created_at FROM orgs WHERE parent_id = $1 ORDER BY seq', [
      parentId,
    ]);
    return rows.map(toOrg);
  }

  async createSubOrg(input: { parentId: string; name: string; ownerUserId: string; now: string }): Promise<OrgRecord> {
    return this.insertOrg(this.pool, input.ownerUserId, input.name, input.parentId, input.now);
  }

  async deleteSubOrg(parentId: string, orgId: string): Promise<boolean> {
    // Foreign keys cascade to the org's keys, sites, versions and files.
    return this.transaction(async (c) => {
      const result = await c.query('DELETE FROM orgs WHERE id = $1 AND parent_id = $2', [orgId, parentId]);
      if (result.rowCount !== 1) return false;
      await this.notify(c);
      return true;
    });
  }

  async revokeApiKeyById(keyId: string, now: string): Promise<boolean> {
    return this.transaction(async (c) => {
      const result = await c.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, keyId]);
      if (result.rowCount !== 1) return false;
      await this.notify(c);
      return true;
    });
  }

  // Login sessions: every transition is one conditional UPDATE, so two instances racing on one
  // session (two polls, a verify and a poll) change it at most once.

  async createLoginSession(input: {
    id: string;
    secretHash: string;
    userCodeHash: string;
    clientName: string;
    now: string;
    expiresAt: string;
  }): Promise<LoginSessionRecord> {
    await this.all(
      this.pool,
      `INSERT INTO login_sessions (id, secret_hash, user_code_hash, client_name, status, created_at, expires_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6)`,
      [input.id, input.secretHash, input.userCodeHash, input.clientName, input.now, input.expiresAt],
    );
    return (await this.loginSessionWhere(this.pool, 'id', input.id)) as LoginSessionRecord;
  }

  private async loginSessionWhere(db: Queryable, column: 'id' | 'secret_hash' | 'user_code_hash', value: string): Promise<LoginSessionRecord | null> {
    const row = await this.one(db, `${LOGIN_SESSION_SELECT} WHERE ${column} = $1`, [value]);
    return row ? toLoginSession(row) : null;
  }

  async findLoginSessionBySecretHash(secretHash: string): Promise<LoginSessionRecord | null> {
    return this.loginSessionWhere(this.pool, 'secret_hash', secretHash);
  }

  async findLoginSessionByUserCodeHash(userCodeHash: string): Promise<LoginSessionRecord | null> {
    return this.loginSessionWhere(this.pool, 'user_code_hash', userCodeHash);
  }

  async setLoginSessionCode(id: string, email: string, codeHash: string): Promise<boolean> {
    const result = await this.pool.query("UPDATE login_sessions SET email = $1, code_hash = $2 WHERE id = $3 AND status = 'pending'", [
      email,
      codeHash,
      id,
    ]);
    return result.rowCount === 1;
  }

  async recordLoginCodeFailure(id: string, maxAttempts: number): Promise<LoginSessionRecord | null> {
    return this.transaction(async (c) => {
      await c.query(
        `UPDATE login_sessions SET failed_attempts = failed_attempts + 1,
           status = CASE WHEN failed_attempts + 1 >= $1 THEN 'failed' ELSE status END,
           code_hash = CASE WHEN failed_attempts + 1 >= $1 THEN NULL ELSE code_hash END
         WHERE id = $2 AND status = 'pending'`,
        [maxAttempts, id],
      );
      return this.loginSessionWhere(c, 'id', id);
    });
  }

  async verifyLoginSession(id: string, userId: string, orgId: string): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE login_sessions SET status = 'verified', code_hash = NULL, user_id = $1, org_id = $2 WHERE id = $3 AND status = 'pending'",
      [userId, orgId, id],
    );
    return result.rowCount === 1;
  }

  async touchLoginSessionPoll(id: string, now: string): Promise<void> {
    await this.pool.query('UPDATE login_sessions SET last_polled_at = $1 WHERE id = $2', [now, id]);
  }

  async consumeLoginSession(id: string): Promise<boolean> {
    const result = await this.pool.query("UPDATE login_sessions SET status = 'consumed' WHERE id = $1 AND status = 'verified'", [id]);
    return result.rowCount === 1;
  }

  async deleteLoginSessionsExpiredBefore(time: string): Promise<void> {
    await this.pool.query('DELETE FROM login_sessions WHERE expires_at < $1', [time]);
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
      return await this.deployOnce(input);
    } catch (e) {
      // Lost the race for a new slug: the winner has committed, so a second attempt sees it, and
      // answers 409 (another org won), the holder-changed error (our org won, with other files), or,
      // for a caller without expectedSiteId, adds a version.
      if (!isUniqueViolation(e, 'sites_slug_key')) throw e;
      try {
        return await this.deployOnce(input);
      } catch (again) {
        if (isUniqueViolation(again, 'sites_slug_key')) throw slugTakenOnDeploy(input.slug);
        throw again;
      }
    }
  }

  private async deployOnce(input: DeployInput): Promise<SiteRecord> {
    return this.transaction(async (c) => {
      // Deploys and renames of one slug run one at a time across every instance (inSlugTurn orders
      // this process's own): a first deploy waits for another and then sees its site, instead of
      // both inserting and deadlocking on the slug's unique index.
      await this.lockSlug(c, input.slug);
      // The row lock numbers one site's versions one at a time.
      const holder = await this.one(c, 'SELECT id, org_id, latest_version FROM sites WHERE slug = $1 FOR UPDATE', [input.slug]);
      let siteId: string;
      let version: number;
      if (holder) {
        if (holder.org_id !== input.orgId) throw slugTakenOnDeploy(input.slug);
        if (input.expectedSiteId !== undefined && holder.id !== input.expectedSiteId) throw slugHolderChanged(input.slug);
        siteId = String(holder.id);
        if (input.inherited && !inheritedStillCurrent(input.inherited, (await this.siteById(c, siteId)) as SiteRecord)) {
          throw slugHolderChanged(input.slug);
        }
        version = Number(holder.latest_version) + 1;
        await c.query('UPDATE sites SET latest_version = $1, updated_at = $2 WHERE id = $3', [version, input.now, siteId]);
      } else {
        if (input.expectedSiteId) throw slugHolderChanged(input.slug);
        // The org row lock makes the count and the insert one step, so parallel deploys cannot pass the limit.
        await c.query('SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [input.orgId]);
        const count = (await this.one(c, 'SELECT COUNT(*) AS n FROM sites WHERE org_id = $1', [input.orgId])) as Row;
        if (Number(count.n) >= input.maxSites) throw siteLimitReached(input.maxSites);
        siteId = input.newSiteId;
        version = 1;
        await c.query(
          'INSERT INTO sites (id, org_id, slug, latest_version, live_version, created_at, updated_at) VALUES ($1, $2, $3, 1, NULL, $4, $4)',
          [siteId, input.orgId, input.slug, input.now],
        );
      }
      const m = input.metadata;
      await c.query(
        `INSERT INTO site_versions (site_id, version, preview_token, title, description, favicon, is_spa, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [siteId, version, input.previewToken, m.title, m.description, m.favicon, m.isSpa ? 1 : 0, input.now],
      );
      if (input.files.length > 0) {
        // One statement for all files: a round trip per file would dominate a many-file deploy.
        await c.query(
          `INSERT INTO site_files (site_id, version, path, content_type, etag, body)
           SELECT $1, $2, f.path, f.content_type, f.etag, f.body
           FROM unnest($3::text[], $4::text[], $5::text[], $6::bytea[]) AS f(path, content_type, etag, body)`,
          [
            siteId,
            version,
            input.files.map((f) => f.path),
            input.files.map((f) => f.contentType),
            input.files.map((f) => f.etag),
            input.files.map((f) => Buffer.from(f.body.buffer, f.body.byteOffset, f.body.byteLength)),
          ],
        );
      }
      if (input.publish) await c.query('UPDATE sites SET live_version = $1 WHERE id = $2', [version, siteId]);
      await this.notify(c);
      return (await this.siteById(c, siteId)) as SiteRecord;
    });
  }

  private async lockSlug(c: pg.PoolClient, slug: string): Promise<void> {
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SLUG_LOCK_SPACE, slug]);
  }

  private async siteById(db: Queryable, siteId: string): Promise<SiteRecord | null> {
    const row = await this.one(db, `${SITE_SELECT} WHERE s.id = $1`, [siteId]);
    return row ? toSite(row) : null;
  }

  async getSite(orgId: string, siteId: string): Promise<SiteRecord | null> {
    const row = await this.one(this.pool, `${SITE_SELECT} WHERE s.id = $1 AND s.org_id = $2`, [siteId, orgId]);
    return row ? toSite(row) : null;
  }

  async listSites(orgId: string, options: { limit: number; cursor: string | null }): Promise<Page<SiteRecord>> {
    // Creation order is seq's order: timestamps tie within a millisecond, random ids never sort.
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows =
      after === null
        ? await this.all(this.pool, `${SITE_SELECT} WHERE s.org_id = $1 ORDER BY s.seq DESC LIMIT $2`, [orgId, options.limit + 1])
        : await this.all(this.pool, `${SITE_SELECT} WHERE s.org_id = $1 AND s.seq < $2 ORDER BY s.seq DESC LIMIT $3`, [
            orgId,
            after,
            options.limit + 1,
          ]);
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { items: page.map(toSite), nextCursor: rows.length > options.limit && last ? encodeCursor(Number(last.seq)) : null };
  }

  async listVersions(orgId: string, siteId: string): Promise<VersionRecord[] | null> {
    if (!(await this.getSite(orgId, siteId))) return null;
    const rows = await this.all(
      this.pool,
      `SELECT v.version, v.preview_token, v.title, v.description, v.favicon, v.is_spa, v.created_at,
              COUNT(f.path) AS file_count, COALESCE(SUM(OCTET_LENGTH(f.body)), 0) AS total_bytes
       FROM site_versions v LEFT JOIN site_files f ON f.site_id = v.site_id AND f.version = v.version
       WHERE v.site_id = $1 GROUP BY v.site_id, v.version ORDER BY v.version DESC`,
      [siteId],
    );
    return rows.map(toVersion);
  }

  async publish(orgId: string, siteId: string, version: number | null, now: string): Promise<SiteRecord | null> {
    return this.transaction(async (c) => {
      const site = await this.one(c, 'SELECT latest_version FROM sites WHERE id = $1 AND org_id = $2 FOR UPDATE', [siteId, orgId]);
      if (!site) return null;
      const target = version ?? Number(site.latest_version);
      if (!(await this.one(c, 'SELECT 1 AS ok FROM site_versions WHERE site_id = $1 AND version = $2', [siteId, target]))) return null;
      await c.query('UPDATE sites SET live_version = $1, updated_at = $2 WHERE id = $3', [target, now, siteId]);
      await this.notify(c);
      return this.siteById(c, siteId);
    });
  }

  renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    return this.inSlugTurn(slug, () => this.renameInTransaction(orgId, siteId, slug, now));
  }

  private async renameInTransaction(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    try {
      return await this.transaction(async (c) => {
        const site = await this.one(c, 'SELECT slug FROM sites WHERE id = $1 AND org_id = $2 FOR UPDATE', [siteId, orgId]);
        if (!site) return null;
        if (site.slug === slug) return this.siteById(c, siteId);
        await this.lockSlug(c, slug);
        // A concurrent rename or deploy taking the same slug fails on the UNIQUE constraint instead.
        if (await this.one(c, 'SELECT 1 AS taken FROM sites WHERE slug = $1', [slug])) throw slugTakenOnRename(slug);
        await c.query('UPDATE sites SET slug = $1, updated_at = $2 WHERE id = $3', [slug, now, siteId]);
        await this.notify(c);
        return this.siteById(c, siteId);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'sites_slug_key')) throw slugTakenOnRename(slug);
      throw e;
    }
  }

  async deleteSite(orgId: string, siteId: string): Promise<boolean> {
    // Foreign keys cascade to versions, files and submissions.
    return this.transaction(async (c) => {
      const result = await c.query('DELETE FROM sites WHERE id = $1 AND org_id = $2', [siteId, orgId]);
      if (result.rowCount !== 1) return false;
      await this.notify(c);
      return true;
    });
  }

  async addSubmission(input: { id: string; siteId: string; data: Record<string, unknown>; ipAddress: string | null; now: string }): Promise<void> {
    await this.transaction(async (c) => {
      // The row lock hands out seq numbers one at a time.
      const row = await this.one(
        c,
        'UPDATE sites SET submission_seq = submission_seq + 1, submission_count = submission_count + 1 WHERE id = $1 RETURNING submission_seq',
        [input.siteId],
      );
      if (!row) throw formSiteGone();
      await c.query('INSERT INTO submissions (id, site_id, seq, data, ip_address, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        input.id,
        input.siteId,
        Number(row.submission_seq),
        JSON.stringify(input.data),
        input.ipAddress,
        input.now,
      ]);
    });
  }

  async listSubmissions(
    orgId: string,
    siteId: string,
    options: { page: number; limit: number },
  ): Promise<{ items: SubmissionRecord[]; total: number } | null> {
    // One snapshot: the count, the gaps and the page must agree while others submit or delete.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const site = await this.one(client, 'SELECT submission_count, submission_seq FROM sites WHERE id = $1 AND org_id = $2', [siteId, orgId]);
      if (!site) return null;
      const total = Number(site.submission_count);
      const rank = (options.page - 1) * options.limit + 1;
      if (rank > total) return { items: [], total };
      const top = await seqAtRank(Number(site.submission_seq), rank, async (seq) =>
        Number(((await this.one(client, 'SELECT COUNT(*) AS n FROM submission_gaps WHERE site_id = $1 AND seq >= $2', [siteId, seq])) as Row).n),
      );
      const rows = await this.all(
        client,
        'SELECT id, site_id, data, ip_address, created_at FROM submissions WHERE site_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT $3',
        [siteId, top, options.limit],
      );
      return { items: rows.map(toSubmission), total };
    } finally {
      await client.query('COMMIT').catch(() => {});
      client.release();
    }
  }

  async *eachSubmission(orgId: string, siteId: string): AsyncIterable<SubmissionRecord> {
    if (!(await this.getSite(orgId, siteId))) return;
    let after = 0;
    for (;;) {
      const rows = await this.all(
        this.pool,
        'SELECT id, site_id, seq, data, ip_address, created_at FROM submissions WHERE site_id = $1 AND seq > $2 ORDER BY seq LIMIT 500',
        [siteId, after],
      );
      if (rows.length === 0) return;
      for (const row of rows) yield toSubmission(row);
      after = Number((rows[rows.length - 1] as Row).seq);
    }
  }

  async deleteSubmission(orgId: string, siteId: string, submissionId: string): Promise<boolean> {
    return this.transaction(async (c) => {
      const owned = await this.one(c, 'SELECT 1 AS ok FROM sites WHERE id = $1 AND org_id = $2 FOR UPDATE', [siteId, orgId]);
      if (!owned) return false;
      const row = await this.one(c, 'DELETE FROM submissions WHERE id = $1 AND site_id = $2 RETURNING seq', [submissionId, siteId]);
      if (!row) return false;
      await c.query('INSERT INTO submission_gaps (site_id, seq) VALUES ($1, $2)', [siteId, Number(row.seq)]);
      await c.query('UPDATE sites SET submission_count = submission_count - 1 WHERE id = $1', [siteId]);
      return true;
    });
  }

  async findSiteById(siteId: string): Promise<SiteRecord | null> {
    return this.siteById(this.pool, siteId);
  }

  async findSiteBySlug(slug: string): Promise<SiteRecord | null> {
    const row = await this.one(this.pool, `${SITE_SELECT} WHERE s.slug = $1`, [slug]);
    return row ? toSite(row) : null;
  }

  async findHosted(slug: string, previewToken: string | null): Promise<HostedLookup | null> {
    const site = await this.findSiteBySlug(slug);
    if (!site) return null;
    if (previewToken === null) return site.liveVersion === null ? null : { site, version: site.liveVersion };
    const v = await this.one(this.pool, 'SELECT version FROM site_versions WHERE site_id = $1 AND preview_token = $2', [site.id, previewToken]);
    return v ? { site, version: Number(v.version) } : null;
  }

  async getFile(siteId: string, version: number, path: string): Promise<StoredFile | null> {
    const row = await this.one(
      this.pool,
      'SELECT path, content_type, etag, body FROM site_files WHERE site_id = $1 AND version = $2 AND path = $3',
      [siteId, version, path],
    );
    if (!row) return null;
    return { path: String(row.path), contentType: String(row.content_type), etag: String(row.etag), body: row.body as Uint8Array };
  }

  // Dashboard sessions live in the database (never cached), so a browser's cookie works on every instance.

  async createDashboardSession(input: {
    id: string;
    tokenHash: string;
    userId: string;
    orgId: string;
    csrfToken: string;
    now: string;
    expiresAt: string;
  }): Promise<void> {
    await this.pool.query('DELETE FROM dashboard_sessions WHERE expires_at < $1', [input.now]);
    await this.pool.query(
      `INSERT INTO dashboard_sessions (id, token_hash, user_id, org_id, csrf_token, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [input.id, input.tokenHash, input.userId, input.orgId, input.csrfToken, input.now, input.expiresAt],
    );
  }

  async findDashboardSession(tokenHash: string, now: string): Promise<DashboardSessionRecord | null> {
    const row = await this.one(
      this.pool,
      `SELECT s.id, s.user_id, u.email, s.org_id, s.csrf_token, s.expires_at
       FROM dashboard_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash, now],
    );
    return row ? toDashboardSession(row) : null;
  }

  async setDashboardSessionOrg(id: string, orgId: string): Promise<void> {
    await this.pool.query('UPDATE dashboard_sessions SET org_id = $1 WHERE id = $2', [orgId, id]);
  }

  async deleteDashboardSession(id: string): Promise<void> {
    await this.pool.query('DELETE FROM dashboard_sessions WHERE id = $1', [id]);
  }

  async listOrgsForUser(userId: string): Promise<OrgRecord[]> {
    // Each top-level org followed by its sub-orgs, both in creation order, in one query.
    const rows = await this.all(
      this.pool,
      `SELECT o.id, o.name, o.parent_id, o.created_at
       FROM orgs o LEFT JOIN orgs top ON top.id = o.parent_id
       WHERE (o.parent_id IS NULL AND o.owner_user_id = $1) OR (top.parent_id IS NULL AND top.owner_user_id = $1)
       ORDER BY COALESCE(top.seq, o.seq), o.parent_id IS NOT NULL, o.seq`,
      [userId],
    );
    return rows.map(toOrg);
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
