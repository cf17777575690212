// Writes on the embedded store, in process: the SQLite group commit (SqliteStore.groupCommitted)
// and the read cache in front of it (CachedStore), whose answers must stay the store's after every
// kind of change. The behaviour both backends share is in store-contract.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../packages/invoker-mcp/src/contract/ids.js';
import { CachedStore } from '../packages/platform/src/store/cached-store.js';
import { SqliteStore } from '../packages/platform/src/store/sqlite.js';
import { numberedDeploys } from './helpers/deploy-input.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'invoker-writes-'));
  path = join(dir, 'invoker.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deployInput = numberedDeploys('writestoken');

describe('SqliteStore group commit', () => {
  it('commits deploys accepted before close(), so none is lost by a graceful shutdown', async () => {
    const store = new SqliteStore(path);
    const { org } = await store.ensureUser('close@example.com', new Date().toISOString());
    // Not awaited: all ten wait in the group when close() begins.
    const deploys = Array.from({ length: 10 }, () => store.deploy(deployInput(org.id, 'closing')));
    await store.close();
    const sites = await Promise.all(deploys);
    expect(sites.map((s) => s.latestVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const reopened = new SqliteStore(path);
    try {
      const site = await reopened.findSiteBySlug('closing');
      expect(site).toMatchObject({ liveVersion: 10, title: sites[9]!.title });
      const file = await reopened.getFile(site!.id, 10, 'index.html');
      expect(new TextDecoder().decode(file!.body)).toBe(`<h1>${sites[9]!.title!.replace('Version ', '')}</h1>`);
    } finally {
      await reopened.close();
    }
  });

  it('fails only the write that failed, even when SQLite rolls back the whole group (a full disk)', async () => {
    const store = new SqliteStore(path);
    try {
      const { org } = await store.ensureUser('group@example.com', new Date().toISOString());
      const other = await store.ensureUser('other@example.com', new Date().toISOString());
      await store.deploy(deployInput(other.org.id, 'taken'));

      // One group: a deploy that fails in its savepoint (a slug another org holds) between two that succeed.
      const mixed = await Promise.allSettled([
        store.deploy(deployInput(org.id, 'left')),
        store.deploy(deployInput(org.id, 'taken')),
        store.deploy(deployInput(org.id, 'right')),
      ]);
      expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((mixed[1] as PromiseRejectedResult).reason.message).toContain('is taken');

      // A disk that fills mid-group: SQLite rolls back the whole transaction, not just the savepoint.
      const db = (store as unknown as { db: { exec(sql: string): void; prepare(sql: string): { get(): unknown } } }).db;
      const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
      db.exec(`PRAGMA max_page_count = ${pages + 40}`);
      const huge = deployInput(org.id, 'huge');
      huge.files = [{ ...huge.files[0]!, body: new Uint8Array(2 * 1024 * 1024).fill(0x61) }];
      const full = await Promise.allSettled([store.deploy(deployInput(org.id, 'small-1')), store.deploy(huge), store.deploy(deployInput(org.id, 'small-2'))]);
      expect(full.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((full[1] as PromiseRejectedResult).reason.message).toMatch(/full/i);
      for (const slug of ['left', 'right', 'small-1', 'small-2']) expect(await store.findSiteBySlug(slug)).not.toBeNull();
      expect(await store.findSiteBySlug('huge')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('answers a deploy after close() with an error, not a hang', async () => {
    const store = new SqliteStore(path);
    const { org } = await store.ensureUser('late@example.com', new Date().toISOString());
    await store.close();
    await expect(store.deploy(deployInput(org.id, 'late'))).rejects.toThrow(/not open/i);
  });
});

describe('CachedStore.findSiteBySlug', () => {
  let inner: SqliteStore;
  let cached: CachedStore;
  beforeEach(() => {
    inner = new SqliteStore(path);
    cached = new CachedStore(inner);
  });
  afterEach(() => cached.close());

  it('answers as the store does after deploys, publish, submissions, rename and delete', async () => {
    const { org } = await cached.ensureUser('cache@example.com', new Date().toISOString());
    const same = async (...slugs: string[]) => {
      for (const slug of slugs) expect(await cached.findSiteBySlug(slug)).toEqual(await inner.findSiteBySlug(slug));
    };

    await same('page'); // caches "no such site"
    const first = await cached.deploy(deployInput(org.id, 'page', { publish: false }));
    await same('page');
    expect((await cached.findSiteBySlug('page'))?.latestVersion).toBe(1);

    // Two deploys in one group commit: the newest is what the cache keeps.
    const [, newest] = await Promise.all([cached.deploy(deployInput(org.id, 'page')), cached.deploy(deployInput(org.id, 'page', { publish: false }))]);
    await same('page');
    expect(await cached.findSiteBySlug('page')).toMatchObject({ latestVersion: 3, liveVersion: 2, title: newest.title });

    await cached.publish(org.id, first.id, 1, new Date().toISOString());
    await same('page');
    expect((await cached.findSiteBySlug('page'))?.liveVersion).toBe(1);

    const submission = newId('sub');
    await cached.addSubmission({ id: submission, siteId: first.id, data: { email: 'a@example.com' }, ipAddress: null, now: new Date().toISOString() });
    await same('page');
    expect((await cached.findSiteBySlug('page'))?.submissionCount).toBe(1);
    await cached.deleteSubmission(org.id, first.id, submission);
    await same('page');
    expect((await cached.findSiteBySlug('page'))?.submissionCount).toBe(0);

    await cached.renameSite(org.id, first.id, 'moved', new Date().toISOString());
    await same('page', 'moved');
    expect(await cached.findSiteBySlug('page')).toBeNull();

    // A refused deploy (the slug's holder is not the one it was built for) leaves no stale answer,
    // even when the change happened behind the cache's back (another path to the same database).
    await cached.findSiteBySlug('moved');
    await inner.renameSite(org.id, first.id, 'elsewhere', new Date().toISOString());
    await expect(cached.deploy(deployInput(org.id, 'moved', { expectedSiteId: first.id }))).rejects.toThrow(/changed while this deploy/);
    await same('moved', 'elsewhere');
    await cached.renameSite(org.id, first.id, 'moved', new Date().toISOString());

    await cached.deleteSite(org.id, first.id);
    await same('page', 'moved');
    expect(await cached.findSiteBySlug('moved')).toBeNull();
  });
});
