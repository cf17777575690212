// Tenant isolation, generated from the app's own route table: every org-scoped route is called by
// every key of {A, A1, A2, B} against every one of those orgs, and objects of one org are looked up
// by id through another org's path. A route added without a recipe here fails the suite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../packages/platform/src/services/keys.js';
import { createSubTenant, createTenant, openTestApp, type Tenant, type TestApp } from './helpers/app.js';

interface Call {
  path: string;
  body?: unknown;
  /** Status when the key may act on the org in the path. */
  ok: number;
}

/**
 * How to exercise each scoped route: `pathOrg` is the org in the URL, `owner` the org whose object
 * ids are used (the same org for the reach matrix, another one for the foreign-object check).
 */
type Recipe = (pathOrg: Tenant, owner: Tenant, t: TestApp) => Promise<Call | null>;

let counter = 0;
const unique = () => `iso-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const RECIPES: Record<string, Recipe> = {
  'GET /orgs/:org': async (org) => ({ path: `/orgs/${org.org.id}`, ok: 200 }),
  'GET /orgs/:org/me': async (org) => ({ path: `/orgs/${org.org.id}/me`, ok: 200 }),
  'POST /orgs/:org/deploy': async (org) => ({ path: `/orgs/${org.org.id}/deploy`, body: { html: '<p>x</p>', slug: unique() }, ok: 201 }),
  'GET /orgs/:org/deploy/:id': async (org, owner, t) => {
    const site = await t.call('POST', `/deploy`, { key: owner.key, body: { html: '<p>x</p>', slug: unique() } });
    return { path: `/orgs/${org.org.id}/deploy/${site.body.id}`, ok: 200 };
  },
  'GET /orgs/:org/deploys': async (org) => ({ path: `/orgs/${org.org.id}/deploys`, ok: 200 }),
  'PUT /orgs/:org/deploy/:id': async (org, owner, t) => ({
    path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}`,
    body: { html: '<p>v2</p>' },
    ok: 200,
  }),
  'DELETE /orgs/:org/deploy/:id': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}`, ok: 204 }),
  'POST /orgs/:org/deploy/:id/publish': async (org, owner, t) => ({
    path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/publish`,
    body: {},
    ok: 200,
  }),
  'POST /orgs/:org/deploy/:id/patch': async (org, owner, t) => ({
    path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/patch`,
    body: { edits: [{ find: '</p>', replace: '!</p>' }] },
    ok: 200,
  }),
  // An anonymous site belongs to no tenant: each claim takes a fresh one (its own address, for the hourly limit).
  'POST /orgs/:org/deploy/:id/claim': async (org, _owner, t) => {
    const site = await t.call('POST', '/deploy', { body: { html: '<p>x</p>' }, ip: `198.18.${Math.floor(counter / 250) % 250}.${counter++ % 250}` });
    if (site.status !== 201) throw new Error(`fixture anonymous deploy failed: ${JSON.stringify(site.body)}`);
    return { path: `/orgs/${org.org.id}/deploy/${site.body.id}/claim`, body: { claim_token: site.body.claim_token }, ok: 200 };
  },
  'GET /orgs/:org/deploy/:id/versions': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/versions`, ok: 200 }),
  'PATCH /orgs/:org/deploy/:id/slug': async (org, owner, t) => ({
    path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/slug`,
    body: { slug: unique() },
    ok: 200,
  }),
  'GET /orgs/:org/submissions/:id': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/submissions/${await siteOf(owner, t)}`, ok: 200 }),
  'GET /orgs/:org/submissions/:id/export.csv': async (org, owner, t) => ({
    path: `/orgs/${org.org.id}/submissions/${await siteOf(owner, t)}/export.csv`,
    ok: 200,
  }),
  'DELETE /orgs/:org/submissions/:id/:submissionId': async (org, owner, t) => {
    const siteId = await siteOf(owner, t);
    const sub = await t.call('POST', `/submit/${siteId}`, { body: { email: 'x@example.com' }, ip: `192.0.2.${counter++ % 250}` });
    return { path: `/orgs/${org.org.id}/submissions/${siteId}/${sub.body.id}`, ok: 204 };
  },
  'GET /orgs/:org/deploy/:id/forms': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/forms`, ok: 200 }),
  'PATCH /orgs/:org/deploy/:id/forms': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/forms`, body: { retention_days: 5 }, ok: 200 }),
  'GET /orgs/:org/submissions/:id/:submissionId/files/:fileId': async (org, owner, t) => {
    const siteId = await siteOf(owner, t);
    await t.call('PATCH', `/deploy/${siteId}/forms`, { key: owner.key, body: { accept_uploads: true } });
    const form = new FormData();
    form.set('cv', new File([new Uint8Array([1, 2, 3])], 'cv.bin'));
    const res = await t.app.request(`/submit/${siteId}`, { method: 'POST', body: form, headers: { host: 'localhost:8787', accept: 'application/json' } }, { incoming: { socket: { remoteAddress: `192.0.2.${counter++ % 250}` } } });
    const subId = ((await res.json()) as { id: string }).id;
    const listed = await t.call('GET', `/submissions/${siteId}`, { key: owner.key });
    return { path: `/orgs/${org.org.id}/submissions/${siteId}/${subId}/files/${listed.body.submissions[0].data.cv.file_id}`, ok: 200 };
  },
  'POST /orgs/:org/webhooks/:id': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/webhooks/${await siteOf(owner, t)}`, body: { url: 'https://93.184.216.34/hook' }, ok: 201 }),
  'GET /orgs/:org/webhooks/:id': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/webhooks/${await siteOf(owner, t)}`, ok: 200 }),
  'DELETE /orgs/:org/webhooks/:id/:webhookId': async (org, owner, t) => {
    const siteId = await siteOf(owner, t);
    const hook = await t.call('POST', `/webhooks/${siteId}`, { key: owner.key, body: { url: 'https://93.184.216.34/hook' } });
    return { path: `/orgs/${org.org.id}/webhooks/${siteId}/${hook.body.id}`, ok: 204 };
  },
  'GET /orgs/:org/webhooks/:id/:webhookId/deliveries': async (org, owner, t) => {
    const siteId = await siteOf(owner, t);
    const hook = await t.call('POST', `/webhooks/${siteId}`, { key: owner.key, body: { url: 'https://93.184.216.34/hook' } });
    return { path: `/orgs/${org.org.id}/webhooks/${siteId}/${hook.body.id}/deliveries`, ok: 200 };
  },
  'POST /orgs/:org/deploy/:id/domains': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/domains`, body: { domain: `${unique()}.example.com` }, ok: 201 }),
  'GET /orgs/:org/deploy/:id/domains': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/domains`, ok: 200 }),
  'DELETE /orgs/:org/deploy/:id/domains/:domain': async (org, owner, t) => {
    const siteId = await siteOf(owner, t);
    const domain = `${unique()}.example.com`;
    await t.call('POST', `/orgs/${owner.org.id}/deploy/${siteId}/domains`, { key: owner.key, body: { domain } });
    return { path: `/orgs/${org.org.id}/deploy/${siteId}/domains/${domain}`, ok: 204 };
  },
  'GET /orgs/:org/deploy/:id/counters': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await countedSiteOf(owner, t)}/counters`, ok: 200 }),
  'POST /orgs/:org/deploy/:id/counters/:name/reset': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await countedSiteOf(owner, t)}/counters/hits/reset`, ok: 200 }),
  'DELETE /orgs/:org/deploy/:id/counters/:name': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await countedSiteOf(owner, t)}/counters/hits`, ok: 204 }),
  'GET /orgs/:org/deploy/:id/password': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/password`, ok: 200 }),
  'PUT /orgs/:org/deploy/:id/password': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/password`, body: { password: 'matrix password' }, ok: 200 }),
  'DELETE /orgs/:org/deploy/:id/password': async (org, owner, t) => ({ path: `/orgs/${org.org.id}/deploy/${await siteOf(owner, t)}/password`, ok: 204 }),
  'GET /orgs/:org/api-keys': async (org) => ({ path: `/orgs/${org.org.id}/api-keys`, ok: 200 }),
  'POST /orgs/:org/api-keys': async (org) => ({ path: `/orgs/${org.org.id}/api-keys`, body: { name: 'matrix' }, ok: 201 }),
  'DELETE /orgs/:org/api-keys/:keyId': async (org, owner, t) => {
    const { record } = await issueApiKey(t.store, { orgId: owner.org.id, userId: owner.userId, name: 'spare', now: new Date().toISOString() });
    return { path: `/orgs/${org.org.id}/api-keys/${record.id}`, ok: 204 };
  },
  'GET /orgs/:org/orgs': async (org) => ({ path: `/orgs/${org.org.id}/orgs`, ok: 200 }),
  'POST /orgs/:org/orgs': async (org) => ({
    path: `/orgs/${org.org.id}/orgs`,
    body: { name: 'matrix child' },
    // A sub-org cannot have children: reachable, but refused as invalid.
    ok: org.org.parentId === null ? 201 : 400,
  }),
  'DELETE /orgs/:org/orgs/:subOrgId': async (org, owner, t) => {
    if (owner.org.parentId !== null) {
      // A sub-org has no children, so it owns no object for this route.
      if (owner !== org) return null;
      return { path: `/orgs/${org.org.id}/orgs/${owner.org.id}`, ok: 404 };
    }
    const child = await t.store.createSubOrg({ parentId: owner.org.id, name: 'doomed', ownerUserId: owner.userId, now: new Date().toISOString() });
    return { path: `/orgs/${org.org.id}/orgs/${child.id}`, ok: 204 };
  },
};

/** A fresh site of the owner org, by id. */
async function siteOf(owner: Tenant, t: TestApp): Promise<string> {
  const site = await t.call('POST', `/orgs/${owner.org.id}/deploy`, { key: owner.key, body: { html: '<p>x</p>', slug: unique() } });
  if (site.status !== 201) throw new Error(`fixture deploy failed: ${JSON.stringify(site.body)}`);
  return site.body.id as string;
}

/** A fresh site of the owner org with a counter `hits` its host incremented once, by id. */
async function countedSiteOf(owner: Tenant, t: TestApp): Promise<string> {
  const slug = unique();
  const site = await t.call('POST', `/orgs/${owner.org.id}/deploy`, { key: owner.key, body: { html: '<p>x</p>', slug } });
  const hit = await t.call('POST', '/_counter/hits/increment', { headers: { host: `${slug}.localhost:8787` }, ip: `192.0.2.${counter++ % 250}` });
  if (site.status !== 201 || hit.status !== 200) throw new Error(`fixture counter failed: ${JSON.stringify([site.body, hit.body])}`);
  return site.body.id as string;
}

/** Routes whose path names an object of the org, for the foreign-object check. */
const OBJECT_ROUTES = [
  'GET /orgs/:org/deploy/:id',
  'PUT /orgs/:org/deploy/:id',
  'DELETE /orgs/:org/deploy/:id',
  'POST /orgs/:org/deploy/:id/publish',
  'GET /orgs/:org/deploy/:id/versions',
  'PATCH /orgs/:org/deploy/:id/slug',
  'GET /orgs/:org/submissions/:id',
  'GET /orgs/:org/submissions/:id/export.csv',
  'DELETE /orgs/:org/submissions/:id/:submissionId',
  'GET /orgs/:org/deploy/:id/forms',
  'PATCH /orgs/:org/deploy/:id/forms',
  'GET /orgs/:org/submissions/:id/:submissionId/files/:fileId',
  'POST /orgs/:org/webhooks/:id',
  'GET /orgs/:org/webhooks/:id',
  'DELETE /orgs/:org/webhooks/:id/:webhookId',
  'GET /orgs/:org/webhooks/:id/:webhookId/deliveries',
  'POST /orgs/:org/deploy/:id/domains',
  'GET /orgs/:org/deploy/:id/domains',
  'DELETE /orgs/:org/deploy/:id/domains/:domain',
  'GET /orgs/:org/deploy/:id/counters',
  'POST /orgs/:org/deploy/:id/counters/:name/reset',
  'DELETE /orgs/:org/deploy/:id/counters/:name',
  'GET /orgs/:org/deploy/:id/password',
  'PUT /orgs/:org/deploy/:id/password',
  'DELETE /orgs/:org/deploy/:id/password',
  'DELETE /orgs/:org/api-keys/:keyId',
  'DELETE /orgs/:org/orgs/:subOrgId',
];

function scopedRoutes(t: TestApp): string[] {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/orgs/:org')) continue;
    seen.add(`${r.method} ${r.path.replace(/\/$/, '')}`);
  }
  return [...seen].sort();
}

describe.each(['sqlite', 'postgres'] as const)('tenant isolation across orgs and sub-orgs (%s)', (backend) => {
  let t: TestApp;
  let A: Tenant, A1: Tenant, A2: Tenant, B: Tenant;
  let tenants: Record<string, Tenant>;

  let close: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await close?.();
  });
  beforeAll(async () => {
    const opened = await openTestApp(backend);
    // Each recipe makes a fresh site: past INVOKER_MAX_SITES' 100 per org with every route covered.
    opened.deps.limits.maxSites = 10_000;
    // The claim route's recipe deploys anonymously.
    opened.deps.anonymous = { enabled: true };
    t = opened;
    close = opened.close;
    A = await createTenant(t, 'agency@example.com');
    A1 = await createSubTenant(t, A, 'client one');
    A2 = await createSubTenant(t, A, 'client two');
    B = await createTenant(t, 'other@example.com');
    tenants = { A, A1, A2, B };
  });

  /** The SPEC's rule: own org, or a direct sub-org of the key's org. */
  const reaches = (key: Tenant, target: Tenant) => key === target || target.org.parentId === key.org.id;

  it('has a recipe for every org-scoped route, and every resource route also exists unscoped', () => {
    const routes = scopedRoutes(t);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const missing = routes.filter((r) => !RECIPES[r]);
    expect(missing, 'add an isolation recipe for these routes').toEqual([]);
    const unscoped = new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const bare = path.replace('/orgs/:org', '');
      // The org itself and its sub-org deletion exist only in scoped form (see routes/orgs.ts).
      if (bare === '' || bare.startsWith('/orgs/:subOrgId')) continue;
      expect(unscoped.has(`${method} ${bare}`), `${method} ${bare} should exist unscoped`).toBe(true);
    }
  });

  it('lets each key reach exactly its own org and its direct sub-orgs; everything else is 404', async () => {
    const outcomes: string[] = [];
    for (const route of scopedRoutes(t)) {
      const [method] = route.split(' ') as [string];
      for (const [keyName, key] of Object.entries(tenants)) {
        for (const [targetName, target] of Object.entries(tenants)) {
          const call = (await (RECIPES[route] as Recipe)(target, target, t)) as Call;
          const res = await t.call(method, call.path, { key: key.key, body: call.body });
          const expected = reaches(key, target) ? call.ok : 404;
          if (res.status !== expected) outcomes.push(`${route} key=${keyName} org=${targetName}: ${res.status}, expected ${expected}`);
          if (res.status === 404) expect(res.body).toMatchObject({ code: 'not_found' });
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('answers 404 for another org\'s object even through a path the key may use', async () => {
    const problems: string[] = [];
    for (const route of OBJECT_ROUTES) {
      const [method] = route.split(' ') as [string];
      for (const [keyName, key] of Object.entries(tenants)) {
        for (const [pathName, pathOrg] of Object.entries(tenants)) {
          if (!reaches(key, pathOrg)) continue;
          for (const [ownerName, owner] of Object.entries(tenants)) {
            if (owner === pathOrg) continue;
            const call = await (RECIPES[route] as Recipe)(pathOrg, owner, t);
            if (!call) continue;
            const res = await t.call(method, call.path, { key: key.key, body: call.body });
            if (res.status !== 404) problems.push(`${route} key=${keyName} path=${pathName} object of ${ownerName}: ${res.status}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolves c to the key\'s own org, for a parent key and for a sub-org key', async () => {
    expect((await t.call('GET', '/orgs/c', { key: A.key })).body.id).toBe(A.org.id);
    expect((await t.call('GET', '/orgs/c', { key: A1.key })).body.id).toBe(A1.org.id);
    const subs = await t.call('GET', '/orgs/c/orgs', { key: A.key });
    expect(subs.body.orgs.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([A1.org.id, A2.org.id]));
    // A percent-encoded `c` is still `c` (URL decoding), never another org.
    expect((await t.call('GET', '/orgs/%63', { key: A1.key })).body.id).toBe(A1.org.id);
    // Other alias tricks never resolve to anything.
    for (const alias of ['C', 'c%20', '%20c', A1.org.id.toLowerCase(), 'org_', `${A1.org.id}%00`]) {
      const res = await t.call('GET', `/orgs/${alias}`, { key: A.key });
      expect(res.status, alias).toBe(404);
    }
    // `..` is no alias: the URL parser resolves /orgs/.. to /, the public landing page, with no org in it.
    const up = await t.call('GET', '/orgs/..', { key: A.key });
    const landing = await t.call('GET', '/');
    expect([up.status, up.body]).toEqual([landing.status, landing.body]);
    expect(JSON.stringify(up.body)).not.toContain(A.org.id);
  });

  it('unscoped routes act on the key\'s own org', async () => {
    const slug = unique();
    const created = await t.call('POST', '/deploy', { key: A1.key, body: { html: '<p>a1</p>', slug } });
    expect(created.status).toBe(201);
    expect((await t.call('GET', `/orgs/${A1.org.id}/deploy/${created.body.id}`, { key: A.key })).status).toBe(200);
    expect((await t.call('GET', `/deploy/${created.body.id}`, { key: A.key })).status).toBe(404);
    expect((await t.call('GET', `/deploy/${created.body.id}`, { key: A2.key })).status).toBe(404);
  });
});
