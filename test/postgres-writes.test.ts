// Writes on the PostgreSQL store that only it has: deploys of one slug committed together (one
// transaction, steps pipelined, each deploy reading the holder the one before wrote), a failure in
// such a group answered by the deploy that failed alone, a process's next deploy of a slug taking
// the holder it wrote last as known (a guard in the transaction refuses it when another process has
// changed the site since), and statements cancelled at the statement timeout answered with an error
// that names the setting. The behaviour both backends share is in
// store-contract.test.ts.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../packages/invoker-mcp/src/errors.js';
import { newId } from '../packages/invoker-mcp/src/contract/ids.js';
import { isSlugHolderChanged } from '../packages/platform/src/store/shared.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { numberedDeploys } from './helpers/deploy-input.js';

const deployInput = numberedDeploys('pgwritestoken');

/** What work returns, failing if it sent a ROLLBACK (a deploy whose guard failed goes again). */
async function withoutRollback<T>(work: () => Promise<T>): Promise<T> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  const sent: string[] = [];
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    if (typeof args[0] === 'string') sent.push(args[0]);
    return query.apply(this, args);
  };
  try {
    const value = await work();
    expect(sent.filter((text) => /^ROLLBACK/i.test(text))).toEqual([]);
    return value;
  } finally {
    proto.query = query;
  }
}

describe('PostgreSQL group commit of deploys', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let orgId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = await PostgresStore.open(db.url);
    orgId = (await store.ensureUser('group@example.com', new Date().toISOString())).org.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('numbers concurrent versions of one slug in order, each answered with what a read finds', async () => {
    const first = await store.deploy(deployInput(orgId, 'grouped'));
    const inputs = Array.from({ length: 12 }, (_, i) => deployInput(orgId, 'grouped', { publish: i % 2 === 1 }));
    const sites = await Promise.all(inputs.map((input) => store.deploy(input)));
    expect(sites.map((s) => s.latestVersion)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    expect(new Set(sites.map((s) => s.id))).toEqual(new Set([first.id]));
    // Each answer is the record as the store reads it back right after that deploy.
    const last = sites[11]!;
    expect(await store.findSiteBySlug('grouped')).toEqual(last);
    const versions = await store.listVersions(orgId, first.id);
    expect(versions?.map((v) => v.title)).toEqual(inputs.map((i) => i.metadata.title).reverse().concat(first.title));
    for (const [i, site] of sites.entries()) {
      const file = await store.getFile(site.id, site.latestVersion, 'index.html');
      expect(file?.etag).toBe(inputs[i]!.files[0]!.etag);
    }
  });

  it('answers a failing deploy of a group alone: the others are committed without it', async () => {
    const holder = await store.deploy(deployInput(orgId, 'partly'));
    const good = Array.from({ length: 5 }, () => deployInput(orgId, 'partly'));
    // Fails in a write nothing waits for (PostgreSQL refuses NUL in text): found by the next read.
    const nul = deployInput(orgId, 'partly', {
      files: [{ path: 'bad\u0000.html', contentType: 'text/html', etag: '"x"', body: new Uint8Array([1]) }],
    });
    // Fails in the holder check, before it writes anything.
    const stale = deployInput(orgId, 'partly', { expectedSiteId: 'dep_someoneelse' });
    const inputs = [good[0]!, good[1]!, nul, good[2]!, stale, good[3]!, good[4]!];
    const settled = await Promise.allSettled(inputs.map((input) => store.deploy(input)));
    const refusedNul = settled[2] as PromiseRejectedResult;
    expect(refusedNul.status).toBe('rejected');
    expect(refusedNul.reason).toBeInstanceOf(AppError);
    expect((refusedNul.reason as AppError).code).toBe('invalid_input');
    expect(isSlugHolderChanged((settled[4] as PromiseRejectedResult).reason)).toBe(true);
    const versions = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value.latestVersion);
    expect(versions).toEqual([2, 3, 4, 5, 6]);
    const listed = await store.listVersions(orgId, holder.id);
    expect(listed?.map((v) => v.title)).toEqual([...good].reverse().map((i) => i.metadata.title).concat(holder.title));
  });

  it("adds the next version on the site as it is now, whatever another process changed since this one's last deploy", async () => {
    // A second process on the same database; neither listens for the other's changes, so this
    // process's holder of the slug is out of date each time and only the guard can notice.
    const other = await PostgresStore.open(db.url);
    try {
      const v1 = await store.deploy(deployInput(orgId, 'hinted'));
      expect((await store.deploy(deployInput(orgId, 'hinted'))).latestVersion).toBe(2);
      // Another version from elsewhere: the next here is 4, not a second 3.
      expect((await other.deploy(deployInput(orgId, 'hinted'))).latestVersion).toBe(3);
      const v4 = await store.deploy(deployInput(orgId, 'hinted', { publish: false }));
      expect(v4).toMatchObject({ id: v1.id, latestVersion: 4, liveVersion: 3 });
      expect(await store.findSiteBySlug('hinted')).toEqual(v4);
      // A submission elsewhere, then one here: each answer counts it, and neither costs the guard
      // (a submission announces nothing, and the count is read, not compared).
      await other.addSubmission({ id: newId('sub'), siteId: v1.id, data: { a: '1' }, ipAddress: null, now: new Date().toISOString() });
      const v5 = await withoutRollback(() => store.deploy(deployInput(orgId, 'hinted')));
      expect(v5).toMatchObject({ latestVersion: 5, submissionCount: 1 });
      expect(await store.findSiteBySlug('hinted')).toEqual(v5);
      await store.addSubmission({ id: newId('sub'), siteId: v1.id, data: { a: '2' }, ipAddress: null, now: new Date().toISOString() });
      const twice = await withoutRollback(() => store.deploy(deployInput(orgId, 'hinted', { publish: false })));
      expect(twice).toMatchObject({ latestVersion: 6, liveVersion: 5, submissionCount: 2 });
      expect(await store.findSiteBySlug('hinted')).toEqual(twice);
      // A webhook for publishes made elsewhere: this publish is told to it.
      const hook = await other.createWebhook({
        id: newId('whk'),
        orgId,
        siteId: v1.id,
        url: 'https://example.com/hook',
        type: 'generic',
        events: ['site.published'],
        secretSealed: 'sealed',
        maxPerSite: 5,
        now: new Date().toISOString(),
      });
      const publishedEvent = { type: 'site.published' as const, body: () => '{}', newId: () => newId('msg') };
      await store.deploy(deployInput(orgId, 'hinted', { publishedEvent }));
      expect(await store.listDeliveries(orgId, v1.id, (hook as { id: string }).id, 10)).toHaveLength(1);
      // The site renamed elsewhere: the slug is free again, so this deploy makes a new site.
      expect(await other.renameSite(orgId, v1.id, 'hinted-moved', new Date().toISOString())).toMatchObject({ slug: 'hinted-moved' });
      const fresh = await store.deploy(deployInput(orgId, 'hinted'));
      expect(fresh.id).not.toBe(v1.id);
      expect(fresh.latestVersion).toBe(1);
      expect((await store.findSiteBySlug('hinted-moved'))?.latestVersion).toBe(7);
      // Deleted elsewhere: made anew too, and nothing lands on the deleted site.
      expect(await other.deleteSite(orgId, fresh.id)).toBe(true);
      const again = await store.deploy(deployInput(orgId, 'hinted'));
      expect(again.id).not.toBe(fresh.id);
      expect(again.latestVersion).toBe(1);
      expect(await store.getSite(orgId, fresh.id)).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('PostgreSQL statement timeout (INVOKER_PG_STATEMENT_TIMEOUT_MS)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('cancels a statement that waits too long and says which setting to raise', async () => {
    const store = await PostgresStore.open(db.url, { statementTimeoutMs: 200 });
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sites IN ACCESS EXCLUSIVE MODE');
      const error = await store.findSiteBySlug('anything').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('upstream');
      expect((error as AppError).message).toContain('INVOKER_PG_STATEMENT_TIMEOUT_MS');
      await locker.query('ROLLBACK');
      // The store is fine afterwards.
      expect(await store.findSiteBySlug('anything')).toBeNull();
    } finally {
      await locker.end();
      await store.close();
    }
  });
});
