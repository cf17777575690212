// Every answer the site, form, key and org routes document, over real HTTP, unscoped and under
// /orgs/{org_id}: each success and each refusal a client generated from the OpenAPI document must
// expect. Each answer is also checked against the document itself (test/openapi/conformance.test.ts).
// The middleware's answers (401, 413, 429, 500) for every operation: api-answers-middleware.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployInput } from '../../packages/platform/src/store/store.js';
import { startApiServer, type ApiServer } from '../helpers/api-server.js';

describe('the answers of the resource routes', () => {
  let api: ApiServer;
  let tenants = 0;
  const tenant = () => api.tenant(`answers${++tenants}@example.com`);

  beforeAll(async () => {
    // Small limits, so a test reaches each of them with a small request.
    api = await startApiServer({ INVOKER_MAX_SITES: '2', INVOKER_MAX_FILE_MB: '1', INVOKER_SUBMISSIONS_PER_MINUTE: '2', INVOKER_MAX_DOMAINS: '2' });
  });
  afterAll(async () => api?.stop());

  describe.each([
    ['unscoped', ''],
    ['under /orgs/c', '/orgs/c'],
  ])('%s', (_name, p) => {
    it('sites: deploy, redeploy, read, list, versions, update, publish, roll back, rename, delete', async () => {
      const { key } = await tenant();
      const slug = `walk${tenants}`;
      const created = await api.call('POST', `${p}/deploy`, { key, json: { slug, title: 'One', html: '<p>1</p>' } });
      expect([created.status, created.json.version, created.json.title]).toEqual([201, 1, 'One']);
      const id = created.json.id as string;
      const again = await api.call('POST', `${p}/deploy`, { key, json: { slug, html: '<p>2</p>' } });
      expect([again.status, again.json.id, again.json.version]).toEqual([200, id, 2]);
      expect((await api.call('GET', `${p}/deploy/${id}`, { key })).json).toMatchObject({ id, slug, live_version: 2 });
      expect((await api.call('GET', `${p}/deploys?limit=1`, { key })).json.deploys).toHaveLength(1);
      const updated = await api.call('PUT', `${p}/deploy/${id}`, { key, json: { html: '<p>3</p>', publish: false } });
      expect([updated.status, updated.json.version, updated.json.live_version]).toEqual([200, 3, 2]);
      const versions = await api.call('GET', `${p}/deploy/${id}/versions`, { key });
      expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
      const rolledBack = await api.call('POST', `${p}/deploy/${id}/publish`, { key, json: { version: 1 } });
      expect([rolledBack.status, rolledBack.json.live_version]).toEqual([200, 1]);
      // No body at all: the newest version.
      expect((await api.call('POST', `${p}/deploy/${id}/publish`, { key })).json.live_version).toBe(3);
      const renamed = await api.call('PATCH', `${p}/deploy/${id}/slug`, { key, json: { slug: `${slug}-b` } });
      expect([renamed.status, renamed.json.slug]).toEqual([200, `${slug}-b`]);
      expect((await api.call('DELETE', `${p}/deploy/${id}`, { key })).status).toBe(204);
      expect((await api.call('GET', `${p}/deploy/${id}`, { key })).status).toBe(404);
    });

    it('sites: bad input 400, no such site 404, slug taken 409, over the site or file limit 403 and 413', async () => {
      const { key } = await tenant();
      const other = await tenant();
      const held = await api.call('POST', `${p}/deploy`, { key: other.key, json: { slug: `held${tenants}`, html: '<p>theirs</p>' } });
      const a = (await api.call('POST', `${p}/deploy`, { key, json: { slug: `mine${tenants}`, html: '<p>a</p>' } })).json.id as string;
      const b = await api.call('POST', `${p}/deploy`, { key, json: { html: '<p>b</p>' } });
      const statuses = {
        notJson: (await api.call('POST', `${p}/deploy`, { key, raw: '{"html":' })).status,
        badSlug: (await api.call('POST', `${p}/deploy`, { key, json: { slug: 'Not A Slug', html: '<p>x</p>' } })).status,
        badQuery: (await api.call('GET', `${p}/deploys?limit=0`, { key })).status,
        heldByOther: (await api.call('POST', `${p}/deploy`, { key, json: { slug: held.json.slug, html: '<p>x</p>' } })).status,
        thirdSite: (await api.call('POST', `${p}/deploy`, { key, json: { html: '<p>c</p>' } })).status,
        fileTooLarge: (await api.call('POST', `${p}/deploy`, { key, json: { slug: `mine${tenants}`, html: `<p>${'x'.repeat(1_100_000)}</p>` } })).status,
        updateNotJson: (await api.call('PUT', `${p}/deploy/${a}`, { key, raw: '[' })).status,
        updateGone: (await api.call('PUT', `${p}/deploy/dep_0000000000000000`, { key, json: { html: '<p>x</p>' } })).status,
        publishNotJson: (await api.call('POST', `${p}/deploy/${a}/publish`, { key, raw: '{' })).status,
        publishNoVersion: (await api.call('POST', `${p}/deploy/${a}/publish`, { key, json: { version: 99 } })).status,
        publishGone: (await api.call('POST', `${p}/deploy/dep_0000000000000000/publish`, { key })).status,
        renameNotJson: (await api.call('PATCH', `${p}/deploy/${a}/slug`, { key, raw: '{' })).status,
        renameTaken: (await api.call('PATCH', `${p}/deploy/${a}/slug`, { key, json: { slug: b.json.slug } })).status,
        renameGone: (await api.call('PATCH', `${p}/deploy/dep_0000000000000000/slug`, { key, json: { slug: 'free-slug' } })).status,
        readGone: (await api.call('GET', `${p}/deploy/dep_0000000000000000`, { key })).status,
        versionsGone: (await api.call('GET', `${p}/deploy/dep_0000000000000000/versions`, { key })).status,
        deleteGone: (await api.call('DELETE', `${p}/deploy/dep_0000000000000000`, { key })).status,
      };
      expect(statuses).toEqual({
        notJson: 400, badSlug: 400, badQuery: 400, heldByOther: 409, thirdSite: 403, fileTooLarge: 413, updateNotJson: 400, updateGone: 404,
        publishNotJson: 400, publishNoVersion: 404, publishGone: 404, renameNotJson: 400, renameTaken: 409, renameGone: 404, readGone: 404, versionsGone: 404, deleteGone: 404,
      });
    });

    it('sites: an update whose site keeps changing under it is a 409 that says to deploy again', async () => {
      const { key, orgId } = await tenant();
      const site = (await api.call('POST', `${p}/deploy`, { key, json: { slug: `moving${tenants}`, html: '<p>v1</p>' } })).json;
      // Another request renames the site just before each write of this update (the first try and its retry).
      let moves = 0;
      api.hooks.set('deploy', async (args, inner) => {
        if ((args[0] as DeployInput).expectedSiteId === site.id) await inner.renameSite(orgId, site.id, `moving${tenants}-${++moves}`, new Date().toISOString());
      });
      try {
        const answer = await api.call('PUT', `${p}/deploy/${site.id}`, { key, json: { html: '<p>v2</p>' } });
        expect([answer.status, answer.json.code, moves]).toEqual([409, 'conflict', 2]);
        expect(answer.json.error).toContain('Deploy again');
      } finally {
        api.hooks.delete('deploy');
      }
    });

    it('forms: submissions read, exported and deleted; 400 for a bad query, 404 for what is not there', async () => {
      const { key } = await tenant();
      const site = (await api.call('POST', `${p}/deploy`, { key, json: { html: '<form method="post" action="{{SUBMIT_URL}}"></form>' } })).json;
      const sent = await api.call('POST', `/submit/${site.id}`, { json: { name: 'Ada' } });
      expect([sent.status, sent.json.message]).toEqual([200, 'Submission received']);
      const page = await api.call('GET', `${p}/submissions/${site.id}?limit=10`, { key });
      expect([page.status, page.json.total]).toEqual([200, 1]);
      const csv = await api.call('GET', `${p}/submissions/${site.id}/export.csv`, { key });
      expect([csv.status, csv.headers['content-type'], csv.body.split('\n')[0]]).toEqual([200, 'text/csv; charset=utf-8', 'id,created_at,ip_address,name\r']);
      const subId = page.json.submissions[0].id as string;
      expect((await api.call('DELETE', `${p}/submissions/${site.id}/${subId}`, { key })).status).toBe(204);
      expect((await api.call('DELETE', `${p}/submissions/${site.id}/${subId}`, { key })).status).toBe(404);
      expect((await api.call('GET', `${p}/submissions/${site.id}?limit=0`, { key })).status).toBe(400);
      expect((await api.call('GET', `${p}/submissions/dep_0000000000000000`, { key })).status).toBe(404);
      expect((await api.call('GET', `${p}/submissions/dep_0000000000000000/export.csv`, { key })).status).toBe(404);
    });

    it('domains: added 201, added again 200, listed, removed 204; 400, 404, 409 held by another org, 403 past INVOKER_MAX_DOMAINS', async () => {
      const { key, orgId } = await tenant();
      const other = await tenant();
      const site = (await api.call('POST', `${p}/deploy`, { key, json: { html: '<p>d</p>' } })).json;
      const theirs = (await api.call('POST', `${p}/deploy`, { key: other.key, json: { html: '<p>t</p>' } })).json;
      const name = `answers${tenants}.example.test`;
      const added = await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, json: { domain: name } });
      expect([added.status, added.json.domain, added.json.status]).toEqual([201, name, 'pending']);
      // Verified as the TXT check would (test/e2e/domains.test.ts checks through real DNS).
      await api.server.store.verifyDomain(orgId, site.id, name, 'dns', new Date().toISOString());
      const again = await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, json: { domain: name } });
      expect([again.status, again.json.status]).toEqual([200, 'verified']);
      expect((await api.call('GET', `${p}/deploy/${site.id}/domains`, { key })).json.domains).toHaveLength(1);
      const statuses = {
        held: (await api.call('POST', `${p}/deploy/${theirs.id}/domains`, { key: other.key, json: { domain: name } })).status,
        second: (await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, json: { domain: `www.${name}` } })).status,
        third: (await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, json: { domain: `shop.${name}` } })).status,
        notAName: (await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, json: { domain: 'not a name' } })).status,
        notJson: (await api.call('POST', `${p}/deploy/${site.id}/domains`, { key, raw: '{' })).status,
        addGone: (await api.call('POST', `${p}/deploy/dep_0000000000000000/domains`, { key, json: { domain: `x.${name}` } })).status,
        listGone: (await api.call('GET', `${p}/deploy/dep_0000000000000000/domains`, { key })).status,
        removed: (await api.call('DELETE', `${p}/deploy/${site.id}/domains/${name}`, { key })).status,
        removedAgain: (await api.call('DELETE', `${p}/deploy/${site.id}/domains/${name}`, { key })).status,
      };
      expect(statuses).toEqual({ held: 409, second: 201, third: 403, notAName: 400, notJson: 400, addGone: 404, listGone: 404, removed: 204, removedAgain: 404 });
    });

    it('counters and passwords: list, reset, delete, set, read, remove; 400 for a bad name or password, 404 for what is not there', async () => {
      const { key } = await tenant();
      const site = (await api.call('POST', `${p}/deploy`, { key, json: { html: '<p>counted</p>' } })).json;
      const host = new URL(site.url).host;
      expect((await api.call('POST', '/_counter/visits/increment', { headers: { host } })).json).toEqual({ name: 'visits', value: 1 });
      const listed = await api.call('GET', `${p}/deploy/${site.id}/counters`, { key });
      expect([listed.status, listed.json.counters.map((c: { name: string }) => c.name)]).toEqual([200, ['visits']]);
      const reset = await api.call('POST', `${p}/deploy/${site.id}/counters/visits/reset`, { key });
      expect([reset.status, reset.json.value]).toEqual([200, 0]);
      expect((await api.call('POST', `${p}/deploy/${site.id}/counters/No!/reset`, { key })).status).toBe(400);
      expect((await api.call('POST', `${p}/deploy/${site.id}/counters/never/reset`, { key })).status).toBe(404);
      expect((await api.call('DELETE', `${p}/deploy/${site.id}/counters/visits`, { key })).status).toBe(204);
      expect((await api.call('DELETE', `${p}/deploy/${site.id}/counters/visits`, { key })).status).toBe(404);
      expect((await api.call('DELETE', `${p}/deploy/${site.id}/counters/No!`, { key })).status).toBe(400);
      expect((await api.call('GET', `${p}/deploy/dep_0000000000000000/counters`, { key })).status).toBe(404);
      expect((await api.call('GET', `${p}/deploy/${site.id}/password`, { key })).json).toEqual({ protected: false });
      expect((await api.call('PUT', `${p}/deploy/${site.id}/password`, { key, json: { password: 'short' } })).status).toBe(400);
      const set = await api.call('PUT', `${p}/deploy/${site.id}/password`, { key, json: { password: 'long enough now' } });
      expect([set.status, set.json]).toEqual([200, { protected: true }]);
      expect((await api.call('GET', '/', { headers: { host } })).status).toBe(401);
      expect((await api.call('DELETE', `${p}/deploy/${site.id}/password`, { key })).status).toBe(204);
      expect((await api.call('GET', '/', { headers: { host } })).status).toBe(200);
      for (const [method, path] of [['GET', 'password'], ['PUT', 'password'], ['DELETE', 'password']] as const) {
        const r = await api.call(method, `${p}/deploy/dep_0000000000000000/${path}`, { key, ...(method === 'PUT' ? { json: { password: 'long enough now' } } : {}) });
        expect(r.status, `${method} ${path}`).toBe(404);
      }
    });

    it('keys and organizations: list, create, revoke, and the refusals', async () => {
      const { key } = await tenant();
      expect((await api.call('GET', `${p}/me`, { key })).json.key.name).toBe('answers');
      const made = await api.call('POST', `${p}/api-keys`, { key, json: { name: 'CI' } });
      expect([made.status, made.json.key.startsWith('inv_')]).toEqual([201, true]);
      expect((await api.call('GET', `${p}/api-keys`, { key })).json.keys).toHaveLength(2);
      expect((await api.call('POST', `${p}/api-keys`, { key, raw: '{' })).status).toBe(400);
      expect((await api.call('DELETE', `${p}/api-keys/${made.json.id}`, { key })).status).toBe(204);
      expect((await api.call('DELETE', `${p}/api-keys/${made.json.id}`, { key })).status).toBe(404);
      const team = await api.call('POST', `${p}/orgs`, { key, json: { name: 'Team' } });
      expect([team.status, team.json.parent_id === null]).toEqual([201, false]);
      expect((await api.call('GET', `${p}/orgs`, { key })).json.orgs).toHaveLength(1);
      expect((await api.call('POST', `${p}/orgs`, { key, json: { name: '' } })).status).toBe(400);
      // One level only: a sub-organization has none of its own.
      const nested = await api.call('POST', `/orgs/${team.json.id}/orgs`, { key, json: { name: 'Nested' } });
      expect([nested.status, nested.json.code]).toEqual([400, 'invalid_input']);
      expect((await api.call('GET', `/orgs/${team.json.id}`, { key })).json.name).toBe('Team');
      expect((await api.call('DELETE', `/orgs/c/orgs/${team.json.id}`, { key })).status).toBe(204);
      expect((await api.call('DELETE', `/orgs/c/orgs/${team.json.id}`, { key })).status).toBe(404);
    });
  });

  it('form capture: JSON, a form post redirected, the thank-you page, the preflight; 400, 404, 413 and 429', async () => {
    const { key } = await tenant();
    const site = (await api.call('POST', '/deploy', { key, json: { slug: `capture${tenants}`, html: '<form></form>' } })).json;
    const back = `${site.url}thanks.html`;
    const posted = await api.call('POST', `/submit/${site.id}`, { form: { name: 'Ada', _next: back }, headers: { accept: 'text/html' } });
    expect([posted.status, posted.headers.location]).toEqual([303, back]);
    const elsewhere = await api.call('POST', `/submit/${site.id}`, { form: { name: 'Bob', _next: 'https://evil.example/' } });
    expect([elsewhere.status, elsewhere.headers.location]).toEqual([303, `http://localhost:${api.port}/submit/${site.id}/thanks`]);
    const thanks = await api.call('GET', `/submit/${site.id}/thanks`);
    expect([thanks.status, thanks.body]).toEqual([200, expect.stringContaining('Thank you')]);
    const preflight = await api.call('OPTIONS', `/submit/${site.id}`, { headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers['access-control-allow-origin']]).toEqual([204, '*']);
    const fields = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, 'x']));
    const statuses = {
      notJson: (await api.call('POST', `/submit/${site.id}`, { raw: '{' })).status,
      plainText: (await api.call('POST', `/submit/${site.id}`, { raw: 'name=Ada', type: 'text/plain' })).status,
      gone: (await api.call('POST', '/submit/dep_0000000000000000', { json: { name: 'Ada' } })).status,
      tooManyFields: (await api.call('POST', `/submit/${site.id}`, { json: fields })).status,
    };
    expect(statuses).toEqual({ notJson: 400, plainText: 400, gone: 404, tooManyFields: 413 });
    // INVOKER_SUBMISSIONS_PER_MINUTE is 2 here: the third from one address to one site waits.
    const ip = '203.0.113.9';
    for (let i = 0; i < 2; i++) expect((await api.call('POST', `/submit/${site.id}`, { ip, json: { n: i } })).status).toBe(200);
    const refused = await api.call('POST', `/submit/${site.id}`, { ip, json: { n: 3 } });
    expect([refused.status, refused.json.code, Number(refused.headers['retry-after']) > 0]).toEqual([429, 'rate_limited', true]);
  });

  it('the platform: its OpenAPI document, its liveness, and logging a key out', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect([doc.status, doc.json.openapi]).toEqual([200, '3.1.0']);
    expect((await api.call('GET', '/healthz')).json).toEqual({ ok: true });
    const { key } = await tenant();
    expect((await api.call('POST', '/auth/logout', { key })).status).toBe(204);
    expect((await api.call('GET', '/me', { key })).status).toBe(401);
  });
});
