// The dashboard answers through the same services as the API: one rule, two wordings. A failure the
// API words with its routes (list_deploys, GET /orgs/c/orgs) the dashboard words with its pages, and
// a change the service refuses is never reported as done.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../packages/platform/src/services/login-secrets.js';
import { CachedStore } from '../packages/platform/src/store/cached-store.js';
import { SqliteStore } from '../packages/platform/src/store/sqlite.js';
import { createSubTenant, createTenant, createTestApp, type TestApp } from './helpers/app.js';

/** A signed-in dashboard browser for the tenant: GETs and CSRF-carrying form posts. */
async function browser(t: TestApp, userId: string, orgId: string) {
  const token = `tok-${orgId}`;
  await t.store.createDashboardSession({
    id: `ses_${orgId.slice(4, 20)}`,
    tokenHash: sha256Hex(token),
    userId,
    orgId,
    csrfToken: 'csrf',
    now: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  const headers = { host: 'localhost:8787', cookie: `invoker_session=${token}`, origin: 'http://localhost:8787' };
  return {
    get: async (path: string) => {
      const res = await t.app.request(path, { headers });
      return { status: res.status, text: await res.text(), location: res.headers.get('location') };
    },
    post: async (path: string, fields: Record<string, string> = {}) => {
      const res = await t.app.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: 'csrf' }).toString(),
      });
      return { status: res.status, text: await res.text(), location: res.headers.get('location') };
    },
  };
}

describe('the dashboard and the API share their rules', () => {
  it('words a missing site for each surface, from one error', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'words@example.com');
    const api = await t.call('GET', '/deploy/dep_0000000000000000', { key: me.key });
    expect(api.status).toBe(404);
    expect(api.body.error).toBe('Deployment not found. Check the id with list_deploys (GET /deploys).');
    const page = await (await browser(t, me.userId, me.org.id)).get('/dashboard/sites/dep_0000000000000000');
    expect(page.status).toBe(404);
    expect(page.text).toContain('Deployment not found. Go back to the Sites page.');
    expect(page.text).not.toContain('list_deploys');
  });

  it('refuses a sub-org of a sub-org on both, each in its own words', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'nest@example.com');
    const sub = await createSubTenant(t, me, 'Team');
    const api = await t.call('POST', `/orgs/${sub.org.id}/orgs`, { key: me.key, body: { name: 'Nested' } });
    expect(api.body).toEqual({
      code: 'invalid_input',
      error: 'Sub-organizations cannot have sub-organizations of their own. Create it under the parent organization instead.',
    });
    const dash = await browser(t, me.userId, sub.org.id);
    const page = await dash.post('/dashboard/orgs', { name: 'Nested' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('Sub-organizations cannot have sub-organizations of their own. Switch to the parent organization first.');
    expect((await t.call('GET', `/orgs/${sub.org.id}/orgs`, { key: me.key })).body.orgs).toEqual([]);
  });

  it('switches only to an org the user reaches, the rule the API keeps for keys', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'switch@example.com');
    const other = await createTenant(t, 'other@example.com');
    const sub = await createSubTenant(t, me, 'Client');
    const dash = await browser(t, me.userId, me.org.id);
    expect((await dash.post('/dashboard/org', { org_id: sub.org.id })).location).toContain('Switched%20to%20Client');
    const refused = await dash.post('/dashboard/org', { org_id: other.org.id });
    expect(refused.status).toBe(404);
    expect(refused.text).toContain('Organization not found. Pick one from the menu.');
    expect((await t.call('GET', `/orgs/${other.org.id}`, { key: me.key })).body.error).toBe(
      'Organization not found. Use "c" for your key\'s own organization, or an id from list_orgs (GET /orgs/c/orgs).',
    );
  });

  it('never reports a rename the store did not make', async () => {
    // A site deleted between the page's load and the store's write: renameSite finds nothing.
    const dir = mkdtempSync(join(tmpdir(), 'invoker-rename-'));
    const store = new CachedStore(
      new (class extends SqliteStore {
        override async renameSite() {
          return null;
        }
      })(join(dir, 'invoker.db')),
    );
    const t = createTestApp({}, store);
    const me = await createTenant(t, 'rename@example.com');
    const site = await t.call('POST', '/deploy', { key: me.key, body: { html: '<p>x</p>', slug: 'stays-put' } });
    const page = await (await browser(t, me.userId, me.org.id)).post(`/dashboard/sites/${site.body.id}/slug`, { slug: 'moved-away' });
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Renamed');
    expect(page.text).toContain('Deployment not found.');
    await store.close();
  });

  it('adds, lists, checks and removes a custom domain on the site\'s Custom domains page, with the API\'s rules', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'domains@example.com');
    const other = await createTenant(t, 'rival@example.com');
    const site = await t.call('POST', '/deploy', { key: me.key, body: { html: '<p>x</p>', slug: 'dash-domains' } });
    const theirs = await t.call('POST', '/deploy', { key: other.key, body: { html: '<p>y</p>', slug: 'rival-domains' } });
    const dash = await browser(t, me.userId, me.org.id);
    const path = `/dashboard/sites/${site.body.id}/domains`;
    expect((await dash.get(`/dashboard/sites/${site.body.id}`)).text).toContain(`href="${path}"`);
    expect((await dash.get(path)).text).toContain('No custom domains yet');
    const added = await dash.post(path, { domain: 'Shop.Example.com' });
    expect(added.status).toBe(303);
    expect(decodeURIComponent(added.location ?? '')).toContain('shop.example.com added');
    const listed = await dash.get(path);
    expect(listed.text).toContain('CNAME shop.example.com → dash-domains.');
    expect(listed.text).toContain('TXT _invoker.shop.example.com → invoker-verification=');
    expect(listed.text).toContain('Check now');
    // The same refusal as the API's: not a host name.
    const bad = await dash.post(path, { domain: 'not a name' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('is not a host name');
    // Held by another org once it verified there: 409 on the page too.
    await t.call('POST', `/deploy/${theirs.body.id}/domains`, { key: other.key, body: { domain: 'held.example.com' } });
    await t.store.verifyDomain(other.org.id, theirs.body.id, 'held.example.com', 'dns', new Date().toISOString());
    const held = await dash.post(path, { domain: 'held.example.com' });
    expect(held.status).toBe(409);
    expect(held.text).toContain('verified by another site');
    const removed = await dash.post(`${path}/shop.example.com/delete`);
    expect(decodeURIComponent(removed.location ?? '')).toContain('Removed shop.example.com');
    expect((await t.call('GET', `/deploy/${site.body.id}/domains`, { key: me.key })).body.domains).toEqual([]);
  });
});
