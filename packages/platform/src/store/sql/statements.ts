// Every statement the stores run on their tables, once, for both backends (see dialect.ts), by table.
// Both schemas have the same tables and columns (migrations/), so one text serves both but for the
// few differences a Dialect names. A new statement is added here only; the operations in
// ../operations/ use it, and test/store-sql.test.ts prepares it on both backends.
import { sql, type Dialect } from './dialect.js';
import { HOLDER_COLUMNS, hooksFlag } from './fragments.js';

export const schemaMigrations = {
  create: sql('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'),
  applied: sql('SELECT id FROM schema_migrations'),
  record: sql('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)'),
};

export const users = {
  /** Returns the row only when it was inserted: an existing email inserts nothing. */
  insertIfNew: sql('INSERT INTO users (id, email, created_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id, email, created_at'),
  byEmail: sql((d) => `SELECT id, email, created_at FROM users WHERE email = ?${d.forUpdate}`),
};

const ORG_COLUMNS = 'id, name, parent_id, created_at';

export const orgs = {
  insert: sql('INSERT INTO orgs (id, name, parent_id, owner_user_id, created_at) VALUES (?, ?, ?, ?, ?)'),
  byId: sql(`SELECT ${ORG_COLUMNS} FROM orgs WHERE id = ?`),
  /** The user's first top-level org. */
  personal: sql((d) => `SELECT ${ORG_COLUMNS} FROM orgs WHERE owner_user_id = ? AND parent_id IS NULL ORDER BY ${d.seq} LIMIT 1`),
  children: sql((d) => `SELECT ${ORG_COLUMNS} FROM orgs WHERE parent_id = ? ORDER BY ${d.seq}`),
  /** Each top-level org the user owns followed by its sub-orgs, both in creation order. */
  forUser: sql(
    (d) => `
SELECT o.id, o.name, o.parent_id, o.created_at
FROM orgs o LEFT JOIN orgs top ON top.id = o.parent_id
WHERE (o.parent_id IS NULL AND o.owner_user_id = ?) OR (top.parent_id IS NULL AND top.owner_user_id = ?)
ORDER BY COALESCE(top.${d.seq}, o.${d.seq}), o.parent_id IS NOT NULL, o.${d.seq}`,
  ),
  /** Foreign keys cascade to the org's keys, sites, versions and files. */
  deleteChild: sql('DELETE FROM orgs WHERE id = ? AND parent_id = ?'),
};

export const apiKeys = {
  insert: sql('INSERT INTO api_keys (id, org_id, user_id, name, key_hash, preview, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  /** The live key with this hash, with its user and org (see toPrincipal). */
  principal: sql(`
SELECT k.id, k.org_id, k.user_id, k.name, k.preview, k.created_at, k.last_used_at,
       u.email, u.created_at AS user_created_at,
       o.name AS org_name, o.parent_id, o.created_at AS org_created_at
FROM api_keys k JOIN users u ON u.id = k.user_id JOIN orgs o ON o.id = k.org_id
WHERE k.key_hash = ? AND k.revoked_at IS NULL`),
  touch: sql('UPDATE api_keys SET last_used_at = ? WHERE id = ?'),
  liveOfOrg: sql(
    (d) => `SELECT id, org_id, user_id, name, preview, created_at, last_used_at FROM api_keys WHERE org_id = ? AND revoked_at IS NULL ORDER BY ${d.seq}`,
  ),
  revokeOfOrg: sql('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL'),
  revoke: sql('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
};

/** A site with its newest version's metadata, as toSite reads it (and `also`, columns of a join); seq orders listings. */
const SITE_SELECT = (d: Dialect, also = '') => `
SELECT s.${d.seq} AS seq, s.id, s.org_id, s.slug, s.latest_version, s.live_version, s.submission_count, s.created_at, s.updated_at, s.expires_at,
       v.preview_token, v.title, v.description, v.favicon, v.is_spa${also}
FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version`;

export const sites = {
  byId: sql((d) => `${SITE_SELECT(d)} WHERE s.id = ?`),
  ofOrg: sql((d) => `${SITE_SELECT(d)} WHERE s.id = ? AND s.org_id = ?`),
  bySlug: sql((d) => `${SITE_SELECT(d)} WHERE s.slug = ?`),
  // Creation order is seq's order: timestamps tie within a millisecond, random ids never sort.
  firstPage: sql((d) => `${SITE_SELECT(d)} WHERE s.org_id = ? ORDER BY s.${d.seq} DESC LIMIT ?`),
  pageBefore: sql((d) => `${SITE_SELECT(d)} WHERE s.org_id = ? AND s.${d.seq} < ? ORDER BY s.${d.seq} DESC LIMIT ?`),
  /** The slug's holder (HOLDER_COLUMNS); locked, so one site's versions are numbered one at a time. */
  holder: sql(
    (d) => `
SELECT ${HOLDER_COLUMNS.map((c) => `${c.sql} AS ${c.name}`).join(', ')}
FROM sites s JOIN site_versions v ON v.site_id = s.id AND v.version = s.latest_version WHERE s.slug = ?${d.forUpdate}`,
  ),
  slugTaken: sql('SELECT 1 AS taken FROM sites WHERE slug = ?'),
  slugOfOrg: sql((d) => `SELECT slug FROM sites WHERE id = ? AND org_id = ?${d.forUpdate}`),
  latestOfOrg: sql((d) => `SELECT latest_version FROM sites WHERE id = ? AND org_id = ?${d.forUpdate}`),
  ownedByOrg: sql((d) => `SELECT 1 AS ok FROM sites WHERE id = ? AND org_id = ?${d.forUpdate}`),
  countOfOrg: sql('SELECT COUNT(*) AS n FROM sites WHERE org_id = ?'),
  /** With live_version 1 when the first version is published at once, else NULL; expires_at NULL but for anonymous sites. */
  insert: sql('INSERT INTO sites (id, org_id, slug, latest_version, live_version, created_at, updated_at, expires_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)'),
  /** A new newest version, live too when the third parameter is set (NULL keeps the live one). */
  setLatest: sql('UPDATE sites SET latest_version = ?, updated_at = ?, live_version = COALESCE(?, live_version) WHERE id = ?'),
  publish: sql('UPDATE sites SET live_version = ?, updated_at = ? WHERE id = ?'),
  rename: sql('UPDATE sites SET slug = ?, updated_at = ? WHERE id = ?'),
  /** Anonymous sites past their expiry, oldest first (parameters: now, how many). */
  expired: sql('SELECT id, slug FROM sites WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?'),
  /** One expired site, only while it still is (a claim may have ended its expiry). Parameters: id, now. */
  deleteExpired: sql('DELETE FROM sites WHERE id = ? AND expires_at IS NOT NULL AND expires_at <= ? RETURNING slug'),
  /** A claimed anonymous site moves into the claiming org, with no expiry. Parameters: org, now, id. */
  claim: sql('UPDATE sites SET org_id = ?, expires_at = NULL, updated_at = ? WHERE id = ?'),
  /** Foreign keys cascade to versions, files and submissions. */
  deleteOfOrg: sql('DELETE FROM sites WHERE id = ? AND org_id = ? RETURNING slug'),
  /**
   * The row lock hands out submission numbers one at a time. hooks (1/0): whether a webhook of the
   * site hears the event (second parameter, from listeningPattern), so a submission nobody listens to
   * asks nothing more before its COMMIT (on PostgreSQL one round trip less), as sites.holder does.
   */
  nextSubmission: sql(
    `UPDATE sites SET submission_seq = submission_seq + 1, submission_count = submission_count + 1 WHERE id = ?
RETURNING submission_seq, ${hooksFlag('sites.id', '?')} AS hooks`,
  ),
  submissionCounters: sql('SELECT submission_count, submission_seq FROM sites WHERE id = ? AND org_id = ?'),
  submissionDeleted: sql('UPDATE sites SET submission_count = submission_count - 1 WHERE id = ?'),
};

/** Anonymous sites' claims (SPEC section 14): the token by hash only; claimed once. */
export const anonymousSites = {
  insert: sql('INSERT INTO anonymous_sites (site_id, claim_token_hash, ip_address, created_at) VALUES (?, ?, ?, ?)'),
  /** The claim of a site, with the site's expiry (NULL once claimed). */
  ofSite: sql('SELECT a.site_id, a.claim_token_hash, a.claimed_at, s.expires_at FROM anonymous_sites a JOIN sites s ON s.id = a.site_id WHERE a.site_id = ?'),
  /**
   * The claim, for exactly one caller: the right token, not claimed yet, the site not expired.
   * Parameters: claimed_at, org, site, token hash, now.
   */
  claim: sql(`
UPDATE anonymous_sites SET claimed_at = ?, claimed_org_id = ?
WHERE site_id = ? AND claim_token_hash = ? AND claimed_at IS NULL
  AND EXISTS (SELECT 1 FROM sites s WHERE s.id = anonymous_sites.site_id AND s.expires_at > ?)`),
};

export const versions = {
  insert: sql(`
INSERT INTO site_versions (site_id, version, preview_token, title, description, favicon, is_spa, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
  exists: sql('SELECT 1 AS ok FROM site_versions WHERE site_id = ? AND version = ?'),
  byPreviewToken: sql('SELECT version FROM site_versions WHERE site_id = ? AND preview_token = ?'),
  /** Newest first, each with its file count and total bytes (toVersion). */
  withSizes: sql(`
SELECT v.version, v.preview_token, v.title, v.description, v.favicon, v.is_spa, v.created_at,
       COUNT(f.path) AS file_count, COALESCE(SUM(LENGTH(f.body)), 0) AS total_bytes
FROM site_versions v LEFT JOIN site_files f ON f.site_id = v.site_id AND f.version = v.version
WHERE v.site_id = ? GROUP BY v.site_id, v.version ORDER BY v.version DESC`),
};

export const files = {
  /** One row; a deploy's files go through rows(), which sends them together. */
  insert: sql('INSERT INTO site_files (site_id, version, path, content_type, etag, body) VALUES (?, ?, ?, ?, ?, ?)'),
  get: sql('SELECT path, content_type, etag, body FROM site_files WHERE site_id = ? AND version = ? AND path = ?'),
};

/** Uploaded bytes kept beside a file whose stored body differs (see StoredFile.source). */
export const fileSources = {
  /** One row; a deploy's sources go through rows(), like its files. */
  insert: sql('INSERT INTO site_file_sources (site_id, version, path, body) VALUES (?, ?, ?, ?)'),
  ofVersion: sql(`
SELECT f.path, f.content_type, COALESCE(s.body, f.body) AS body
FROM site_files f LEFT JOIN site_file_sources s ON s.site_id = f.site_id AND s.version = f.version AND s.path = f.path
WHERE f.site_id = ? AND f.version = ? ORDER BY f.path`),
};

const SUBMISSION_COLUMNS = 'id, site_id, seq, data, ip_address, created_at';

export const submissions = {
  insert: sql('INSERT INTO submissions (id, site_id, seq, data, ip_address, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
  /** A page, newest first, from a seq found by seqAtRank. */
  pageFrom: sql(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE site_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ?`),
  /** An export batch, oldest first. */
  batchAfter: sql(`SELECT ${SUBMISSION_COLUMNS} FROM submissions WHERE site_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
  delete: sql('DELETE FROM submissions WHERE id = ? AND site_id = ? RETURNING seq'),
  insertGap: sql('INSERT INTO submission_gaps (site_id, seq) VALUES (?, ?)'),
  gapsFrom: sql('SELECT COUNT(*) AS n FROM submission_gaps WHERE site_id = ? AND seq >= ?'),
  /** Counts per UTC day (the ISO timestamp's date) since a time, for the dashboard's chart. */
  perDaySince: sql('SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM submissions WHERE site_id = ? AND created_at >= ? GROUP BY substr(created_at, 1, 10)'),
};

const LOGIN_SESSION_SELECT = `
SELECT id, client_name, status, email, code_hash, failed_attempts, user_id, org_id, last_polled_at, created_at, expires_at
FROM login_sessions`;

// Every transition is one conditional UPDATE, so two instances racing on one session (two polls, a
// verify and a poll) change it at most once.
export const loginSessions = {
  insert: sql(`
INSERT INTO login_sessions (id, secret_hash, user_code_hash, client_name, status, created_at, expires_at)
VALUES (?, ?, ?, ?, 'pending', ?, ?)`),
  byId: sql(`${LOGIN_SESSION_SELECT} WHERE id = ?`),
  bySecretHash: sql(`${LOGIN_SESSION_SELECT} WHERE secret_hash = ?`),
  byUserCodeHash: sql(`${LOGIN_SESSION_SELECT} WHERE user_code_hash = ?`),
  setCode: sql("UPDATE login_sessions SET email = ?, code_hash = ? WHERE id = ? AND status = 'pending'"),
  /** Parameters: maxAttempts, maxAttempts, id. */
  codeFailed: sql(`
UPDATE login_sessions SET failed_attempts = failed_attempts + 1,
  status = CASE WHEN failed_attempts + 1 >= ? THEN 'failed' ELSE status END,
  code_hash = CASE WHEN failed_attempts + 1 >= ? THEN NULL ELSE code_hash END
WHERE id = ? AND status = 'pending'`),
  verify: sql("UPDATE login_sessions SET status = 'verified', code_hash = NULL, user_id = ?, org_id = ? WHERE id = ? AND status = 'pending'"),
  polled: sql('UPDATE login_sessions SET last_polled_at = ? WHERE id = ?'),
  consume: sql("UPDATE login_sessions SET status = 'consumed' WHERE id = ? AND status = 'verified'"),
  deleteExpired: sql('DELETE FROM login_sessions WHERE expires_at < ?'),
};

export const dashboardSessions = {
  deleteExpired: sql('DELETE FROM dashboard_sessions WHERE expires_at < ?'),
  insert: sql(`
INSERT INTO dashboard_sessions (id, token_hash, user_id, org_id, csrf_token, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`),
  /** The unexpired session with this token hash, with its user's email. */
  live: sql(`
SELECT s.id, s.user_id, u.email, s.org_id, s.csrf_token, s.expires_at
FROM dashboard_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`),
  setOrg: sql('UPDATE dashboard_sessions SET org_id = ? WHERE id = ?'),
  delete: sql('DELETE FROM dashboard_sessions WHERE id = ?'),
};

// The OAuth authorization server (oauth-records.ts). Every transition is one conditional UPDATE,
// so two instances racing on one code or one refresh token change it at most once.
const OAUTH_CONSENT = 'client_id, client_name, client_kind, user_id, org_id, scopes, resource';

export const oauthClients = {
  insert: sql('INSERT INTO oauth_clients (id, name, redirect_uris, created_at) VALUES (?, ?, ?, ?)'),
  byId: sql('SELECT id, name, redirect_uris, created_at, last_used_at FROM oauth_clients WHERE id = ?'),
  deleteUnused: sql('DELETE FROM oauth_clients WHERE last_used_at IS NULL AND created_at < ?'),
  touch: sql('UPDATE oauth_clients SET last_used_at = ? WHERE id = ?'),
};

export const oauthCodes = {
  insert: sql(`
INSERT INTO oauth_codes (code_hash, ${OAUTH_CONSENT}, redirect_uri, code_challenge, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  byHash: sql((d) => `SELECT ${OAUTH_CONSENT}, redirect_uri, code_challenge, expires_at, used_at, grant_id FROM oauth_codes WHERE code_hash = ?${d.forUpdate}`),
  use: sql('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL'),
  setGrant: sql('UPDATE oauth_codes SET grant_id = ? WHERE code_hash = ?'),
  deleteExpired: sql('DELETE FROM oauth_codes WHERE expires_at < ?'),
};

const GRANT_SELECT = `
SELECT g.id, g.client_id, g.client_name, g.client_kind, g.user_id, g.org_id, g.scopes, g.resource,
       g.created_at, g.last_used_at, g.revoked_at, o.name AS org_name
FROM oauth_grants g JOIN orgs o ON o.id = g.org_id`;

export const oauthGrants = {
  insert: sql(`INSERT INTO oauth_grants (id, ${OAUTH_CONSENT}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  liveOfUser: sql(`${GRANT_SELECT} WHERE g.user_id = ? AND g.revoked_at IS NULL ORDER BY g.created_at DESC, g.id`),
  revoke: sql('UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
  revokeOfUser: sql('UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL'),
  touch: sql('UPDATE oauth_grants SET last_used_at = ? WHERE id = ?'),
};

export const oauthTokens = {
  insert: sql('INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at) VALUES (?, ?, ?, ?)'),
  /** The token with its grant (live or not: the service tells them apart) and the grant's user and org. */
  lookup: sql(`
SELECT t.kind AS token_kind, t.expires_at AS token_expires_at, t.rotated_at,
       g.id, g.client_id, g.client_name, g.client_kind, g.user_id, g.org_id, g.scopes, g.resource,
       g.created_at, g.last_used_at, g.revoked_at, o.name AS org_name, o.parent_id, o.created_at AS org_created_at,
       u.email, u.created_at AS user_created_at
FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id JOIN orgs o ON o.id = g.org_id JOIN users u ON u.id = g.user_id
WHERE t.token_hash = ?`),
  rotate: sql("UPDATE oauth_tokens SET rotated_at = ? WHERE token_hash = ? AND grant_id = ? AND kind = 'refresh' AND rotated_at IS NULL"),
  deleteExpired: sql('DELETE FROM oauth_tokens WHERE expires_at < ?'),
};

// Forms people rely on (SPEC section 13): settings, webhooks and their outbox, uploads, mail,
// proof of work, retention.

const FORM_SETTINGS_COLUMNS = 'site_id, notify, accept_uploads, form_protection, retention_days, notified_seq, notified_at, updated_at';

export const formSettings = {
  bySite: sql(`SELECT ${FORM_SETTINGS_COLUMNS} FROM form_settings WHERE site_id = ?`),
  /** Parameters: site, notify, uploads, protection, retention, updated_at. Turning notify on starts from the newest submission: no mail for the past. */
  upsert: sql(`
INSERT INTO form_settings (site_id, notify, accept_uploads, form_protection, retention_days, notified_seq, updated_at)
VALUES (?, ?, ?, ?, ?, (SELECT submission_seq FROM sites WHERE id = ?), ?)
ON CONFLICT (site_id) DO UPDATE SET
  notified_seq = CASE WHEN form_settings.notify = 0 AND excluded.notify = 1 THEN excluded.notified_seq ELSE form_settings.notified_seq END,
  notify = excluded.notify, accept_uploads = excluded.accept_uploads, form_protection = excluded.form_protection,
  retention_days = excluded.retention_days, updated_at = excluded.updated_at`),
  /** Sites with unmailed submissions whose last mail is older than the interval (parameter: the cutoff). */
  notifyDue: sql(`
SELECT f.site_id, f.notified_seq, s.submission_seq, s.slug, s.org_id, u.email AS owner_email
FROM form_settings f JOIN sites s ON s.id = f.site_id JOIN orgs o ON o.id = s.org_id JOIN users u ON u.id = o.owner_user_id
WHERE f.notify = 1 AND s.submission_seq > f.notified_seq AND (f.notified_at IS NULL OR f.notified_at <= ?)
LIMIT 50`),
  /** Claims one site's batch: exactly one instance moves notified_seq on. Parameters: new seq, now, site, old seq. */
  claimNotify: sql('UPDATE form_settings SET notified_seq = ?, notified_at = ? WHERE site_id = ? AND notified_seq = ?'),
  withRetention: sql('SELECT site_id, retention_days FROM form_settings WHERE retention_days IS NOT NULL'),
};

export const notifyRecipients = {
  ofSite: sql('SELECT email, confirmed_at, created_at FROM notify_recipients WHERE site_id = ? ORDER BY email'),
  insertIfNew: sql('INSERT INTO notify_recipients (site_id, email, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (site_id, email) DO NOTHING'),
  deleteOne: sql('DELETE FROM notify_recipients WHERE site_id = ? AND email = ?'),
  confirm: sql('UPDATE notify_recipients SET confirmed_at = ? WHERE token_hash = ? AND confirmed_at IS NULL RETURNING site_id, email'),
  byToken: sql('SELECT site_id, email, confirmed_at FROM notify_recipients WHERE token_hash = ?'),
  confirmedOfSite: sql('SELECT email FROM notify_recipients WHERE site_id = ? AND confirmed_at IS NOT NULL ORDER BY email'),
};

const WEBHOOK_COLUMNS = 'id, site_id, url, type, events, created_at';

export const webhooks = {
  insert: sql('INSERT INTO webhooks (id, site_id, url, type, events, secret_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  ofSite: sql((d) => `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE site_id = ? ORDER BY ${d.seq}`),
  one: sql(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ? AND site_id = ?`),
  delete: sql('DELETE FROM webhooks WHERE id = ? AND site_id = ?'),
  /** Who hears an event of the site; the second parameter is listeningPattern(type). */
  /** The site's webhooks that hear an event (the pattern from listeningPattern). */
  listening: sql('SELECT id AS hook_id, url AS hook_url, type AS hook_type, secret_sealed AS hook_secret_sealed FROM webhooks WHERE site_id = ? AND events LIKE ?'),
  /**
   * The same listeners each with the site as toSite reads it (the event's body is made from it): one
   * read instead of two, so a hooked submission on PostgreSQL waits for no more round trips than one
   * without. The hook's columns are named as in `listening`, apart from the site's.
   */
  listeningWithSite: sql(
    (d) => `${SITE_SELECT(d, ', w.id AS hook_id, w.url AS hook_url, w.type AS hook_type, w.secret_sealed AS hook_secret_sealed')}
JOIN webhooks w ON w.site_id = s.id WHERE s.id = ? AND w.events LIKE ?`,
  ),
  countOfSite: sql('SELECT COUNT(*) AS n FROM webhooks WHERE site_id = ?'),
};

const DELIVERY_COLUMNS = 'id, webhook_id, site_id, event_type, url, type, secret_sealed, body, status, attempts, next_attempt_at, created_at, finished_at';

export const deliveries = {
  insert: sql(`
INSERT INTO webhook_deliveries (id, webhook_id, site_id, event_type, url, type, secret_sealed, body, status, attempts, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`),
  /**
   * Leases up to n due deliveries to one worker. PostgreSQL skips rows another instance's claim
   * holds, so two instances never take the same one; a lease that outlives a dead worker lapses.
   * Parameters: lease_until, token, now, now, n.
   */
  claim: sql(
    (d) => `
UPDATE webhook_deliveries SET lease_until = ?, lease_token = ?
WHERE id IN (
  SELECT id FROM webhook_deliveries
  WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
  ORDER BY next_attempt_at LIMIT ?${d.skipLocked})
RETURNING ${DELIVERY_COLUMNS}`,
  ),
  /** An attempt's outcome, only by the worker still holding the lease. Parameters: status, attempts, next, finished, id, token. */
  finish: sql(`
UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, finished_at = ?, lease_until = NULL, lease_token = NULL
WHERE id = ? AND lease_token = ?`),
  /** One process owns a SQLite data dir: leases left by a process that died are its own. */
  releaseAll: sql('UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL WHERE lease_token IS NOT NULL'),
  ofWebhook: sql((d) => `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? ORDER BY ${d.seq} DESC LIMIT ?`),
  deleteOfWebhook: sql('DELETE FROM webhook_deliveries WHERE webhook_id = ?'),
  deleteFinishedBefore: sql('DELETE FROM webhook_deliveries WHERE finished_at < ?'),
  pendingCount: sql("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'"),
};

export const attempts = {
  insert: sql('INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, duration_ms, error, excerpt) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  ofDelivery: sql('SELECT delivery_id, attempt, started_at, status_code, duration_ms, error, excerpt FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt'),
  /** The newest attempts of a webhook's deliveries (for list_webhooks' last failures). */
  latestOfWebhook: sql(`
SELECT a.delivery_id, a.attempt, a.started_at, a.status_code, a.duration_ms, a.error, a.excerpt
FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
WHERE d.webhook_id = ? ORDER BY a.started_at DESC, a.attempt DESC LIMIT ?`),
};

const UPLOAD_COLUMNS = 'id, site_id, submission_id, field, filename, content_type, size, created_at';

export const uploads = {
  /** One row per file; a submission's files go through rows(). */
  insert: sql('INSERT INTO submission_files (id, site_id, submission_id, field, filename, content_type, size, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  bytesOfSite: sql('SELECT COALESCE(SUM(size), 0) AS n FROM submission_files WHERE site_id = ?'),
  one: sql(`SELECT ${UPLOAD_COLUMNS}, body FROM submission_files WHERE id = ? AND submission_id = ? AND site_id = ?`),
};

export const retention = {
  /** Parameters: site, cutoff. Files go with them (foreign key). */
  deleteExpired: sql('DELETE FROM submissions WHERE site_id = ? AND created_at < ? RETURNING seq'),
  /** Parameters: how many, site. */
  countDown: sql('UPDATE sites SET submission_count = submission_count - ? WHERE id = ?'),
};

export const powSpent = {
  /** One row per challenge: the second use of a solution inserts nothing. */
  spend: sql('INSERT INTO pow_spent (challenge, expires_at) VALUES (?, ?) ON CONFLICT (challenge) DO NOTHING'),
  deleteExpired: sql('DELETE FROM pow_spent WHERE expires_at < ?'),
};

// Custom domains (SPEC section 15). A domain may be pending on several sites at once; one row per
// domain at most is verified (the partial unique index), and that row's site is what the name serves.
const DOMAIN_COLUMNS = 'site_id, domain, token, created_at, verified_at, verified_by';

export const domains = {
  /** An existing (site, domain) inserts nothing. */
  insertIfNew: sql('INSERT INTO site_domains (site_id, domain, token, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (site_id, domain) DO NOTHING'),
  one: sql(`SELECT ${DOMAIN_COLUMNS} FROM site_domains WHERE site_id = ? AND domain = ?`),
  ofSite: sql(`SELECT ${DOMAIN_COLUMNS} FROM site_domains WHERE site_id = ? ORDER BY domain`),
  countOfSite: sql('SELECT COUNT(*) AS n FROM site_domains WHERE site_id = ?'),
  /** The site holding the domain, verified, with its org. */
  holder: sql('SELECT d.site_id, s.org_id FROM site_domains d JOIN sites s ON s.id = d.site_id WHERE d.domain = ? AND d.verified_at IS NOT NULL'),
  /** Parameters: verified_at, verified_by, site, domain. */
  verify: sql('UPDATE site_domains SET verified_at = ?, verified_by = ? WHERE site_id = ? AND domain = ? AND verified_at IS NULL'),
  delete: sql('DELETE FROM site_domains WHERE site_id = ? AND domain = ?'),
  /** Whether some site waits for this domain with this token (the platform answers it on the domain). */
  pendingToken: sql('SELECT 1 AS ok FROM site_domains WHERE domain = ? AND token = ? AND verified_at IS NULL'),
  /** The site a verified domain serves, as toSite reads it. */
  hostedSite: sql((d) => `${SITE_SELECT(d)} JOIN site_domains dm ON dm.site_id = s.id WHERE dm.domain = ? AND dm.verified_at IS NOT NULL`),
};

// The hosted product's other features (SPEC section 14): counters, site passwords, social previews.

export const counters = {
  one: sql('SELECT value FROM site_counters WHERE site_id = ? AND name = ?'),
  /** Parameters: updated_at, site, name. One statement, so concurrent increments never lose one. */
  bump: sql('UPDATE site_counters SET value = value + 1, updated_at = ? WHERE site_id = ? AND name = ? RETURNING value'),
  /** A first increment (the site row locked and the count checked first). Parameters: site, name, created_at, updated_at. */
  create: sql(`
INSERT INTO site_counters (site_id, name, value, created_at, updated_at) VALUES (?, ?, 1, ?, ?)
ON CONFLICT (site_id, name) DO UPDATE SET value = site_counters.value + 1, updated_at = excluded.updated_at
RETURNING value`),
  /** Held while a new name is counted against the limit, so two new names cannot both pass it. */
  lockSite: sql((d) => `SELECT 1 AS ok FROM sites WHERE id = ?${d.forUpdate}`),
  countOfSite: sql('SELECT COUNT(*) AS n FROM site_counters WHERE site_id = ?'),
  ofSite: sql('SELECT name, value, created_at, updated_at FROM site_counters WHERE site_id = ? ORDER BY name'),
  /** Parameters: updated_at, site, name. */
  reset: sql('UPDATE site_counters SET value = 0, updated_at = ? WHERE site_id = ? AND name = ? RETURNING name, value, created_at, updated_at'),
  delete: sql('DELETE FROM site_counters WHERE site_id = ? AND name = ?'),
};

export const sitePasswords = {
  bySite: sql('SELECT hash, version FROM site_passwords WHERE site_id = ?'),
  /** Parameters: site, hash, updated_at. Every change moves the version on: earlier cookies stop opening the site. */
  set: sql(`
INSERT INTO site_passwords (site_id, hash, version, updated_at) VALUES (?, ?, 1, ?)
ON CONFLICT (site_id) DO UPDATE SET hash = excluded.hash, version = site_passwords.version + 1, updated_at = excluded.updated_at`),
  /** Parameters: updated_at, site. The row stays, its version counting on. */
  clear: sql('UPDATE site_passwords SET hash = NULL, version = version + 1, updated_at = ? WHERE site_id = ? AND hash IS NOT NULL'),
};

export const ogImages = {
  get: sql('SELECT png FROM og_images WHERE site_id = ? AND version = ?'),
  /** Two instances rendering at once: the first one kept wins, the same picture either way. */
  insert: sql('INSERT INTO og_images (site_id, version, png, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (site_id, version) DO NOTHING'),
};
