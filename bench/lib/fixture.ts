// A large store built fast: node:sqlite writing straight into the schema of
// src/store/migrations/sqlite.ts, in one transaction with synchronous=OFF (a fixture, not data
// anyone needs to survive a crash). The schema itself comes from `admin create-key`, which also
// makes the user, org and key the benchmark authenticates with.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export interface Fixture {
  orgId: string;
  submissionSiteId: string;
  sites: number;
  submissions: number;
  /** next_cursor of the page before the last one of GET /deploys?limit={pageSize}. */
  lastPageCursor: string;
  lastPageSize: number;
  fillMs: number;
}

const BASE = Date.parse('2025-01-01T00:00:00.000Z');
const id = (prefix: string, n: number) => `${prefix}_${n.toString(36).padStart(16, '0')}`;

export function fillStore(dataDir: string, counts: { sites: number; submissions: number; pageSize: number }): Fixture {
  const started = Date.now();
  const db = new DatabaseSync(join(dataDir, 'invoker.db'));
  try {
    db.exec('PRAGMA synchronous = OFF');
    // The org of the key admin create-key made; not just any org: the store also holds the
    // anonymous sites' org, which sorts before or after it by the random id.
    const org = db.prepare('SELECT org_id AS id FROM api_keys LIMIT 1').get() as { id: string } | undefined;
    if (!org) throw new Error('no org in the fixture store: run admin create-key first');
    const insertSite = db.prepare(
      `INSERT INTO sites (id, org_id, slug, latest_version, live_version, submission_count, created_at, updated_at)
       VALUES (?, ?, ?, 1, 1, ?, ?, ?)`,
    );
    const insertVersion = db.prepare(
      'INSERT INTO site_versions (site_id, version, preview_token, title, description, favicon, is_spa, created_at) VALUES (?, 1, ?, ?, NULL, NULL, 0, ?)',
    );
    const insertSubmission = db.prepare('INSERT INTO submissions (id, site_id, seq, data, ip_address, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    db.exec('BEGIN');
    // The form site is the oldest, so the site listing's last page holds it.
    const submissionSiteId = id('dep', 0);
    const at0 = new Date(BASE).toISOString();
    insertSite.run(submissionSiteId, org.id, 'bench-form', counts.submissions, at0, at0);
    insertVersion.run(submissionSiteId, 'tok0000000000000000', 'Form', at0);
    for (let i = 1; i < counts.sites; i++) {
      const at = new Date(BASE + i * 1000).toISOString();
      const siteId = id('dep', i);
      insertSite.run(siteId, org.id, `site-${i}`, 0, at, at);
      insertVersion.run(siteId, `tok${i.toString(36).padStart(16, '0')}`, `Site ${i}`, at);
    }
    const data = JSON.stringify({ email: 'someone@example.com', name: 'Someone', message: 'Hello from the benchmark fixture.' });
    for (let i = 0; i < counts.submissions; i++) {
      insertSubmission.run(id('sub', i), submissionSiteId, i + 1, data, '127.0.0.1', new Date(BASE + i * 10).toISOString());
    }
    // Submissions are numbered per site; the site remembers the last number it gave out.
    db.prepare('UPDATE sites SET submission_seq = ? WHERE id = ?').run(counts.submissions, submissionSiteId);
    db.exec('COMMIT');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');

    // The cursor a client holds after walking to the page before the last: the last item of that page.
    const total = (db.prepare('SELECT COUNT(*) AS n FROM sites WHERE org_id = ?').get(org.id) as { n: number }).n;
    const lastPageStart = Math.floor((total - 1) / counts.pageSize) * counts.pageSize;
    // Sites list in creation (rowid) order, newest first; the cursor is the last rowid seen.
    const before = db
      .prepare('SELECT rowid AS seq FROM sites WHERE org_id = ? ORDER BY rowid DESC LIMIT 1 OFFSET ?')
      .get(org.id, lastPageStart - 1) as { seq: number };
    return {
      orgId: org.id,
      submissionSiteId,
      sites: total,
      submissions: counts.submissions,
      lastPageCursor: Buffer.from(JSON.stringify([before.seq])).toString('base64url'),
      lastPageSize: total - lastPageStart,
      fillMs: Date.now() - started,
    };
  } finally {
    db.close();
  }
}
