// The submissions service's chart data on a real SQLite store, with its clock passed in.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from 'invoker-mcp/contract/ids.js';
import { DEFAULT_LIMITS } from '../config.js';
import type { RateLimiter } from '../rate-limiter.js';
import { createServerSecret } from '../server-secret.js';
import { SqliteStore } from '../store/sqlite.js';
import { sitesService } from './sites.js';
import { submissionsService } from './submissions.js';
import { platformUrls } from './urls.js';

const stores: SqliteStore[] = [];
/** Nothing here posts a form: the limiter is never asked. */
const unlimited: RateLimiter = { limit: 1, windowSeconds: 60, hit: async () => ({ allowed: true, limit: 1, remaining: 1, resetSeconds: 60 }) };
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('submissions per day', () => {
  it('covers the last 30 UTC days, oldest first and today last, with 0 for quiet days', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'invoker-perday-')), 'invoker.db'));
    stores.push(store);
    const now = new Date('2026-12-02T00:30:00.000Z');
    const { org } = await store.ensureUser('chart@example.com', now.toISOString());
    const deps = { store, urls: platformUrls('http://localhost:8787', 'sites.test'), limits: structuredClone(DEFAULT_LIMITS), now: () => now, submissionLimiter: unlimited, secret: createServerSecret('submissions-test-secret-0123456789abcdef'), outbound: { allowPrivate: false } };
    const site = await sitesService(deps).deploy(org.id, { html: '<form></form>', slug: 'chart' });
    for (const at of ['2026-11-02T00:00:00.000Z', '2026-11-02T09:00:00.000Z', '2026-11-01T23:59:59.999Z', '2026-12-02T00:10:00.000Z']) {
      await store.addSubmission({ id: newId('sub'), siteId: site.id, data: {}, ipAddress: null, now: at });
    }
    const days = await submissionsService(deps).perDay(org.id, site.id);
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ day: '2026-11-03', count: 0 });
    expect(days[29]).toEqual({ day: '2026-12-02', count: 1 });
    expect(days.reduce((n, d) => n + d.count, 0)).toBe(1);
    // One day wider, the window reaches the day before.
    expect((await submissionsService(deps).perDay(org.id, site.id, 31))[0]).toEqual({ day: '2026-11-02', count: 2 });
    await expect(submissionsService(deps).perDay('org_someone_else', site.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
