// Writes on the PostgreSQL store that only it has: deploys of one slug committed together (one
// transaction, steps pipelined, each deploy reading the holder the one before wrote), a failure in
// such a group answered by the deploy that failed alone, and statements cancelled at the statement
// timeout answered with an error that names the setting. The behaviour both backends share is in
// store-contract.test.ts.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../packages/invoker-mcp/src/errors.js';
import { isSlugHolderChanged } from '../packages/platform/src/store/shared.js';
import { PostgresStore } from '../packages/platform/src/store/postgres.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { numberedDeploys } from './helpers/deploy-input.js';

const deployInput = numberedDeploys('pgwritestoken');

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
