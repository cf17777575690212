// The read cache against a real SQLite store, counting what reaches the store: misses never push
// real sites out, and a change to one site leaves every other site's entries in place.
import { describe, expect, it } from 'vitest';
import { newId } from 'invoker-mcp/contract/ids.js';
import { CachedStore } from './cached-store.js';
import { SqliteStore } from './sqlite.js';
import type { DeployInput, Store } from './store.js';

/** The store, with a count of the calls that reached it per method. */
function counted(store: Store): { store: Store; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

let clock = Date.parse('2026-01-01T00:00:00Z');
const tick = () => new Date((clock += 1000)).toISOString();

function deployInput(orgId: string, slug: string, publish: boolean): DeployInput {
  return {
    orgId,
    newSiteId: newId('dep'),
    slug,
    metadata: { title: null, description: null, favicon: null, isSpa: false },
    previewToken: `pt${Math.random().toString(36).slice(2, 16)}`,
    files: [{ path: 'index.html', contentType: 'text/html; charset=utf-8', etag: '"e"', body: new TextEncoder().encode(`<p>${slug}</p>`) }],
    publish,
    maxSites: 100,
    now: tick(),
  };
}

async function setup() {
  const { store: inner, calls } = counted(new SqliteStore(':memory:'));
  // Room for 100 real entries: a flood of 10,000 misses must still not evict them.
  const cache = new CachedStore(inner, { fileBytes: 1024 * 1024, entries: 100, misses: 50 });
  const { org, user } = await cache.ensureUser('cache@example.com', tick());
  const real = await cache.deploy(deployInput(org.id, 'real', true));
  const other = await cache.deploy(deployInput(org.id, 'other', true));
  const reads = (name: string) => calls.get(name) ?? 0;
  return { cache, org, user, real, other, reads };
}

describe('CachedStore', () => {
  it('keeps real sites cached while 10,000 random hosts and paths miss', async () => {
    const { cache, real, reads } = await setup();
    const page = async () => {
      const hosted = await cache.findHosted('real', null);
      return hosted && cache.getFile(hosted.site.id, hosted.version, 'index.html');
    };
    expect((await page())?.path).toBe('index.html');
    const before = { hosted: reads('findHosted'), files: reads('getFile') };

    for (let i = 0; i < 10_000; i++) {
      expect(await cache.findHosted(`random-${i}`, null)).toBeNull();
      expect(await cache.getFile(real.id, 1, `missing-${i}.html`)).toBeNull();
    }
    expect(reads('findHosted') - before.hosted).toBe(10_000);

    const after = { hosted: reads('findHosted'), files: reads('getFile') };
    expect((await page())?.path).toBe('index.html');
    // Served from the cache: neither lookup reached the store.
    expect({ hosted: reads('findHosted'), files: reads('getFile') }).toEqual(after);
    // A repeated miss is answered by the small table of misses.
    await cache.findHosted('random-9999', null);
    expect(reads('findHosted')).toBe(after.hosted);
  });

  it('clears only the changed site: a publish, a submission or a delete elsewhere costs nothing', async () => {
    const { cache, org, real, other, reads } = await setup();
    await cache.findHosted('real', null);
    await cache.findSiteBySlug('real');
    await cache.findHosted('other', null);
    await cache.findSiteBySlug('other');
    const base = { hosted: reads('findHosted'), bySlug: reads('findSiteBySlug') };

    await cache.deploy({ ...deployInput(org.id, 'other', true), expectedSiteId: other.id });
    await cache.publish(org.id, other.id, 1, tick());
    await cache.addSubmission({ id: newId('sub'), siteId: other.id, data: { a: '1' }, ipAddress: null, now: tick() });
    await cache.renameSite(org.id, other.id, 'other-renamed', tick());
    await cache.deleteSite(org.id, other.id);

    await cache.findHosted('real', null);
    await cache.findSiteBySlug('real');
    expect({ hosted: reads('findHosted'), bySlug: reads('findSiteBySlug') }).toEqual(base);
    // The changed site itself is read again, and its answers are current.
    expect(await cache.findHosted('other', null)).toBeNull();
    expect(await cache.findSiteBySlug('other-renamed')).toBeNull();
    expect(reads('findHosted')).toBe(base.hosted + 1);
    expect((await cache.findSiteBySlug('real'))?.id).toBe(real.id);
  });

  it('forgets a cached miss when the site appears: a new slug, or a draft published', async () => {
    const { cache, org, reads } = await setup();
    expect(await cache.findHosted('later', null)).toBeNull();
    expect(await cache.findHosted('later', null)).toBeNull();
    expect(reads('findHosted')).toBe(1);
    const draft = await cache.deploy(deployInput(org.id, 'later', false));
    // Unpublished: the live host is still a miss, now cached again.
    expect(await cache.findHosted('later', null)).toBeNull();
    await cache.publish(org.id, draft.id, null, tick());
    expect((await cache.findHosted('later', null))?.site.id).toBe(draft.id);
    // A rename makes the new name answer at once, though it was a cached miss.
    expect(await cache.findHosted('moved', null)).toBeNull();
    await cache.renameSite(org.id, draft.id, 'moved', tick());
    expect((await cache.findHosted('moved', null))?.site.id).toBe(draft.id);
    expect(await cache.findHosted('later', null)).toBeNull();
  });

  it('counts a submission on its own site record and no other', async () => {
    const { cache, real, other } = await setup();
    await cache.findSiteBySlug('real');
    await cache.findSiteBySlug('other');
    await cache.addSubmission({ id: newId('sub'), siteId: real.id, data: { a: '1' }, ipAddress: null, now: tick() });
    expect((await cache.findSiteBySlug('real'))?.submissionCount).toBe(1);
    expect((await cache.findSiteBySlug('other'))?.submissionCount).toBe(0);
    expect(other.id).not.toBe(real.id);
  });

  it('drops a revoked key at once and keeps the others', async () => {
    const { cache, org, user, reads } = await setup();
    const keys = [];
    for (const name of ['a', 'b']) {
      keys.push(await cache.createApiKey({ id: newId('key'), orgId: org.id, userId: user.id, name, keyHash: `hash-${name}`, preview: 'inv_…', now: tick() }));
    }
    expect(await cache.findPrincipalByKeyHash('hash-a')).not.toBeNull();
    expect(await cache.findPrincipalByKeyHash('hash-b')).not.toBeNull();
    const base = reads('findPrincipalByKeyHash');
    await cache.revokeApiKey(org.id, keys[0]?.id as string, tick());
    expect(await cache.findPrincipalByKeyHash('hash-a')).toBeNull();
    expect(await cache.findPrincipalByKeyHash('hash-b')).not.toBeNull();
    // Only the revoked key was looked up again.
    expect(reads('findPrincipalByKeyHash')).toBe(base + 1);
  });

  it('caches what a custom domain serves, and forgets it when the domain is verified or removed, the site changes, or another instance says so', async () => {
    const { cache, org, real, reads } = await setup();
    const add = (domain: string) => cache.addDomain({ orgId: org.id, siteId: real.id, domain, token: 't', maxPerSite: 10, now: tick() });
    await add('shop.example.test');
    expect(await cache.findHostedByDomain('shop.example.test')).toBeNull();
    expect(await cache.findHostedByDomain('shop.example.test')).toBeNull();
    expect(reads('findHostedByDomain')).toBe(1);
    await cache.verifyDomain(org.id, real.id, 'shop.example.test', 'dns', tick());
    expect((await cache.findHostedByDomain('shop.example.test'))?.site.id).toBe(real.id);
    expect((await cache.findHostedByDomain('shop.example.test'))?.site.id).toBe(real.id);
    expect(reads('findHostedByDomain')).toBe(2);
    // A publish of the site clears it (the live version may have moved).
    await cache.publish(org.id, real.id, 1, tick());
    expect((await cache.findHostedByDomain('shop.example.test'))?.version).toBe(1);
    expect(reads('findHostedByDomain')).toBe(3);
    // Another instance removed it: its notification clears this instance's entry.
    cache.changed({ kind: 'domain', domain: 'shop.example.test' });
    await cache.findHostedByDomain('shop.example.test');
    expect(reads('findHostedByDomain')).toBe(4);
    await cache.removeDomain(org.id, real.id, 'shop.example.test');
    expect(await cache.findHostedByDomain('shop.example.test')).toBeNull();
    expect(reads('findHostedByDomain')).toBe(5);
    // A verified domain of a site not yet published is a miss that the publish must clear.
    const later = await cache.deploy(deployInput(org.id, 'later', false));
    await cache.addDomain({ orgId: org.id, siteId: later.id, domain: 'later.example.test', token: 't', maxPerSite: 10, now: tick() });
    await cache.verifyDomain(org.id, later.id, 'later.example.test', 'http', tick());
    expect(await cache.findHostedByDomain('later.example.test')).toBeNull();
    await cache.publish(org.id, later.id, null, tick());
    expect((await cache.findHostedByDomain('later.example.test'))?.site.id).toBe(later.id);
  });
});
