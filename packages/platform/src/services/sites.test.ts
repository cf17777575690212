// The sites service on a real SQLite store, with its clock and randomness passed in: no HTTP at all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from 'invoker-mcp/errors.js';
import { DEFAULT_LIMITS } from '../config.js';
import { SqliteStore } from '../store/sqlite.js';
import { cryptoRandomness, type Randomness } from './deps.js';
import { sitesService } from './sites.js';
import { platformUrls } from './urls.js';

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function setup(slugs: string[]) {
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'invoker-sites-')), 'invoker.db'));
  stores.push(store);
  const now = new Date('2026-01-02T03:04:05.000Z');
  const { org } = await store.ensureUser('sites@example.com', now.toISOString());
  const random: Randomness = { ...cryptoRandomness, slug: () => slugs.shift() ?? 'out-of-slugs' };
  const sites = sitesService({ store, urls: platformUrls('http://localhost:8787', 'sites.test'), limits: structuredClone(DEFAULT_LIMITS), now: () => now, random });
  return { sites, orgId: org.id };
}

describe('the sites service', () => {
  it('gives a deploy without a slug a generated one that names no site yet', async () => {
    const { sites, orgId } = await setup(['first-slug-aaaa', 'first-slug-aaaa', 'second-slug-bbbb']);
    expect((await sites.deploy(orgId, { html: '<p>1</p>' })).slug).toBe('first-slug-aaaa');
    // The next generated slug is taken: it is drawn again, never added to as a new version.
    const second = await sites.deploy(orgId, { html: '<p>2</p>' });
    expect(second).toMatchObject({ slug: 'second-slug-bbbb', version: 1, url: 'http://second-slug-bbbb.sites.test/', created_at: '2026-01-02T03:04:05.000Z' });
  });

  it('says so when no free slug turns up, instead of reusing one', async () => {
    const { sites, orgId } = await setup(Array(6).fill('always-taken-cccc'));
    await sites.deploy(orgId, { html: '<p>1</p>' });
    await expect(sites.deploy(orgId, { html: '<p>2</p>' })).rejects.toThrow(new AppError('internal', 'Could not find a free generated slug; pass a slug explicitly.'));
  });

  it('keeps the metadata an update leaves out, and takes what it gives', async () => {
    const { sites, orgId } = await setup([]);
    const v1 = await sites.deploy(orgId, { html: '<p>1</p>', slug: 'meta', title: 'First', favicon: '🚀', is_spa: true });
    const v2 = await sites.update(orgId, v1.id, { html: '<p>2</p>', description: 'Now described' });
    expect(v2).toMatchObject({ version: 2, title: 'First', favicon: '🚀', is_spa: true, description: 'Now described', slug: 'meta' });
    await expect(sites.rename(orgId, 'dep_0000000000000000', 'elsewhere')).rejects.toMatchObject({ code: 'not_found' });
  });

  it("takes the page's own <title> when the deploy names none, and an explicit title over it", async () => {
    const { sites, orgId } = await setup([]);
    const own = await sites.deploy(orgId, { html: '<html><head><title>Bake Sale</title></head><body></body></html>', slug: 'bake' });
    expect(own.title).toBe('Bake Sale');
    const named = await sites.update(orgId, own.id, { html: '<html><head><title>Ignored</title></head></html>', title: 'Named' });
    expect(named.title).toBe('Named');
    // An update whose page has no <title> keeps the site's (and the page gets it injected).
    const kept = await sites.update(orgId, own.id, { html: '<html><head></head><body>v3</body></html>' });
    expect(kept.title).toBe('Named');
    const listed = await sites.list(orgId, { limit: 10, cursor: null });
    expect(listed.deploys.map((d) => d.title)).toEqual(['Named']);
  });
});
