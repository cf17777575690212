// Races on names and versions: concurrent deploys of one new slug from two orgs, and concurrent
// publish/rollback of one site. In process through createApp: the requests interleave at every await,
// as they do on one serve process.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createTenant, createTestApp } from '../helpers/app.js';

const DEPLOYS = 50;

describe('races', () => {
  it(`${DEPLOYS} concurrent deploys of one new slug from two orgs: one owner, the rest 409, no half-written site`, async () => {
    const t = createTestApp();
    const a = await createTenant(t, 'a@example.com');
    const b = await createTenant(t, 'b@example.com');
    const results = await Promise.all(
      Array.from({ length: DEPLOYS }, (_, i) => {
        const who = i % 2 === 0 ? a : b;
        return t
          .call('POST', '/deploy', {
            key: who.key,
            body: { slug: 'contested', html: `<form action="{{SUBMIT_URL}}" method="post"><p>from ${who === a ? 'a' : 'b'} #${i}</p></form>` },
          })
          .then((res) => ({ who: who === a ? 'a' : 'b', ...res }));
      }),
    );
    const won = results.filter((r) => r.status === 200 || r.status === 201);
    const lost = results.filter((r) => r.status === 409);
    expect(won.length + lost.length).toBe(DEPLOYS);
    const owners = new Set(won.map((r) => r.who));
    expect(owners.size).toBe(1);
    const owner = won[0]!.who === 'a' ? a : b;
    // Every request of the owning org succeeded (a new version each); every one of the other org got 409.
    expect(won.length).toBe(DEPLOYS / 2);
    expect(lost.every((r) => r.who !== won[0]!.who && r.body.code === 'conflict')).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const siteIds = new Set(won.map((r) => r.body.id));
    expect(siteIds.size).toBe(1);
    const siteId = [...siteIds][0] as string;

    // One site, versions 1..25, each complete, and each form posting to the site that exists.
    const versions = await t.call('GET', `/deploy/${siteId}/versions`, { key: owner.key });
    expect(versions.body.versions.map((v: { version: number }) => v.version).sort((x: number, y: number) => x - y)).toEqual(
      Array.from({ length: DEPLOYS / 2 }, (_, i) => i + 1),
    );
    const db = new DatabaseSync(t.dbPath, { readOnly: true });
    try {
      const sites = db.prepare("SELECT id, org_id FROM sites WHERE slug = 'contested'").all();
      expect(sites).toEqual([{ id: siteId, org_id: owner.org.id }]);
      // No orphans: every version and file belongs to a site that exists.
      expect(db.prepare('SELECT COUNT(*) AS n FROM site_versions WHERE site_id NOT IN (SELECT id FROM sites)').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM site_files WHERE site_id NOT IN (SELECT id FROM sites)').get()).toEqual({ n: 0 });
      const files = db.prepare("SELECT version, body FROM site_files WHERE site_id = ? AND path = 'index.html'").all(siteId) as Array<{ version: number; body: Uint8Array }>;
      expect(files).toHaveLength(DEPLOYS / 2);
      for (const f of files) {
        expect(Buffer.from(f.body).toString('utf8'), `version ${f.version}`).toContain(`/submit/${siteId}"`);
      }
    } finally {
      db.close();
    }
    const other = owner === a ? b : a;
    const otherList = await t.call('GET', '/deploys', { key: other.key });
    expect(otherList.body.deploys).toEqual([]);
  });

  it('a rename racing a first deploy of the same slug never leaves a version whose form posts to another site', async () => {
    const t = createTestApp();
    const a = await createTenant(t, 'a@example.com');
    let conflicts = 0;
    for (let i = 0; i < 20; i++) {
      const old = await t.call('POST', '/deploy', { key: a.key, body: { slug: `old-${i}`, html: '<form action="{{SUBMIT_URL}}"></form>' } });
      // Started in both orders, and with the rename delayed by a growing number of ticks.
      const rename = async () => {
        for (let n = 0; n < i % 10; n++) await Promise.resolve();
        return t.call('PATCH', `/deploy/${old.body.id}/slug`, { key: a.key, body: { slug: `new-${i}` } });
      };
      const deploy = () => t.call('POST', '/deploy', { key: a.key, body: { slug: `new-${i}`, html: '<form action="{{SUBMIT_URL}}"></form>' } });
      const [renamed, deployed] = i % 2 === 0 ? await Promise.all([rename(), deploy()]) : await Promise.all([deploy(), rename()]).then(([d, r]) => [r, d] as const);
      expect([200, 409]).toContain(renamed.status);
      expect([200, 201]).toContain(deployed.status);
      if (renamed.status === 409) conflicts++;
    }
    const db = new DatabaseSync(t.dbPath, { readOnly: true });
    try {
      const rows = db.prepare("SELECT site_id, version, body FROM site_files WHERE path = 'index.html'").all() as Array<{ site_id: string; version: number; body: Uint8Array }>;
      for (const r of rows) expect(Buffer.from(r.body).toString('utf8'), `${r.site_id} v${r.version}`).toContain(`/submit/${r.site_id}"`);
    } finally {
      db.close();
    }
    console.log(`[figures] rename races: 20 rounds, ${conflicts} renames refused with 409`);
  });

  it('concurrent publish and rollback of one site end in one consistent live version', async () => {
    const t = createTestApp();
    const a = await createTenant(t, 'a@example.com');
    let siteId = '';
    for (let v = 1; v <= 5; v++) {
      const res = await t.call('POST', '/deploy', { key: a.key, body: { slug: 'flip', html: `<p>version ${v}</p>`, publish: false } });
      siteId = res.body.id;
    }
    const asked = Array.from({ length: 60 }, (_, i) => (i % 6 === 5 ? undefined : (i % 5) + 1));
    const results = await Promise.all(
      asked.map((version) => t.call('POST', `/deploy/${siteId}/publish`, { key: a.key, body: version === undefined ? {} : { version } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const site = await t.call('GET', `/deploy/${siteId}`, { key: a.key });
    const live = site.body.live_version as number;
    expect([1, 2, 3, 4, 5]).toContain(live);
    const versions = await t.call('GET', `/deploy/${siteId}/versions`, { key: a.key });
    const marked = versions.body.versions.filter((v: { live: boolean }) => v.live);
    expect(marked.map((v: { version: number }) => v.version)).toEqual([live]);
    // The page served is the live version's, on the site host and on the /s/ fallback.
    const page = await t.call('GET', '/', { headers: { host: 'flip.localhost:8787' } });
    expect(page.body).toContain(`<p>version ${live}</p>`);
    const fallback = await t.call('GET', '/s/flip/');
    expect(fallback.body).toContain(`<p>version ${live}</p>`);
    // A publish of the newest then agrees everywhere at once (the read cache was invalidated).
    await t.call('POST', `/deploy/${siteId}/publish`, { key: a.key, body: {} });
    expect((await t.call('GET', '/', { headers: { host: 'flip.localhost:8787' } })).body).toContain('<p>version 5</p>');
  });
});
