// The store contract: one suite of behaviour tests, run against every backend. A new backend passes
// this suite or it is not a store. Each backend gets a fresh database for the whole file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../packages/invoker-mcp/src/errors.js';
import { newId } from '../packages/invoker-mcp/src/contract/ids.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { isSlugHolderChanged } from '../packages/platform/src/store/shared.js';
import { SqliteStore } from '../packages/platform/src/store/sqlite.js';
import type { DeployInput, Store } from '../packages/platform/src/store/store.js';
import { createTestDatabase } from './helpers/postgres.js';

interface Backend {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'invoker-contract-'));
      const store = new SqliteStore(join(dir, 'invoker.db'));
      return { store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const db = await createTestDatabase();
      const store = await PostgresStore.open(db.url);
      return { store, cleanup: async () => (await store.close(), await db.drop()) };
    },
  },
];

let clock = Date.parse('2026-01-01T00:00:00.000Z');
/** Strictly increasing timestamps, so "newest first" is well defined. */
const tick = () => new Date((clock += 1000)).toISOString();
let unique = 0;
const uniq = (prefix: string) => `${prefix}-${++unique}-${Math.random().toString(36).slice(2, 8)}`;

const BYTES = new Uint8Array([0, 1, 2, 127, 128, 254, 255, 0x3c, 0x68, 0x31]);

function deployInput(orgId: string, slug: string, overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    orgId,
    newSiteId: newId('dep'),
    slug,
    metadata: { title: 'T', description: null, favicon: null, isSpa: false },
    previewToken: uniq('pt'),
    files: [
      { path: '/index.html', contentType: 'text/html; charset=utf-8', etag: '"e1"', body: new TextEncoder().encode('<h1>Hi</h1>') },
      { path: '/data.bin', contentType: 'application/octet-stream', etag: '"e2"', body: BYTES },
    ],
    publish: false,
    maxSites: 100,
    now: tick(),
    ...overrides,
  };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe.each(backends)('store contract: $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  async function tenant() {
    const { user, org } = await store.ensureUser(`${uniq('u')}@example.com`, tick());
    return { user, org };
  }

  it('ensureUser lower-cases the email, creates the user and a personal org once', async () => {
    const email = `${uniq('Mixed')}@Example.COM`;
    const first = await store.ensureUser(`  ${email} `, tick());
    expect(first.created).toBe(true);
    expect(first.user.email).toBe(email.toLowerCase());
    expect(first.org).toMatchObject({ name: `${email.toLowerCase()}'s workspace`, parentId: null });
    const again = await store.ensureUser(email.toLowerCase(), tick());
    expect(again).toEqual({ user: first.user, org: first.org, created: false });
    expect(await store.getOrg(first.org.id)).toEqual(first.org);
    expect(await store.getOrg('org_missing')).toBeNull();
  });

  it('creates, finds, lists, touches and revokes API keys, scoped to the org', async () => {
    const { user, org } = await tenant();
    const other = await tenant();
    const now = tick();
    const key = await store.createApiKey({ id: newId('key'), orgId: org.id, userId: user.id, name: 'a', keyHash: uniq('h'), preview: 'inv_…abcd', now });
    expect(key).toMatchObject({ orgId: org.id, name: 'a', createdAt: now, lastUsedAt: null });
    const second = await store.createApiKey({ id: newId('key'), orgId: org.id, userId: user.id, name: 'b', keyHash: uniq('h'), preview: 'p', now });
    expect((await store.listApiKeys(org.id)).map((k) => k.name)).toEqual(['a', 'b']);

    const secondHash = uniq('h');
    const third = await store.createApiKey({ id: newId('key'), orgId: org.id, userId: user.id, name: 'c', keyHash: secondHash, preview: 'p', now: tick() });
    const principal = await store.findPrincipalByKeyHash(secondHash);
    expect(principal).toEqual({ key: third, user, org });
    const used = tick();
    await store.touchApiKey(third.id, used);
    expect((await store.findPrincipalByKeyHash(secondHash))?.key.lastUsedAt).toBe(used);

    expect(await store.revokeApiKey(other.org.id, third.id, tick())).toBe(false);
    expect(await store.revokeApiKey(org.id, third.id, tick())).toBe(true);
    expect(await store.revokeApiKey(org.id, third.id, tick())).toBe(false);
    expect(await store.findPrincipalByKeyHash(secondHash)).toBeNull();
    expect((await store.listApiKeys(org.id)).map((k) => k.id)).toEqual([key.id, second.id]);
    expect(await store.findPrincipalByKeyHash('no-such-hash')).toBeNull();
  });

  it('keeps the uploaded source beside a file whose body differs, and refuses a version made from a stale newest', async () => {
    const { org } = await tenant();
    const other = await tenant();
    const slug = uniq('patch');
    const source = new TextEncoder().encode('<form action="{{SUBMIT_URL}}"></form>');
    const [page, data] = deployInput(org.id, slug).files as [DeployInput['files'][number], DeployInput['files'][number]];
    const v1 = await store.deploy(deployInput(org.id, slug, { files: [{ ...page, source }, data] }));
    const sources = await store.versionSources(org.id, v1.id, 1);
    expect(sources?.map((f) => [f.path, f.contentType, Buffer.from(f.body).toString('latin1')])).toEqual([
      ['/data.bin', 'application/octet-stream', Buffer.from(BYTES).toString('latin1')],
      ['/index.html', 'text/html; charset=utf-8', '<form action="{{SUBMIT_URL}}"></form>'],
    ]);
    // The body served is still the stored one.
    expect(Buffer.from((await store.getFile(v1.id, 1, '/index.html'))?.body ?? []).toString()).toBe('<h1>Hi</h1>');
    expect(await store.versionSources(org.id, v1.id, 2)).toBeNull();
    expect(await store.versionSources(other.org.id, v1.id, 1)).toBeNull();

    const v2 = await store.deploy(deployInput(org.id, slug, { expectedSiteId: v1.id, expectedLatest: 1 }));
    expect(v2.latestVersion).toBe(2);
    const unchanged = (await store.versionSources(org.id, v1.id, 2))?.find((f) => f.path === '/index.html');
    expect(Buffer.from(unchanged?.body ?? []).toString()).toBe('<h1>Hi</h1>');
    expect(isSlugHolderChanged(await rejection(store.deploy(deployInput(org.id, slug, { expectedSiteId: v1.id, expectedLatest: 1 }))))).toBe(true);
    expect((await store.getSite(org.id, v1.id))?.latestVersion).toBe(2);
    expect(await store.deleteSite(org.id, v1.id)).toBe(true);
    expect(await store.versionSources(org.id, v1.id, 1)).toBeNull();
  });

  it('deploys versions, keeps file bytes exact, and hosts live and preview versions', async () => {
    const { org } = await tenant();
    const slug = uniq('site');
    const first = deployInput(org.id, slug);
    const v1 = await store.deploy(first);
    expect(v1).toMatchObject({ id: first.newSiteId, orgId: org.id, slug, latestVersion: 1, liveVersion: null, previewToken: first.previewToken, submissionCount: 0, title: 'T', isSpa: false, createdAt: first.now, updatedAt: first.now });
    expect(await store.findHosted(slug, null)).toBeNull();
    expect(await store.findHosted(slug, first.previewToken)).toEqual({ site: v1, version: 1, lock: null });

    const secondInput = deployInput(org.id, slug, { publish: true, metadata: { title: null, description: 'd', favicon: '🚀', isSpa: true } });
    const v2 = await store.deploy(secondInput);
    expect(v2).toMatchObject({ id: v1.id, latestVersion: 2, liveVersion: 2, title: null, description: 'd', favicon: '🚀', isSpa: true, createdAt: first.now, updatedAt: secondInput.now });
    expect(await store.findHosted(slug, null)).toEqual({ site: v2, version: 2, lock: null });
    expect((await store.findHosted(slug, first.previewToken))?.version).toBe(1);
    // The password comes with the site, live or preview, and goes with it.
    expect(await store.setSitePassword(org.id, v1.id, 'scrypt$hash', tick())).toBe(true);
    expect((await store.findHosted(slug, null))?.lock).toEqual({ hash: 'scrypt$hash', version: 1 });
    expect((await store.findHosted(slug, first.previewToken))?.lock).toEqual({ hash: 'scrypt$hash', version: 1 });
    expect(await store.setSitePassword(org.id, v1.id, null, tick())).toBe(true);
    expect((await store.findHosted(slug, null))?.lock).toBeNull();
    expect(await store.findHosted(slug, 'wrong-token')).toBeNull();
    expect(await store.findHosted(uniq('missing'), null)).toBeNull();

    const file = await store.getFile(v1.id, 1, '/data.bin');
    expect(file).toMatchObject({ path: '/data.bin', contentType: 'application/octet-stream', etag: '"e2"' });
    expect(Buffer.from(file?.body ?? []).equals(Buffer.from(BYTES))).toBe(true);
    expect(await store.getFile(v1.id, 3, '/data.bin')).toBeNull();
    expect(await store.getFile(v1.id, 1, '/nope')).toBeNull();

    const versions = await store.listVersions(org.id, v1.id);
    expect(versions?.map((v) => [v.version, v.fileCount, v.totalBytes])).toEqual([
      [2, 2, 11 + BYTES.length],
      [1, 2, 11 + BYTES.length],
    ]);
    expect(versions?.[1]).toMatchObject({ previewToken: first.previewToken, title: 'T', isSpa: false, createdAt: first.now });
    expect(await store.getSite(org.id, v1.id)).toEqual(v2);
    expect(await store.findSiteById(v1.id)).toEqual(v2);
    expect(await store.findSiteBySlug(slug)).toEqual(v2);
  });

  it('refuses another org’s slug (409) and a site over the limit (403), with the same messages', async () => {
    const a = await tenant();
    const b = await tenant();
    const slug = uniq('taken');
    const site = await store.deploy(deployInput(a.org.id, slug));
    const conflict = await rejection(store.deploy(deployInput(b.org.id, slug)));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toBe(`The slug "${slug}" is taken. Choose another slug, or omit it to get a generated one.`);
    expect(await store.getSite(b.org.id, site.id)).toBeNull();

    const limited = await tenant();
    await store.deploy(deployInput(limited.org.id, uniq('one'), { maxSites: 1 }));
    const over = await rejection(store.deploy(deployInput(limited.org.id, uniq('two'), { maxSites: 1 })));
    expect(over.code).toBe('forbidden');
    expect(over.message).toContain('this server allows 1 sites per organization: INVOKER_MAX_SITES');
  });

  it('50 concurrent deploys of one new slug from two orgs: exactly one org owns it, the other gets 409s', async () => {
    const a = await tenant();
    const b = await tenant();
    const slug = uniq('race');
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => store.deploy(deployInput(i % 2 === 0 ? a.org.id : b.org.id, slug))),
    );
    const owner = (await store.findSiteBySlug(slug))?.orgId;
    expect([a.org.id, b.org.id]).toContain(owner);
    for (const [i, r] of results.entries()) {
      const org = i % 2 === 0 ? a.org.id : b.org.id;
      if (org === owner) expect(r.status).toBe('fulfilled');
      else expect(r.status === 'rejected' && (r.reason as AppError).code).toBe('conflict');
    }
    expect((await store.findSiteBySlug(slug))?.latestVersion).toBe(25);
    const versions = await store.listVersions(owner as string, (await store.findSiteBySlug(slug))?.id as string);
    expect(versions?.map((v) => v.version)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it('refuses a deploy built for another holder of the slug (expectedSiteId), so the caller looks again', async () => {
    const { org } = await tenant();
    const slug = uniq('moved');
    const racers = await Promise.allSettled(Array.from({ length: 20 }, () => store.deploy(deployInput(org.id, slug, { expectedSiteId: null }))));
    const won = racers.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of racers) if (r.status === 'rejected') expect(isSlugHolderChanged(r.reason)).toBe(true);
    const site = (won[0] as PromiseFulfilledResult<{ id: string }>).value;
    expect(isSlugHolderChanged(await rejection(store.deploy(deployInput(org.id, uniq('gone'), { expectedSiteId: site.id }))))).toBe(true);
    expect((await store.deploy(deployInput(org.id, slug, { expectedSiteId: site.id }))).latestVersion).toBe(2);
    const other = await tenant();
    expect((await rejection(store.deploy(deployInput(other.org.id, slug, { expectedSiteId: null })))).message).toContain('is taken');
  });

  it('refuses a deploy whose inherited metadata is no longer the newest version\'s, so the caller looks again', async () => {
    const { org } = await tenant();
    const slug = uniq('meta');
    const v1 = await store.deploy(deployInput(org.id, slug, { metadata: { title: 'First', description: null, favicon: null, isSpa: false } }));
    // Built from version 1's title, but another deploy made version 2 with a new one meanwhile.
    await store.deploy(deployInput(org.id, slug, { expectedSiteId: v1.id, metadata: { title: 'Second', description: null, favicon: null, isSpa: false } }));
    const stale = deployInput(org.id, slug, { expectedSiteId: v1.id, inherited: { title: 'First' }, metadata: { title: 'First', description: null, favicon: null, isSpa: false } });
    expect(isSlugHolderChanged(await rejection(store.deploy(stale)))).toBe(true);
    const fresh = deployInput(org.id, slug, { expectedSiteId: v1.id, inherited: { title: 'Second', isSpa: false } });
    expect(await store.deploy(fresh)).toMatchObject({ latestVersion: 3 });
  });

  it('concurrent deploys of new slugs never pass the site limit', async () => {
    const { org } = await tenant();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.deploy(deployInput(org.id, uniq('lim'), { maxSites: 3 }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await store.listSites(org.id, { limit: 50, cursor: null })).items).toHaveLength(3);
  });

  it('publishes a chosen or the newest version; null for a missing site, version or org', async () => {
    const a = await tenant();
    const b = await tenant();
    const slug = uniq('pub');
    const site = await store.deploy(deployInput(a.org.id, slug));
    await store.deploy(deployInput(a.org.id, slug));
    const when = tick();
    expect(await store.publish(a.org.id, site.id, 1, when)).toMatchObject({ liveVersion: 1, latestVersion: 2, updatedAt: when });
    expect((await store.findHosted(slug, null))?.version).toBe(1);
    expect(await store.publish(a.org.id, site.id, null, tick())).toMatchObject({ liveVersion: 2 });
    expect(await store.publish(a.org.id, site.id, 9, tick())).toBeNull();
    expect(await store.publish(b.org.id, site.id, 1, tick())).toBeNull();
  });

  it('renames a site: the old slug is free at once; a taken slug is a 409', async () => {
    const a = await tenant();
    const b = await tenant();
    const oldSlug = uniq('old');
    const taken = uniq('taken');
    const site = await store.deploy(deployInput(a.org.id, oldSlug, { publish: true }));
    await store.deploy(deployInput(b.org.id, taken));
    const conflict = await rejection(store.renameSite(a.org.id, site.id, taken, tick()));
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toBe(`The slug "${taken}" is taken. Choose another slug.`);
    expect(await store.renameSite(a.org.id, site.id, oldSlug, tick())).toMatchObject({ slug: oldSlug });
    const newSlug = uniq('new');
    expect(await store.renameSite(a.org.id, site.id, newSlug, tick())).toMatchObject({ slug: newSlug });
    expect(await store.findHosted(oldSlug, null)).toBeNull();
    expect((await store.findHosted(newSlug, null))?.site.id).toBe(site.id);
    expect(await store.renameSite(b.org.id, site.id, uniq('x'), tick())).toBeNull();
    await store.deploy(deployInput(b.org.id, oldSlug));
  });

  it('lists sites newest first (creation order) by keyset cursor, and refuses a forged cursor', async () => {
    const { org } = await tenant();
    const ids: string[] = [];
    // One timestamp for all: creation order must not depend on the clock's resolution or on ids.
    const now = tick();
    for (let i = 0; i < 5; i++) ids.push((await store.deploy(deployInput(org.id, uniq('list'), { now }))).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listSites(org.id, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await rejection(store.listSites(org.id, { limit: 2, cursor: 'not-a-cursor' }));
    expect(bad.code).toBe('invalid_input');
  });

  it('pages submissions newest first across deletions, exports oldest first, keeps field order', async () => {
    const a = await tenant();
    const b = await tenant();
    const site = await store.deploy(deployInput(a.org.id, uniq('form')));
    const ids: string[] = [];
    for (let i = 1; i <= 9; i++) {
      const id = newId('sub');
      ids.push(id);
      await store.addSubmission({ id, siteId: site.id, data: { z: `${i}`, a: ['x', 'y'] }, ipAddress: i === 1 ? null : '203.0.113.9', now: tick() });
    }
    expect(await store.deleteSubmission(a.org.id, site.id, ids[7] as string)).toBe(true);
    expect(await store.deleteSubmission(a.org.id, site.id, ids[2] as string)).toBe(true);
    expect(await store.deleteSubmission(a.org.id, site.id, ids[2] as string)).toBe(false);
    expect(await store.deleteSubmission(b.org.id, site.id, ids[0] as string)).toBe(false);
    const live = ids.filter((_, i) => i !== 7 && i !== 2);
    const newest = [...live].reverse();
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(await store.listSubmissions(a.org.id, site.id, { page, limit: 3 }));
    expect(pages.map((p) => p?.total)).toEqual([7, 7, 7, 7]);
    expect(pages.map((p) => p?.items.map((s) => s.id))).toEqual([newest.slice(0, 3), newest.slice(3, 6), newest.slice(6), []]);
    const oldest = pages[2]?.items[0];
    expect(oldest).toMatchObject({ siteId: site.id, ipAddress: null, data: { z: '1', a: ['x', 'y'] } });
    expect(Object.keys(oldest?.data ?? {})).toEqual(['z', 'a']);
    expect((await store.getSite(a.org.id, site.id))?.submissionCount).toBe(7);

    const exported = [];
    for await (const s of store.eachSubmission(a.org.id, site.id)) exported.push(s.id);
    expect(exported).toEqual(live);
    const none = [];
    for await (const s of store.eachSubmission(b.org.id, site.id)) none.push(s);
    expect(none).toEqual([]);
    expect(await store.listSubmissions(b.org.id, site.id, { page: 1, limit: 3 })).toBeNull();

    const gone = await rejection(store.addSubmission({ id: newId('sub'), siteId: 'site_missing', data: {}, ipAddress: null, now: tick() }));
    expect(gone.code).toBe('not_found');
  });

  it('counts submissions per UTC day since a time, for the org that owns the site only', async () => {
    const a = await tenant();
    const b = await tenant();
    const site = await store.deploy(deployInput(a.org.id, uniq('chart')));
    const at = ['2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00.000Z', '2026-03-02T12:00:00.000Z', '2026-03-04T08:00:00.000Z', '2026-02-28T10:00:00.000Z'];
    for (const now of at) await store.addSubmission({ id: newId('sub'), siteId: site.id, data: {}, ipAddress: null, now });
    const days = await store.submissionsPerDay(a.org.id, site.id, '2026-03-01T00:00:00.000Z');
    expect([...(days ?? [])].sort((x, y) => x.day.localeCompare(y.day))).toEqual([
      { day: '2026-03-01', count: 1 },
      { day: '2026-03-02', count: 2 },
      { day: '2026-03-04', count: 1 },
    ]);
    expect(await store.submissionsPerDay(b.org.id, site.id, '2026-03-01T00:00:00.000Z')).toBeNull();
  });

  it('numbers concurrent submissions without loss', async () => {
    const { org } = await tenant();
    const site = await store.deploy(deployInput(org.id, uniq('busy')));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.addSubmission({ id: newId('sub'), siteId: site.id, data: { i: String(i) }, ipAddress: null, now: tick() })),
    );
    const all = await store.listSubmissions(org.id, site.id, { page: 1, limit: 100 });
    expect(all?.total).toBe(40);
    expect(new Set(all?.items.map((s) => s.data.i)).size).toBe(40);
  });

  it('deletes a site with its versions, files and submissions; the slug is free at once', async () => {
    const a = await tenant();
    const b = await tenant();
    const slug = uniq('del');
    const site = await store.deploy(deployInput(a.org.id, slug, { publish: true }));
    await store.addSubmission({ id: newId('sub'), siteId: site.id, data: {}, ipAddress: null, now: tick() });
    expect(await store.deleteSite(b.org.id, site.id)).toBe(false);
    expect(await store.deleteSite(a.org.id, site.id)).toBe(true);
    expect(await store.deleteSite(a.org.id, site.id)).toBe(false);
    expect(await store.findHosted(slug, null)).toBeNull();
    expect(await store.getFile(site.id, 1, '/index.html')).toBeNull();
    expect(await store.listVersions(a.org.id, site.id)).toBeNull();
    expect(await store.listSubmissions(a.org.id, site.id, { page: 1, limit: 10 })).toBeNull();
    expect((await store.deploy(deployInput(b.org.id, slug))).orgId).toBe(b.org.id);
  });

  it('creates, lists and deletes sub-organizations with their keys and sites', async () => {
    const parent = await tenant();
    const sub = await store.createSubOrg({ parentId: parent.org.id, name: 'Client A', ownerUserId: parent.user.id, now: tick() });
    expect(sub).toMatchObject({ name: 'Client A', parentId: parent.org.id });
    const sub2 = await store.createSubOrg({ parentId: parent.org.id, name: 'Client B', ownerUserId: parent.user.id, now: tick() });
    expect(await store.listSubOrgs(parent.org.id)).toEqual([sub, sub2]);
    const hash = uniq('h');
    await store.createApiKey({ id: newId('key'), orgId: sub.id, userId: parent.user.id, name: 'k', keyHash: hash, preview: 'p', now: tick() });
    const slug = uniq('sub');
    const site = await store.deploy(deployInput(sub.id, slug, { publish: true }));

    expect(await store.deleteSubOrg(parent.org.id, parent.org.id)).toBe(false);
    expect(await store.deleteSubOrg(sub2.id, sub.id)).toBe(false);
    expect(await store.deleteSubOrg(parent.org.id, sub.id)).toBe(true);
    expect(await store.getOrg(sub.id)).toBeNull();
    expect(await store.findPrincipalByKeyHash(hash)).toBeNull();
    expect(await store.findSiteById(site.id)).toBeNull();
    expect(await store.findHosted(slug, null)).toBeNull();
    expect(await store.listSubOrgs(parent.org.id)).toEqual([sub2]);
    // The personal org still resolves for the user.
    expect((await store.ensureUser(parent.user.email, tick())).org).toEqual(parent.org);
  });

  it("lists a user's orgs: the personal org, then its sub-orgs in creation order, and no one else's", async () => {
    const a = await tenant();
    const b = await tenant();
    const subOf = (parent: { org: { id: string }; user: { id: string } }, name: string, ownerUserId = parent.user.id) =>
      store.createSubOrg({ parentId: parent.org.id, name, ownerUserId, now: tick() });
    // Interleaved, so creation order across users and parents is what the listing must follow.
    const a1 = await subOf(a, 'A one');
    const b1 = await subOf(b, 'B one');
    const a2 = await subOf(a, 'A two, made by B', b.user.id);
    expect(await store.listOrgsForUser(a.user.id)).toEqual([a.org, a1, a2]);
    expect(await store.listOrgsForUser(b.user.id)).toEqual([b.org, b1]);
    expect(await store.listOrgsForUser('usr_missing')).toEqual([]);
  });

  it('walks a login session through pending, verified and consumed, once each', async () => {
    const { user, org } = await tenant();
    const now = tick();
    const secretHash = uniq('sec');
    const userCodeHash = uniq('uc');
    const session = await store.createLoginSession({ id: newId('ses'), secretHash, userCodeHash, clientName: 'Claude', now, expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(session).toMatchObject({ clientName: 'Claude', status: 'pending', email: null, codeHash: null, failedAttempts: 0, userId: null, orgId: null, lastPolledAt: null, createdAt: now });
    expect(await store.findLoginSessionBySecretHash(secretHash)).toEqual(session);
    expect(await store.findLoginSessionByUserCodeHash(userCodeHash)).toEqual(session);
    expect(await store.findLoginSessionBySecretHash('nope')).toBeNull();

    expect(await store.setLoginSessionCode(session.id, user.email, 'code1')).toBe(true);
    expect(await store.recordLoginCodeFailure(session.id, 5)).toMatchObject({ failedAttempts: 1, status: 'pending', codeHash: 'code1', email: user.email });
    const polled = tick();
    await store.touchLoginSessionPoll(session.id, polled);
    expect(await store.consumeLoginSession(session.id)).toBe(false);
    expect(await store.verifyLoginSession(session.id, user.id, org.id)).toBe(true);
    expect(await store.verifyLoginSession(session.id, user.id, org.id)).toBe(false);
    expect(await store.findLoginSessionBySecretHash(secretHash)).toMatchObject({ status: 'verified', codeHash: null, userId: user.id, orgId: org.id, lastPolledAt: polled });
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.consumeLoginSession(session.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.setLoginSessionCode(session.id, user.email, 'code2')).toBe(false);
  });

  it('fails a login session at the attempt limit and deletes expired sessions', async () => {
    const failing = await store.createLoginSession({ id: newId('ses'), secretHash: uniq('sec'), userCodeHash: uniq('uc'), clientName: 'c', now: tick(), expiresAt: '2099-01-01T00:00:00.000Z' });
    await store.setLoginSessionCode(failing.id, 'x@example.com', 'code');
    expect(await store.recordLoginCodeFailure(failing.id, 2)).toMatchObject({ failedAttempts: 1, status: 'pending' });
    expect(await store.recordLoginCodeFailure(failing.id, 2)).toMatchObject({ failedAttempts: 2, status: 'failed', codeHash: null });
    expect(await store.recordLoginCodeFailure(failing.id, 2)).toMatchObject({ failedAttempts: 2, status: 'failed' });
    expect(await store.recordLoginCodeFailure('ses_missing', 2)).toBeNull();

    const oldHash = uniq('sec');
    await store.createLoginSession({ id: newId('ses'), secretHash: oldHash, userCodeHash: uniq('uc'), clientName: 'c', now: tick(), expiresAt: '2020-01-01T00:00:00.000Z' });
    await store.deleteLoginSessionsExpiredBefore('2021-01-01T00:00:00.000Z');
    expect(await store.findLoginSessionBySecretHash(oldHash)).toBeNull();
  });

  it('revokes a key by id alone', async () => {
    const { user, org } = await tenant();
    const hash = uniq('h');
    const key = await store.createApiKey({ id: newId('key'), orgId: org.id, userId: user.id, name: 'k', keyHash: hash, preview: 'p', now: tick() });
    expect(await store.revokeApiKeyById(key.id, tick())).toBe(true);
    expect(await store.revokeApiKeyById(key.id, tick())).toBe(false);
    expect(await store.findPrincipalByKeyHash(hash)).toBeNull();
  });

  it('keeps dashboard sessions until they expire or are deleted, and switches their org', async () => {
    const { user, org } = await tenant();
    const sub = await store.createSubOrg({ parentId: org.id, name: 'Sub', ownerUserId: user.id, now: tick() });
    const tokenHash = uniq('tok');
    const id = newId('ses');
    await store.createDashboardSession({ id, tokenHash, userId: user.id, orgId: org.id, csrfToken: 'csrf', now: tick(), expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(await store.findDashboardSession(tokenHash, tick())).toEqual({ id, userId: user.id, email: user.email, orgId: org.id, csrfToken: 'csrf', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(await store.findDashboardSession(tokenHash, '2099-01-01T00:00:00.001Z')).toBeNull();
    await store.setDashboardSessionOrg(id, sub.id);
    expect((await store.findDashboardSession(tokenHash, tick()))?.orgId).toBe(sub.id);
    await store.deleteDashboardSession(id);
    expect(await store.findDashboardSession(tokenHash, tick())).toBeNull();
  });

  it('lists a user’s orgs: each top-level org followed by its sub-orgs', async () => {
    const { user, org } = await tenant();
    const s1 = await store.createSubOrg({ parentId: org.id, name: 'S1', ownerUserId: user.id, now: tick() });
    const s2 = await store.createSubOrg({ parentId: org.id, name: 'S2', ownerUserId: user.id, now: tick() });
    const stranger = await tenant();
    await store.createSubOrg({ parentId: stranger.org.id, name: 'Theirs', ownerUserId: stranger.user.id, now: tick() });
    expect(await store.listOrgsForUser(user.id)).toEqual([org, s1, s2]);
  });

  it('keeps OAuth clients, codes, grants and tokens: a code redeemed once, a refresh token rotated once, re-use revoking the grant', async () => {
    const { user, org } = await tenant();
    const now = tick();
    const old = '2000-01-01T00:00:00.000Z';
    const client = await store.createOAuthClient({ id: uniq('oac'), name: 'App', redirectUris: ['http://127.0.0.1/cb'], now: old, unusedBefore: old });
    expect(await store.getOAuthClient(client.id)).toEqual({ ...client, lastUsedAt: null });
    // Registered before the cut-off and never used: gone when the next client registers.
    await store.createOAuthClient({ id: uniq('oac'), name: 'Next', redirectUris: ['http://127.0.0.1/cb'], now, unusedBefore: '2001-01-01T00:00:00.000Z' });
    expect(await store.getOAuthClient(client.id)).toBeNull();
    const kept = await store.createOAuthClient({ id: uniq('oac'), name: 'Kept', redirectUris: ['https://app.example/cb'], now, unusedBefore: old });

    const consent = { clientId: kept.id, clientName: 'Kept', clientKind: 'dcr' as const, userId: user.id, orgId: org.id, scopes: 'read deploy', resource: 'http://x/mcp' };
    const codeHash = uniq('code');
    await store.createOAuthCode({ ...consent, codeHash, redirectUri: 'https://app.example/cb', codeChallenge: 'c'.repeat(43), expiresAt: '2099-01-01T00:00:00.000Z', usedAt: null, grantId: null, expiredBefore: old });
    const [a, b] = await Promise.all([store.redeemOAuthCode(codeHash, tick()), store.redeemOAuthCode(codeHash, tick())]);
    expect([a?.firstUse, b?.firstUse].sort()).toEqual([false, true]);
    expect(a?.code).toMatchObject({ ...consent, redirectUri: 'https://app.example/cb', grantId: null });
    expect(await store.redeemOAuthCode(uniq('nope'), tick())).toBeNull();

    const grantId = uniq('oag');
    const tokens = (suffix: string) => [
      { tokenHash: `${grantId}-a${suffix}`, kind: 'access' as const, expiresAt: '2099-01-01T00:00:00.000Z' },
      { tokenHash: `${grantId}-r${suffix}`, kind: 'refresh' as const, expiresAt: '2099-01-01T00:00:00.000Z' },
    ];
    await store.createOAuthGrant({ ...consent, id: grantId, codeHash, now: tick(), tokens: tokens('1') });
    expect((await store.redeemOAuthCode(codeHash, tick()))?.code.grantId).toBe(grantId);
    expect((await store.getOAuthClient(kept.id))?.lastUsedAt).not.toBeNull();
    const access = await store.findOAuthToken(`${grantId}-a1`);
    expect(access).toMatchObject({ kind: 'access', rotatedAt: null, grant: { ...consent, id: grantId, orgName: org.name, revokedAt: null }, user, org });
    expect(await store.findOAuthToken(uniq('nope'))).toBeNull();

    // Two instances racing one refresh token: one rotates, the other is a re-use and revokes the grant.
    const outcomes = await Promise.all([
      store.rotateOAuthRefreshToken({ tokenHash: `${grantId}-r1`, grantId, now: tick(), tokens: tokens('2') }),
      store.rotateOAuthRefreshToken({ tokenHash: `${grantId}-r1`, grantId, now: tick(), tokens: tokens('3') }),
    ]);
    expect(outcomes.sort()).toEqual(['reused', 'rotated']);
    expect((await store.findOAuthToken(`${grantId}-a1`))?.grant.revokedAt).not.toBeNull();
    expect(await store.listOAuthGrants(user.id)).toEqual([]);

    const second = uniq('oag');
    await store.createOAuthGrant({ ...consent, id: second, codeHash: uniq('code'), now: tick(), tokens: [{ tokenHash: `${second}-a`, kind: 'access', expiresAt: '2099-01-01T00:00:00.000Z' }] });
    await store.touchOAuthGrant(second, '2030-01-01T00:00:00.000Z');
    expect(await store.listOAuthGrants(user.id)).toEqual([expect.objectContaining({ id: second, lastUsedAt: '2030-01-01T00:00:00.000Z', orgName: org.name })]);
    const stranger = await tenant();
    expect(await store.revokeOAuthGrant(second, stranger.user.id, tick())).toBe(false);
    expect(await store.revokeOAuthGrant(second, user.id, tick())).toBe(true);
    expect(await store.revokeOAuthGrant(second, null, tick())).toBe(false);
    expect(await store.listOAuthGrants(user.id)).toEqual([]);
  });

  // Custom domains (SPEC section 15).

  it('adds a domain pending to a site of the org, once, within the per-site limit, and lists it by name', async () => {
    const { org } = await tenant();
    const site = await store.deploy(deployInput(org.id, uniq('dom')));
    const domain = `${uniq('shop')}.example.test`;
    const add = (name: string, maxPerSite = 2) => store.addDomain({ orgId: org.id, siteId: site.id, domain: name, token: `t-${name}`, maxPerSite, now: tick() });
    const added = await add(domain);
    expect(added).toEqual({ siteId: site.id, domain, token: `t-${domain}`, createdAt: expect.any(String), verifiedAt: null, verifiedBy: null });
    expect(await add(domain)).toEqual(added);
    const www = `www.${domain}`;
    await add(www);
    expect(await add(`x.${domain}`)).toBe('limit');
    expect((await store.listDomains(org.id, site.id))?.map((d) => d.domain)).toEqual([domain, www].sort());
    const stranger = await tenant();
    expect(await store.addDomain({ orgId: stranger.org.id, siteId: site.id, domain: uniq('x.example.test'), token: 't', maxPerSite: 5, now: tick() })).toBeNull();
    expect(await store.listDomains(stranger.org.id, site.id)).toBeNull();
    expect(await store.isPendingDomainToken(domain, `t-${domain}`)).toBe(true);
    expect(await store.isPendingDomainToken(domain, 'other')).toBe(false);
  });

  it('lets several orgs hold a domain pending; the first to verify holds it, the others are refused until it is removed', async () => {
    const a = await tenant();
    const b = await tenant();
    const siteA = await store.deploy(deployInput(a.org.id, uniq('doma'), { publish: true }));
    const siteB = await store.deploy(deployInput(b.org.id, uniq('domb'), { publish: true }));
    const domain = `${uniq('race')}.example.test`;
    for (const [who, site] of [[a, siteA], [b, siteB]] as const) {
      expect(await store.addDomain({ orgId: who.org.id, siteId: site.id, domain, token: `t-${who.org.id}`, maxPerSite: 5, now: tick() })).toMatchObject({ verifiedAt: null });
    }
    expect(await store.findHostedByDomain(domain)).toBeNull();
    expect(await store.domainHolder(domain)).toBeNull();
    // Both verify at once: exactly one holds it.
    const outcomes = await Promise.all([
      store.verifyDomain(a.org.id, siteA.id, domain, 'dns', tick()),
      store.verifyDomain(b.org.id, siteB.id, domain, 'http', tick()),
    ]);
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(1);
    const winner = outcomes[0] === 'held' ? { who: b, site: siteB, loser: siteA, loserOrg: a } : { who: a, site: siteA, loser: siteB, loserOrg: b };
    expect(await store.domainHolder(domain)).toEqual({ siteId: winner.site.id, orgId: winner.who.org.id });
    expect(await store.findHostedByDomain(domain)).toEqual({ site: expect.objectContaining({ id: winner.site.id }), version: 1, lock: null });
    expect(await store.addDomain({ orgId: winner.loserOrg.org.id, siteId: winner.loser.id, domain, token: 'x', maxPerSite: 5, now: tick() })).toBe('held');
    expect(await store.verifyDomain(winner.loserOrg.org.id, winner.loser.id, domain, 'dns', tick())).toBe('held');
    // Verifying again is no change; a stranger or a missing domain is null.
    expect(await store.verifyDomain(winner.who.org.id, winner.site.id, domain, 'dns', tick())).toMatchObject({ verifiedAt: expect.any(String) });
    expect(await store.verifyDomain(winner.loserOrg.org.id, winner.site.id, domain, 'dns', tick())).toBeNull();
    expect(await store.verifyDomain(winner.who.org.id, winner.site.id, `no.${domain}`, 'dns', tick())).toBeNull();
    // Removed: it serves nothing, and the other org may verify it now.
    expect(await store.removeDomain(winner.loserOrg.org.id, winner.site.id, domain)).toBe(false);
    expect(await store.removeDomain(winner.who.org.id, winner.site.id, domain)).toBe(true);
    expect(await store.removeDomain(winner.who.org.id, winner.site.id, domain)).toBe(false);
    expect(await store.findHostedByDomain(domain)).toBeNull();
    expect(await store.verifyDomain(winner.loserOrg.org.id, winner.loser.id, domain, 'dns', tick())).toMatchObject({ verifiedBy: 'dns' });
    expect(await store.domainHolder(domain)).toEqual({ siteId: winner.loser.id, orgId: winner.loserOrg.org.id });
  });

  it('serves a verified domain only while its site has a live version, and forgets it with the site', async () => {
    const { org } = await tenant();
    const site = await store.deploy(deployInput(org.id, uniq('domlive')));
    const domain = `${uniq('live')}.example.test`;
    await store.addDomain({ orgId: org.id, siteId: site.id, domain, token: 't', maxPerSite: 5, now: tick() });
    expect(await store.verifyDomain(org.id, site.id, domain, 'http', tick())).toMatchObject({ verifiedBy: 'http' });
    expect(await store.isPendingDomainToken(domain, 't')).toBe(false);
    expect(await store.findHostedByDomain(domain)).toBeNull();
    await store.publish(org.id, site.id, 1, tick());
    expect(await store.findHostedByDomain(domain)).toEqual({ site: expect.objectContaining({ id: site.id, liveVersion: 1 }), version: 1, lock: null });
    expect(await store.deleteSite(org.id, site.id)).toBe(true);
    expect(await store.findHostedByDomain(domain)).toBeNull();
    expect(await store.domainHolder(domain)).toBeNull();
  });
});
