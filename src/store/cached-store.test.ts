// The read cache must be indistinguishable from the store behind it: after every kind of change,
// the cached answer is the store's answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../contract/ids.js';
import { CachedStore } from './cached-store.js';
import { SqliteStore } from './sqlite.js';
import type { DeployInput } from './store.js';

let dir: string;
let inner: SqliteStore;
let cached: CachedStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'invoker-cache-'));
  inner = new SqliteStore(join(dir, 'invoker.db'));
  cached = new CachedStore(inner);
});
afterEach(async () => {
  await cached.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function deployInput(orgId: string, slug: string, publish: boolean): DeployInput {
  n += 1;
  return {
    orgId,
    newSiteId: newId('dep'),
    slug,
    metadata: { title: `Version ${n}`, description: null, favicon: null, isSpa: false },
    previewToken: `cachetoken${String(n).padStart(6, '0')}`,
    files: [{ path: 'index.html', contentType: 'text/html; charset=utf-8', etag: `"c${n}"`, body: new TextEncoder().encode(`<h1>${n}</h1>`) }],
    publish,
    maxSites: 10,
    now: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  };
}

describe('CachedStore.findSiteBySlug', () => {
  it('answers as the store does after deploys, publish, submissions, rename and delete', async () => {
    const { org } = await cached.ensureUser('cache@example.com', new Date().toISOString());
    const same = async (...slugs: string[]) => {
      for (const slug of slugs) expect(await cached.findSiteBySlug(slug)).toEqual(await inner.findSiteBySlug(slug));
    };

    await same('page'); // caches "no such site"
    const first = await cached.deploy(deployInput(org.id, 'page', false));
    await same('page');
    expect((await cached.findSiteBySlug('page'))?.latestVersion).toBe(1);

    // Two deploys in one group commit: the newest is what the cache keeps.
    await Promise.all([cached.deploy(deployInput(org.id, 'page', true)), cached.deploy(deployInput(org.id, 'page', false))]);
    await same('page');
    expect(await cached.findSiteBySlug('page')).toMatchObject({ latestVersion: 3, liveVersion: 2, title: 'Version 3' });

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

    // A refused deploy (the slug's holder is not the one it was built for) leaves no stale answer.
    await expect(cached.deploy({ ...deployInput(org.id, 'moved', false), expectedSiteId: null })).rejects.toThrow(/changed while this deploy/);
    await same('moved');

    await cached.deleteSite(org.id, first.id);
    await same('page', 'moved');
    expect(await cached.findSiteBySlug('moved')).toBeNull();
  });
});
