// The embedded store: node:sqlite (no native addon), one file in the data dir.
// WAL lets readers run beside the writer; synchronous=FULL makes every committed write durable
// before the call returns, so an acknowledged deploy survives a crash or power loss.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { newId } from '../contract/ids.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import {
  decodeCursor,
  encodeCursor,
  formSiteGone,
  inheritedStillCurrent,
  personalOrgName,
  seqAtRank,
  siteLimitReached,
  slugHolderChanged,
  slugTakenOnDeploy,
  slugTakenOnRename,
  toApiKey,
  toOrg,
  toSite,
  toSubmission,
  toUser,
  toVersion,
  LOGIN_SESSION_SELECT,
  toDashboardSession,
  toLoginSession,
} from './shared.js';
import type {
  ApiKeyRecord,
  DeployInput,
  HostedLookup,
  DashboardSessionRecord,
  KeyPrincipal,
  LoginSessionRecord,
  LoginSessionStatus,
  OrgRecord,
  Page,
  SiteRecord,
  SubmissionRecord,
  VersionRecord,
  Store,
  StoredFile,
  UserRecord,
} from './store.js';

type Row = Record<string, SQLInputValue>;

/** A group commit holds the event loop while it writes: it stops at this many writes or bytes. */
const GROUP_MAX_WRITES = 64;
const GROUP_MAX_BYTES = 8 * 1024 * 1024;

const SITE_SELECT = `
SELECT s.rowid AS seq, s.id, s.org_id, s.slug, s.latest_version, s.live_version, s.submission_count, s.created_at, s.updated_at,
       v.preview_token, v.title, v.description, v.favicon, v.is_spa
FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version`;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private pendingWrites: Array<{ run: () => unknown; bytes: number; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];
  private commitScheduled = false;
  /** Own flag: DatabaseSync.isOpen is newer than the oldest Node we support (22.13). */
  private closed = false;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec('PRAGMA foreign_keys = ON');
    // Another process (admin create-key beside a running serve) may hold the write lock briefly.
    this.db.exec('PRAGMA busy_timeout = 5000');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    this.transaction(() => {
      const applied = new Set(
        (this.db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: number }>).map((r) => r.id),
      );
      for (const m of SQLITE_MIGRATIONS) {
        if (applied.has(m.id)) continue;
        this.db.exec(m.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)')
          .run(m.id, m.name, new Date().toISOString());
      }
    });
  }

  private stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Runs fn in the next group commit: writes that arrive while the event loop is busy share one
   * transaction, so one fsync. node:sqlite is synchronous and every COMMIT under synchronous=FULL
   * waits for its page writes and an fsync that hold the event loop; 16 concurrent deploys were 16
   * commits in a row. Each write runs in its own savepoint (a failure rolls back only itself) and
   * is answered only after the COMMIT that made it durable. fn must be synchronous, like
   * transaction()'s. `bytes` is roughly what it writes: a group stops at GROUP_MAX_BYTES, so a burst
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
  private transaction<T>(fn: () => T): T {
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

  async ensureUser(email: string, now: string): Promise<{ user: UserRecord; org: OrgRecord; created: boolean }> {
    const normalised = email.trim().toLowerCase();
    return this.transaction(() => {
      const existing = this.stmt('SELECT id, email, created_at FROM users WHERE email = ?').get(normalised) as Row | undefined;
      if (existing) {
        const user = toUser(existing);
        const org = this.stmt(
          'SELECT id, name, parent_id, created_at FROM orgs WHERE owner_user_id = ? AND parent_id IS NULL ORDER BY rowid LIMIT 1',
        ).get(user.id) as Row | undefined;
        if (org) return { user, org: toOrg(org), created: false };
        return { user, org: this.insertOrg(user.id, personalOrgName(normalised), null, now), created: false };
      }
      const user: UserRecord = { id: newId('usr'), email: normalised, createdAt: now };
      this.stmt('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?)').run(user.id, user.email, now);
      const org = this.insertOrg(user.id, personalOrgName(normalised), null, now);
      return { user, org, created: true };
    });
  }

  private insertOrg(ownerUserId: string, name: string, parentId: string | null, now: string): OrgRecord {
    const org: OrgRecord = { id: newId('org'), name, parentId, createdAt: now };
    this.stmt('INSERT INTO orgs (id, name, parent_id, owner_user_id, created_at) VALUES (?, ?, ?, ?, ?)').run(
      org.id,
      name,
      parentId,
      ownerUserId,
      now,
    );
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
    this.stmt(
      'INSERT INTO api_keys (id, org_id, user_id, name, key_hash, preview, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(input.id, input.orgId, input.userId, input.name, input.keyHash, input.preview, input.now);
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
    const row = this.stmt(
      `SELECT k.id AS key_id, k.org_id, k.user_id, k.name AS key_name, k.preview, k.created_at AS key_created_at,
              k.last_used_at, u.email, u.created_at AS user_created_at,
              o.name AS org_name, o.parent_id, o.created_at AS org_created_at
       FROM api_keys k JOIN users u ON u.id = k.user_id JOIN orgs o ON o.id = k.org_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    ).get(keyHash) as Row | undefined;
    if (!row) return null;
    return {
      key: {
        id: String(row.key_id),
        orgId: String(row.org_id),
        userId: String(row.user_id),
        name: String(row.key_name),
        preview: String(row.preview),
        createdAt: String(row.key_created_at),
        lastUsedAt: row.last_used_at == null ? null : String(row.last_used_at),
      },
      user: { id: String(row.user_id), email: String(row.email), createdAt: String(row.user_created_at) },
      org: {
        id: String(row.org_id),
        name: String(row.org_name),
        parentId: row.parent_id == null ? null : String(row.parent_id),
        createdAt: String(row.org_created_at),
      },
    };
  }

  async touchApiKey(keyId: string, now: string): Promise<void> {
    this.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, keyId);
  }

  async listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    const rows = this.stmt(
      `SELECT id, org_id, user_id, name, preview, created_at, last_used_at FROM api_keys
       WHERE org_id = ? AND revoked_at IS NULL ORDER BY rowid`,
    ).all(orgId) as Row[];
    return rows.map(toApiKey);
  }

  async revokeApiKey(orgId: string, keyId: string, now: string): Promise<boolean> {
    const result = this.stmt('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL').run(
      now,
      keyId,
      orgId,
    );
    return Number(result.changes) === 1;
  }

  async getOrg(orgId: string): Promise<OrgRecord | null> {
    const row = this.stmt('SELECT id, name, parent_id, created_at FROM orgs WHERE id = ?').get(orgId) as Row | undefined;
    return row ? toOrg(row) : null;
  }

  async listSubOrgs(parentId: string): Promise<OrgRecord[]> {
    const rows = this.stmt('SELECT id, name, parent_id, created_at FROM orgs WHERE parent_id = ? ORDER BY rowid').all(
      parentId,
    ) as Row[];
    return rows.map(toOrg);
  }

  async createSubOrg(input: { parentId: string; name: string; ownerUserId: string; now: string }): Promise<OrgRecord> {
    return this.insertOrg(input.ownerUserId, input.name, input.parentId, input.now);
  }

  async deleteSubOrg(parentId: string, orgId: string): Promise<boolean> {
    // Foreign keys cascade to the org's keys, sites, versions and files.
    const result = this.stmt('DELETE FROM orgs WHERE id = ? AND parent_id = ?').run(orgId, parentId);
    return Number(result.changes) === 1;
  }

  async revokeApiKeyById(keyId: string, now: string): Promise<boolean> {
    const result = this.stmt('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, keyId);
    return Number(result.changes) === 1;
  }

  async createLoginSession(input: {
    id: string;
    secretHash: string;
    userCodeHash: string;
    clientName: string;
    now: string;
    expiresAt: string;
  }): Promise<LoginSessionRecord> {
    this.stmt(
      `INSERT INTO login_sessions (id, secret_hash, user_code_hash, client_name, status, created_at, expires_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
    ).run(input.id, input.secretHash, input.userCodeHash, input.clientName, input.now, input.expiresAt);
    return this.loginSessionById(input.id) as LoginSessionRecord;
  }

  private loginSessionById(id: string): LoginSessionRecord | null {
    const row = this.stmt(`${LOGIN_SESSION_SELECT} WHERE id = ?`).get(id) as Row | undefined;
    return row ? toLoginSession(row) : null;
  }

  async findLoginSessionBySecretHash(secretHash: string): Promise<LoginSessionRecord | null> {
    const row = this.stmt(`${LOGIN_SESSION_SELECT} WHERE secret_hash = ?`).get(secretHash) as Row | undefined;
    return row ? toLoginSession(row) : null;
  }

  async findLoginSessionByUserCodeHash(userCodeHash: string): Promise<LoginSessionRecord | null> {
    const row = this.stmt(`${LOGIN_SESSION_SELECT} WHERE user_code_hash = ?`).get(userCodeHash) as Row | undefined;
    return row ? toLoginSession(row) : null;
  }

  async setLoginSessionCode(id: string, email: string, codeHash: string): Promise<boolean> {
    const result = this.stmt(
      "UPDATE login_sessions SET email = ?, code_hash = ? WHERE id = ? AND status = 'pending'",
    ).run(email, codeHash, id);
    return Number(result.changes) === 1;
  }

  async recordLoginCodeFailure(id: string, maxAttempts: number): Promise<LoginSessionRecord | null> {
    return this.transaction(() => {
      this.stmt(
        `UPDATE login_sessions SET failed_attempts = failed_attempts + 1,
           status = CASE WHEN failed_attempts + 1 >= ? THEN 'failed' ELSE status END,
           code_hash = CASE WHEN failed_attempts + 1 >= ? THEN NULL ELSE code_hash END
         WHERE id = ? AND status = 'pending'`,
      ).run(maxAttempts, maxAttempts, id);
      return this.loginSessionById(id);
    });
  }

  async verifyLoginSession(id: string, userId: string, orgId: string): Promise<boolean> {
    const result = this.stmt(
      "UPDATE login_sessions SET status = 'verified', code_hash = NULL, user_id = ?, org_id = ? WHERE id = ? AND status = 'pending'",
    ).run(userId, orgId, id);
    return Number(result.changes) === 1;
  }

  async touchLoginSessionPoll(id: string, now: string): Promise<void> {
    this.stmt('UPDATE login_sessions SET last_polled_at = ? WHERE id = ?').run(now, id);
  }

  async consumeLoginSession(id: string): Promise<boolean> {
    const result = this.stmt("UPDATE login_sessions SET status = 'consumed' WHERE id = ? AND status = 'verified'").run(id);
    return Number(result.changes) === 1;
  }

  async deleteLoginSessionsExpiredBefore(time: string): Promise<void> {
    this.stmt('DELETE FROM login_sessions WHERE expires_at < ?').run(time);
  }

  async deploy(input: DeployInput): Promise<SiteRecord> {
    const bytes = input.files.reduce((n, f) => n + f.body.byteLength, 0);
    return this.groupCommitted(() => {
      const holder = this.stmt('SELECT id, org_id, latest_version FROM sites WHERE slug = ?').get(input.slug) as
        | Row
        | undefined;
      let siteId: string;
      let version: number;
      if (holder) {
        // 409 whether the holder is a stranger or a sibling org: slugs are global names.
        if (holder.org_id !== input.orgId) {
          throw slugTakenOnDeploy(input.slug);
        }
        if (input.expectedSiteId !== undefined && holder.id !== input.expectedSiteId) throw slugHolderChanged(input.slug);
        siteId = String(holder.id);
        if (input.inherited && !inheritedStillCurrent(input.inherited, this.siteById(siteId) as SiteRecord)) {
          throw slugHolderChanged(input.slug);
        }
        version = Number(holder.latest_version) + 1;
        this.stmt('UPDATE sites SET latest_version = ?, updated_at = ? WHERE id = ?').run(version, input.now, siteId);
      } else {
        if (input.expectedSiteId) throw slugHolderChanged(input.slug);
        const count = this.stmt('SELECT COUNT(*) AS n FROM sites WHERE org_id = ?').get(input.orgId) as Row;
        if (Number(count.n) >= input.maxSites) {
          throw siteLimitReached(input.maxSites);
        }
        siteId = input.newSiteId;
        version = 1;
        this.stmt(
          'INSERT INTO sites (id, org_id, slug, latest_version, live_version, created_at, updated_at) VALUES (?, ?, ?, 1, NULL, ?, ?)',
        ).run(siteId, input.orgId, input.slug, input.now, input.now);
      }
      const m = input.metadata;
      this.stmt(
        `INSERT INTO site_versions (site_id, version, preview_token, title, description, favicon, is_spa, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(siteId, version, input.previewToken, m.title, m.description, m.favicon, m.isSpa ? 1 : 0, input.now);
      const insertFile = this.stmt(
        'INSERT INTO site_files (site_id, version, path, content_type, etag, body) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const f of input.files) insertFile.run(siteId, version, f.path, f.contentType, f.etag, f.body);
      if (input.publish) this.stmt('UPDATE sites SET live_version = ? WHERE id = ?').run(version, siteId);
      return this.siteById(siteId) as SiteRecord;
    }, bytes);
  }

  private siteById(siteId: string): SiteRecord | null {
    const row = this.stmt(`${SITE_SELECT} WHERE s.id = ?`).get(siteId) as Row | undefined;
    return row ? toSite(row) : null;
  }

  async getSite(orgId: string, siteId: string): Promise<SiteRecord | null> {
    const row = this.stmt(`${SITE_SELECT} WHERE s.id = ? AND s.org_id = ?`).get(siteId, orgId) as Row | undefined;
    return row ? toSite(row) : null;
  }

  async listSites(orgId: string, options: { limit: number; cursor: string | null }): Promise<Page<SiteRecord>> {
    // Creation order is the rowid's order: timestamps tie within a millisecond, random ids never sort.
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = (
      after === null
        ? this.stmt(`${SITE_SELECT} WHERE s.org_id = ? ORDER BY s.rowid DESC LIMIT ?`).all(orgId, options.limit + 1)
        : this.stmt(`${SITE_SELECT} WHERE s.org_id = ? AND s.rowid < ? ORDER BY s.rowid DESC LIMIT ?`).all(orgId, after, options.limit + 1)
    ) as Row[];
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { items: page.map(toSite), nextCursor: rows.length > options.limit && last ? encodeCursor(Number(last.seq)) : null };
  }

  async listVersions(orgId: string, siteId: string): Promise<VersionRecord[] | null> {
    if (!(await this.getSite(orgId, siteId))) return null;
    const rows = this.stmt(
      `SELECT v.version, v.preview_token, v.title, v.description, v.favicon, v.is_spa, v.created_at,
              COUNT(f.path) AS file_count, COALESCE(SUM(LENGTH(f.body)), 0) AS total_bytes
       FROM site_versions v LEFT JOIN site_files f ON f.site_id = v.site_id AND f.version = v.version
       WHERE v.site_id = ? GROUP BY v.version ORDER BY v.version DESC`,
    ).all(siteId) as Row[];
    return rows.map(toVersion);
  }

  async publish(orgId: string, siteId: string, version: number | null, now: string): Promise<SiteRecord | null> {
    return this.transaction(() => {
      const site = this.stmt('SELECT latest_version FROM sites WHERE id = ? AND org_id = ?').get(siteId, orgId) as Row | undefined;
      if (!site) return null;
      const target = version ?? Number(site.latest_version);
      const exists = this.stmt('SELECT 1 AS ok FROM site_versions WHERE site_id = ? AND version = ?').get(siteId, target);
      if (!exists) return null;
      this.stmt('UPDATE sites SET live_version = ?, updated_at = ? WHERE id = ?').run(target, now, siteId);
      return this.siteById(siteId);
    });
  }

  async renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    return this.transaction(() => {
      const site = this.stmt('SELECT slug FROM sites WHERE id = ? AND org_id = ?').get(siteId, orgId) as Row | undefined;
      if (!site) return null;
      if (site.slug === slug) return this.siteById(siteId);
      if (this.stmt('SELECT 1 AS taken FROM sites WHERE slug = ?').get(slug)) {
        throw slugTakenOnRename(slug);
      }
      this.stmt('UPDATE sites SET slug = ?, updated_at = ? WHERE id = ?').run(slug, now, siteId);
      return this.siteById(siteId);
    });
  }

  async deleteSite(orgId: string, siteId: string): Promise<boolean> {
    // Foreign keys cascade to versions, files and submissions.
    const result = this.stmt('DELETE FROM sites WHERE id = ? AND org_id = ?').run(siteId, orgId);
    return Number(result.changes) === 1;
  }

  async addSubmission(input: { id: string; siteId: string; data: Record<string, unknown>; ipAddress: string | null; now: string }): Promise<void> {
    this.transaction(() => {
      const row = this.stmt(
        'UPDATE sites SET submission_seq = submission_seq + 1, submission_count = submission_count + 1 WHERE id = ? RETURNING submission_seq',
      ).get(input.siteId) as Row | undefined;
      if (!row) throw formSiteGone();
      this.stmt('INSERT INTO submissions (id, site_id, seq, data, ip_address, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        input.id,
        input.siteId,
        Number(row.submission_seq),
        JSON.stringify(input.data),
        input.ipAddress,
        input.now,
      );
    });
  }

  async listSubmissions(
    orgId: string,
    siteId: string,
    options: { page: number; limit: number },
  ): Promise<{ items: SubmissionRecord[]; total: number } | null> {
    const site = this.stmt('SELECT submission_count, submission_seq FROM sites WHERE id = ? AND org_id = ?').get(siteId, orgId) as
      | Row
      | undefined;
    if (!site) return null;
    const total = Number(site.submission_count);
    const rank = (options.page - 1) * options.limit + 1;
    if (rank > total) return { items: [], total };
    const countGaps = this.stmt('SELECT COUNT(*) AS n FROM submission_gaps WHERE site_id = ? AND seq >= ?');
    const top = await seqAtRank(Number(site.submission_seq), rank, (seq) => Number((countGaps.get(siteId, seq) as Row).n));
    const rows = this.stmt(
      `SELECT id, site_id, data, ip_address, created_at FROM submissions WHERE site_id = ? AND seq <= ?
       ORDER BY seq DESC LIMIT ?`,
    ).all(siteId, top, options.limit) as Row[];
    return { items: rows.map(toSubmission), total };
  }

  async *eachSubmission(orgId: string, siteId: string): AsyncIterable<SubmissionRecord> {
    if (!(await this.getSite(orgId, siteId))) return;
    let after = 0;
    for (;;) {
      const rows = this.stmt(
        'SELECT id, site_id, seq, data, ip_address, created_at FROM submissions WHERE site_id = ? AND seq > ? ORDER BY seq LIMIT 500',
      ).all(siteId, after) as Row[];
      if (rows.length === 0) return;
      for (const row of rows) yield toSubmission(row);
      after = Number((rows[rows.length - 1] as Row).seq);
    }
  }

  async deleteSubmission(orgId: string, siteId: string, submissionId: string): Promise<boolean> {
    return this.transaction(() => {
      const owned = this.stmt('SELECT 1 AS ok FROM sites WHERE id = ? AND org_id = ?').get(siteId, orgId);
      if (!owned) return false;
      const row = this.stmt('DELETE FROM submissions WHERE id = ? AND site_id = ? RETURNING seq').get(submissionId, siteId) as
        | Row
        | undefined;
      if (!row) return false;
      this.stmt('INSERT INTO submission_gaps (site_id, seq) VALUES (?, ?)').run(siteId, Number(row.seq));
      this.stmt('UPDATE sites SET submission_count = submission_count - 1 WHERE id = ?').run(siteId);
      return true;
    });
  }

  async findSiteById(siteId: string): Promise<SiteRecord | null> {
    return this.siteById(siteId);
  }

  async findSiteBySlug(slug: string): Promise<SiteRecord | null> {
    const row = this.stmt(`${SITE_SELECT} WHERE s.slug = ?`).get(slug) as Row | undefined;
    return row ? toSite(row) : null;
  }

  async findHosted(slug: string, previewToken: string | null): Promise<HostedLookup | null> {
    const site = await this.findSiteBySlug(slug);
    if (!site) return null;
    if (previewToken === null) return site.liveVersion === null ? null : { site, version: site.liveVersion };
    const v = this.stmt('SELECT version FROM site_versions WHERE site_id = ? AND preview_token = ?').get(
      site.id,
      previewToken,
    ) as Row | undefined;
    return v ? { site, version: Number(v.version) } : null;
  }

  async getFile(siteId: string, version: number, path: string): Promise<StoredFile | null> {
    const row = this.stmt(
      'SELECT path, content_type, etag, body FROM site_files WHERE site_id = ? AND version = ? AND path = ?',
    ).get(siteId, version, path) as Row | undefined;
    if (!row) return null;
    return {
      path: String(row.path),
      contentType: String(row.content_type),
      etag: String(row.etag),
      body: row.body as Uint8Array,
    };
  }

  async createDashboardSession(input: {
    id: string;
    tokenHash: string;
    userId: string;
    orgId: string;
    csrfToken: string;
    now: string;
    expiresAt: string;
  }): Promise<void> {
    this.stmt('DELETE FROM dashboard_sessions WHERE expires_at < ?').run(input.now);
    this.stmt(
      `INSERT INTO dashboard_sessions (id, token_hash, user_id, org_id, csrf_token, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(input.id, input.tokenHash, input.userId, input.orgId, input.csrfToken, input.now, input.expiresAt);
  }

  async findDashboardSession(tokenHash: string, now: string): Promise<DashboardSessionRecord | null> {
    const row = this.stmt(
      `SELECT s.id, s.user_id, u.email, s.org_id, s.csrf_token, s.expires_at
       FROM dashboard_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    ).get(tokenHash, now) as Row | undefined;
    return row ? toDashboardSession(row) : null;
  }

  async setDashboardSessionOrg(id: string, orgId: string): Promise<void> {
    this.stmt('UPDATE dashboard_sessions SET org_id = ? WHERE id = ?').run(orgId, id);
  }

  async deleteDashboardSession(id: string): Promise<void> {
    this.stmt('DELETE FROM dashboard_sessions WHERE id = ?').run(id);
  }

  async listOrgsForUser(userId: string): Promise<OrgRecord[]> {
    const tops = this.stmt(
      'SELECT id, name, parent_id, created_at FROM orgs WHERE parent_id IS NULL AND owner_user_id = ? ORDER BY rowid',
    ).all(userId) as Row[];
    const out: OrgRecord[] = [];
    for (const top of tops) {
      out.push(toOrg(top));
      out.push(...(await this.listSubOrgs(String(top.id))));
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already accepted are committed, not dropped, by a graceful shutdown.
    while (this.pendingWrites.length > 0) this.commitPendingWrites();
    this.closed = true;
    this.db.close();
  }
}
