// The MCP tools' InvokerApi two ways: ApiClient over HTTP (the stdio server's way) and the in-process
// adapter over the services (the remote /mcp endpoint's way). The same calls, side by side on one
// platform, give the same results and the same errors, codes and messages alike, cross-org 404s
// included. A call that creates something runs once each way on twin objects and is compared with
// the new ids masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type HttpSend } from '../packages/invoker-mcp/src/client/api-client.js';
import type { InvokerApi } from '../packages/invoker-mcp/src/contract/invoker-api.js';
import { isAppError } from '../packages/invoker-mcp/src/errors.js';
import { inProcessApi } from '../packages/platform/src/server/in-process-api.js';
import { servicesOf } from '../packages/platform/src/server/services-of.js';
import { createSubTenant, createTenant, openTestApp, type OpenedTestApp, type Tenant } from './helpers/app.js';

type Outcome = { ok: unknown } | { error: { code: string; message: string } };
type Pair = { http: InvokerApi; local: InvokerApi };

async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await call };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { error: { code: e.code, message: e.message } };
  }
}

/** Ids, names in URLs and secrets that twin objects cannot share. */
const MASKED = new Set(['id', 'slug', 'url', 'preview_url', 'key', 'preview', 'secret']);

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, MASKED.has(k) ? typeof v : mask(v)]));
}

describe.each(['sqlite', 'postgres'] as const)('InvokerApi over HTTP and in process (%s)', (backend) => {
  let t: OpenedTestApp;
  let a: Tenant;
  let a1: Tenant;
  let a2: Tenant;
  let b: Tenant;
  let parent: Pair;
  let child: Pair;
  let site: { id: string; slug: string };
  let foreignSite: { id: string; slug: string };

  /** The same call both ways: equal outcomes, and the outcome. */
  async function same(pair: Pair, call: (api: InvokerApi) => Promise<unknown>): Promise<Outcome> {
    const viaHttp = await outcome(call(pair.http));
    const inProcess = await outcome(call(pair.local));
    expect(inProcess).toEqual(viaHttp);
    return viaHttp;
  }

  /** A call that makes or removes something, once each way on twins: equal once the new ids are masked. */
  async function alike<T>(pair: Pair, call: (api: InvokerApi, twin: 'http' | 'local') => Promise<T>): Promise<{ http: T; local: T }> {
    const viaHttp = await outcome(call(pair.http, 'http'));
    const inProcess = await outcome(call(pair.local, 'local'));
    expect(mask(inProcess)).toEqual(mask(viaHttp));
    if (!('ok' in viaHttp) || !('ok' in inProcess)) throw new Error(`expected both to succeed: ${JSON.stringify(viaHttp)}`);
    return { http: viaHttp.ok as T, local: inProcess.ok as T };
  }

  async function pairFor(tenant: Tenant): Promise<Pair> {
    const send: HttpSend = async (url, init) => {
      const res = await t.app.request(url, { method: init.method, headers: { ...init.headers, host: 'localhost:8787' }, body: init.body ?? null }, {
        incoming: { socket: { remoteAddress: '127.0.0.1' } },
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      const text = await res.text();
      return { status: res.status, headers, text: async () => text };
    };
    const http = new ApiClient({ apiUrl: 'http://localhost:8787', apiKey: tenant.key, userAgent: 'parity-test', send, maxRetries: 0 });
    const principal = await servicesOf(t.deps).keys.authenticate(tenant.key);
    return { http, local: inProcessApi(servicesOf(t.deps), principal, t.deps.limits) };
  }

  beforeAll(async () => {
    t = await openTestApp(backend);
    // One instant for the whole file: timestamps (created_at, last_used_at) come out equal both ways.
    const frozen = new Date();
    t.deps.now = () => frozen;
    a = await createTenant(t, 'parity-a@example.com');
    a1 = await createSubTenant(t, a, 'Team one');
    a2 = await createSubTenant(t, a, 'Team two');
    b = await createTenant(t, 'parity-b@example.com');
    parent = await pairFor(a);
    child = await pairFor(a1);
    // A first keyed request sets each key's last_used_at, which no later call in this instant moves.
    await parent.http.me();
    await child.http.me();
    site = (await t.call('POST', '/deploy', { key: a.key, body: { html: '<form action="{{SUBMIT_URL}}"></form>', slug: 'parity-shared', title: 'Shared' } })).body;
    foreignSite = (await t.call('POST', '/deploy', { key: b.key, body: { html: '<p>b</p>', slug: 'parity-foreign' } })).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers who, sites and versions alike, and refuses alike', async () => {
    expect(await same(parent, (api) => api.me())).toMatchObject({ ok: { user: { email: 'parity-a@example.com' } } });
    expect(await same(parent, (api) => api.getDeploy(site.id))).toMatchObject({ ok: { id: site.id, title: 'Shared' } });
    await same(parent, (api) => api.listDeploys({ limit: 1 }));
    await same(parent, (api) => api.listVersions(site.id));

    const refusals: Array<[string, (api: InvokerApi) => Promise<unknown>]> = [
      ['invalid_input', (api) => api.deploy({ html: '<p>x</p>', slug: 'admin' })],
      ['invalid_input', (api) => api.deploy({ html: '<p>x</p>', slug: 'Bad Slug' })],
      ['invalid_input', (api) => api.deploy({})],
      ['invalid_input', (api) => api.deploy({ html: '<p>x</p>', bogus: true } as never)],
      ['conflict', (api) => api.deploy({ html: '<p>x</p>', slug: foreignSite.slug })],
      ['invalid_input', (api) => api.listDeploys({ limit: 0 })],
      ['invalid_input', (api) => api.listDeploys({ cursor: 'garbage' })],
      ['not_found', (api) => api.publish(site.id, 99)],
      ['invalid_input', (api) => api.publish(site.id, -1)],
      ['not_found', (api) => api.getDeploy('dep_0000000000000000')],
      // Another org's site, by id, through the key's own org and through a sub-org it reaches.
      ['not_found', (api) => api.getDeploy(foreignSite.id)],
      ['not_found', (api) => api.listVersions(foreignSite.id, a1.org.id)],
      ['not_found', (api) => api.update(foreignSite.id, { html: '<p>mine now</p>' })],
      ['not_found', (api) => api.deleteDeploy(foreignSite.id)],
      // Orgs out of reach: another org, an alias of `c`, no id at all.
      ['not_found', (api) => api.getDeploy(site.id, b.org.id)],
      ['not_found', (api) => api.listDeploys({}, 'C')],
      ['not_found', (api) => api.getOrg('org_nope')],
    ];
    for (const [code, call] of refusals) expect(await same(parent, call)).toMatchObject({ error: { code } });
  });

  it('deploys, updates, publishes and deletes alike', async () => {
    const made = await alike(parent, (api, twin) => api.deploy({ html: '<p>1</p>', slug: `parity-${twin}`, title: 'Twin', publish: false }));
    expect(made.http).toMatchObject({ status: 'draft', version: 1, title: 'Twin' });
    await alike(parent, (api) => api.deploy({ html: '<p>generated slug</p>' }));
    const ids = { http: made.http.id, local: made.local.id };
    expect((await alike(parent, (api, twin) => api.update(ids[twin], { html: '<p>2</p>', description: 'Second' }))).http).toMatchObject({
      version: 2,
      title: 'Twin',
      description: 'Second',
    });
    expect((await alike(parent, (api, twin) => api.patch(ids[twin], { edits: [{ find: '2', replace: '3' }], base_version: 2 }))).http).toMatchObject({
      version: 3,
      live_version: 2,
      description: 'Second',
    });
    for (const edits of [[{ find: 'absent', replace: 'x' }], [{ find: 'p', replace: 'x' }], [{ path: 'nope.css', find: 'a', replace: 'b' }], []]) {
      expect(await same(parent, (api) => api.patch(ids.http, { edits }))).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(await same(parent, (api) => api.patch(ids.http, { edits: [{ find: '3', replace: '4' }], base_version: 2 }))).toMatchObject({ error: { code: 'conflict' } });
    expect(await same(parent, (api) => api.patch(foreignSite.id, { edits: [{ find: 'b', replace: 'c' }] }))).toMatchObject({ error: { code: 'not_found' } });
    expect((await alike(parent, (api, twin) => api.publish(ids[twin], 1))).http).toMatchObject({ live_version: 1, status: 'live' });
    await alike(parent, (api, twin) => api.publish(ids[twin]));
    await alike(parent, (api, twin) => api.listVersions(ids[twin]));
    await alike(parent, (api, twin) => api.deleteDeploy(ids[twin]));
    expect(await same(parent, (api) => api.getDeploy(ids.http))).toMatchObject({ error: { code: 'not_found' } });
    expect(await same(parent, (api) => api.deleteDeploy(ids.local))).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sets form settings and creates, lists and deletes webhooks alike, and refuses alike', async () => {
    const twins = { http: site.id, local: (await t.call('POST', '/deploy', { key: a.key, body: { html: '<p>twin</p>', slug: 'parity-forms' } })).body.id as string };
    const settings = await alike(parent, (api, twin) => api.updateFormSettings(twins[twin], { accept_uploads: true, retention_days: 7, form_protection: 'pow' }));
    expect(settings.http).toEqual({ notify: false, notify_emails: [], unconfirmed_emails: [], accept_uploads: true, form_protection: 'pow', retention_days: 7 });
    await alike(parent, (api, twin) => api.updateFormSettings(twins[twin], { form_protection: 'none' }));
    const hooks = await alike(parent, (api, twin) => api.createWebhook(twins[twin], { url: 'https://93.184.216.34/hook', type: 'slack', events: ['site.published'] }));
    expect(hooks.http).toMatchObject({ type: 'slack', events: ['site.published'], secret: expect.stringMatching(/^whsec_/) });
    await alike(parent, (api, twin) => api.listWebhooks(twins[twin]));
    await alike(parent, (api, twin) => api.deleteWebhook(twins[twin], hooks[twin].id));
    for (const call of [
      (api: InvokerApi) => api.updateFormSettings(site.id, { retention_days: 0 }),
      (api: InvokerApi) => api.updateFormSettings(foreignSite.id, { notify: true }),
      (api: InvokerApi) => api.createWebhook(site.id, { url: 'https://10.0.0.1/hook' }),
      (api: InvokerApi) => api.createWebhook(site.id, { url: 'https://93.184.216.34/hook', bogus: 1 } as never),
      (api: InvokerApi) => api.createWebhook(foreignSite.id, { url: 'https://93.184.216.34/hook' }),
      (api: InvokerApi) => api.listWebhooks(foreignSite.id),
      (api: InvokerApi) => api.deleteWebhook(site.id, 'whk_0000000000000000'),
    ]) {
      expect(await same(parent, call)).toHaveProperty('error');
    }
  });

  it('adds, lists and removes custom domains alike, and refuses alike', async () => {
    const twins = { http: site.id, local: (await t.call('POST', '/deploy', { key: a.key, body: { html: '<p>twin</p>', slug: 'parity-domains' } })).body.id as string };
    // One name pending on two sites at once is allowed: each gets its own token.
    const added = { http: await parent.http.addDomain(twins.http, 'Parity.Example.com'), local: await parent.local.addDomain(twins.local, 'Parity.Example.com') };
    for (const d of [added.http, added.local]) expect(d).toMatchObject({ domain: 'parity.example.com', status: 'pending', verified_at: null });
    expect(Object.keys(added.local).sort()).toEqual(Object.keys(added.http).sort());
    expect(added.local.verification.token).not.toBe(added.http.verification.token);
    expect(await same(parent, (api) => api.listDomains(twins.http))).toMatchObject({ ok: { domains: [expect.objectContaining({ domain: 'parity.example.com' })] } });
    await alike(parent, (api, twin) => api.removeDomain(twins[twin], 'parity.example.com'));
    for (const call of [
      (api: InvokerApi) => api.addDomain(site.id, 'not a domain'),
      (api: InvokerApi) => api.addDomain(site.id, 'x'.repeat(300)),
      (api: InvokerApi) => api.addDomain(foreignSite.id, 'x.example.com'),
      (api: InvokerApi) => api.listDomains(foreignSite.id),
      (api: InvokerApi) => api.removeDomain(site.id, 'nope.example.com'),
    ]) {
      expect(await same(parent, call)).toHaveProperty('error');
    }
  });

  it('lists counters and reads and removes a site password alike, and refuses alike', async () => {
    await t.call('POST', '/_counter/hits/increment', { headers: { host: `${site.slug}.localhost:8787` } });
    expect(await same(parent, (api) => api.listCounters(site.id))).toMatchObject({ ok: { counters: [{ name: 'hits', value: 1 }] } });
    expect((await t.call('PUT', `/deploy/${site.id}/password`, { key: a.key, body: { password: 'parity password' } })).status).toBe(200);
    expect(await same(parent, (api) => api.sitePassword(site.id))).toMatchObject({ ok: { protected: true } });
    const twins = { http: site.id, local: (await t.call('POST', '/deploy', { key: a.key, body: { html: '<p>twin</p>', slug: 'parity-extras' } })).body.id as string };
    await alike(parent, (api, twin) => api.removeSitePassword(twins[twin]));
    expect(await same(parent, (api) => api.sitePassword(site.id))).toMatchObject({ ok: { protected: false } });
    for (const call of [(api: InvokerApi) => api.listCounters(foreignSite.id), (api: InvokerApi) => api.sitePassword(foreignSite.id), (api: InvokerApi) => api.removeSitePassword(foreignSite.id)]) {
      expect(await same(parent, call)).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('reads, exports and deletes submissions alike', async () => {
    const submit = (email: string) => t.call('POST', `/submit/${site.id}`, { body: { email, note: '=1+1' }, ip: '192.0.2.7' });
    const subs = { http: (await submit('one@example.com')).body.id as string, local: (await submit('two@example.com')).body.id as string };
    await submit('three@example.com');
    expect(await same(parent, (api) => api.getSubmissions(site.id))).toMatchObject({ ok: { total: 3, page: 1, limit: 50 } });
    await same(parent, (api) => api.getSubmissions(site.id, { page: 2, limit: 2 }));
    expect(await same(parent, (api) => api.exportSubmissions(site.id))).toMatchObject({ ok: expect.stringContaining("'=1+1") });
    await alike(parent, (api, twin) => api.deleteSubmission(site.id, subs[twin]));
    for (const call of [
      (api: InvokerApi) => api.getSubmissions(site.id, { limit: 51 }),
      (api: InvokerApi) => api.getSubmissions(site.id, { page: 0 }),
      (api: InvokerApi) => api.getSubmissions(foreignSite.id),
      (api: InvokerApi) => api.exportSubmissions(foreignSite.id),
      (api: InvokerApi) => api.deleteSubmission(site.id, subs.http),
      (api: InvokerApi) => api.getSubmissions(site.id, {}, b.org.id),
    ]) {
      expect(await same(parent, call)).toHaveProperty('error');
    }
  });

  it('lists, creates and revokes keys alike', async () => {
    await same(parent, (api) => api.listApiKeys());
    await same(parent, (api) => api.listApiKeys(a1.org.id));
    const created = await alike(parent, (api) => api.createApiKey('Paired'));
    expect(created.http.key).toMatch(/^inv_/);
    expect(created.local.key).toMatch(/^inv_/);
    await same(parent, (api) => api.listApiKeys());
    await alike(parent, (api, twin) => api.revokeApiKey(created[twin].id));
    for (const call of [
      (api: InvokerApi) => api.createApiKey(''),
      (api: InvokerApi) => api.createApiKey('two\nlines'),
      (api: InvokerApi) => api.revokeApiKey(created.http.id),
      (api: InvokerApi) => api.revokeApiKey('key_nope'),
      (api: InvokerApi) => api.listApiKeys(b.org.id),
    ]) {
      expect(await same(parent, call)).toHaveProperty('error');
    }
  });

  it('reads and makes orgs alike, and keeps a sub-org key inside its org', async () => {
    await same(parent, (api) => api.getOrg());
    await same(parent, (api) => api.getOrg(a1.org.id));
    await same(parent, (api) => api.listSubOrgs());
    await alike(parent, (api) => api.createSubOrg('Agency client'));
    expect(await same(parent, (api) => api.createSubOrg('Nested', a1.org.id))).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await same(parent, (api) => api.createSubOrg('  '))).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await same(parent, (api) => api.getOrg(b.org.id))).toMatchObject({ error: { code: 'not_found' } });

    expect(await same(child, (api) => api.me())).toMatchObject({ ok: { org: { id: a1.org.id } } });
    await same(child, (api) => api.getOrg());
    // Not up to its parent, not sideways to a sibling, not the parent's sites.
    for (const call of [
      (api: InvokerApi) => api.getOrg(a.org.id),
      (api: InvokerApi) => api.getOrg(a2.org.id),
      (api: InvokerApi) => api.listDeploys({}, a.org.id),
      (api: InvokerApi) => api.getDeploy(site.id),
      (api: InvokerApi) => api.createSubOrg('Grandchild'),
    ]) {
      expect(await same(child, call)).toHaveProperty('error');
    }
  });
});
