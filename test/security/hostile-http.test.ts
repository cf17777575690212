// Hostile HTTP input, in process: a seeded campaign of 10,000+ generated requests across every route
// of the app's table (and the site hosts, the /s/ fallback and the dashboard), answered through
// createApp.request(), with hostile values for every field of every request schema. Every answer
// must be below 500, every API error the JSON error format, and memory must stay bounded.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newId } from '../../packages/invoker-mcp/src/contract/ids.js';
import { allRoutePaths, ROUTES } from '../../packages/invoker-mcp/src/contract/routes.js';
import { createApp } from '../../packages/platform/src/server/app.js';
import { sha256Hex } from '../../packages/platform/src/services/login-secrets.js';
import { createSubTenant, createTenant, createTestApp } from '../helpers/app.js';
import { recordingApp } from '../helpers/responses.js';
import { HostileGenerator, judge } from './hostile.js';

const REQUESTS = 10_000;
const SEED = 20_261_124;

describe('hostile HTTP input (in process, every route)', () => {
  it(`answers ${REQUESTS.toLocaleString('en')} generated hostile requests with no 5xx, JSON errors and bounded memory`, async () => {
    const t = createTestApp({ submissionLimit: 1_000_000 });
    // Room for every site the campaign deploys, and sign-in limits that let fuzzed fields through to
    // the code behind them (the limits themselves are tested elsewhere).
    t.deps.limits.maxSites = 1_000_000;
    const many = 1_000_000;
    // Its answers are checked against the OpenAPI document too (test/openapi/conformance.test.ts).
    const app = recordingApp(createApp({ ...t.deps, login: { sessionsPerIp: many, codesPerEmail: many, codesPerIp: many, verifyPerIp: many } }));
    const owner = await createTenant(t, 'owner@example.com');
    const other = await createTenant(t, 'other@example.com');
    const sub = await createSubTenant(t, owner, 'Client');
    const site = await t.call('POST', '/deploy', { key: owner.key, body: { slug: 'target', html: '<p>target</p>' } });
    // The bystander's key is never used by the campaign; its site's id is, by the other keys.
    const bystander = await createTenant(t, 'bystander@example.com');
    const otherSite = await t.call('POST', '/deploy', { key: bystander.key, body: { slug: 'victim', html: '<p>secret</p>' } });
    const submitted = await t.call('POST', `/submit/${site.body.id}`, { body: { email: 'a@b.c' } });
    // The campaign may revoke this second key, never the one it mostly sends.
    const keys = await t.call('POST', '/api-keys', { key: owner.key, body: { name: 'spare' } });
    expect([site.status, otherSite.status, submitted.status, keys.status]).toEqual([201, 201, 200, 201]);
    const schemaKey = (await t.call('POST', '/api-keys', { key: owner.key, body: { name: 'fields' } })).body.key as string;
    const login = await t.call('POST', '/auth/session', { body: { client_name: 'fuzz' } });
    expect(login.status).toBe(201);
    // Signed-in dashboard browsers for the owner; a fuzzed logout may end any of them.
    const dashboard = [];
    for (let i = 0; i < 4; i++) {
      const token = randomBytes(16).toString('hex');
      const csrf = randomBytes(12).toString('hex');
      const now = new Date();
      await t.store.createDashboardSession({ id: newId('ses'), tokenHash: sha256Hex(token), userId: owner.userId, orgId: owner.org.id, csrfToken: csrf, now: now.toISOString(), expiresAt: new Date(now.getTime() + 3600_000).toISOString() });
      dashboard.push({ cookie: `invoker_session=${token}`, csrf });
    }

    const gen = new HostileGenerator(SEED, {
      platformHost: 'localhost:8787',
      sitesDomain: 'localhost:8787',
      key: owner.key,
      otherKey: other.key,
      siteId: site.body.id,
      slug: 'target',
      otherSiteId: otherSite.body.id,
      orgId: owner.org.id,
      subOrgId: sub.org.id,
      keyId: keys.body.id,
      submissionId: submitted.body.id,
      schemaKey,
      userCode: login.body.user_code,
      sessionId: login.body.session_id,
      dashboard,
    });

    const routesHit = new Set<string>();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let unsendable = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    let tried = 0;
    while (tried < REQUESTS) {
      const req = gen.next();
      let request: Request;
      try {
        request = new Request(`http://${req.headers.host || 'localhost'}${req.path.startsWith('/') ? '' : '/'}${req.path}`, {
          method: req.method,
          headers: req.headers,
          body: req.body,
        });
      } catch {
        // The WHATWG Request refuses it before any server could see it (e.g. a non-Latin-1 header).
        unsendable++;
        continue;
      }
      tried++;
      const res = await app.request(request, undefined, { incoming: { socket: { remoteAddress: `10.0.${tried % 250}.${tried % 7}` } } });
      const text = await res.text();
      gen.observe(req, res.status, text);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      routesHit.add(req.label.replace(' (oversized)', '').replace(/ \[.*\]$/, ''));
      // Judged by the headers the server got: a body sent without a content-type gets one from the
      // Request (a string body is text/plain), which makes it a browser form post like any other.
      const verdict = judge({ ...req, headers: Object.fromEntries(request.headers) }, res.status, res.headers.get('content-type') ?? '', text);
      if (!verdict.ok && failures.length < 20) failures.push(`${req.method} ${req.path.slice(0, 200)} host=${req.headers.host} [${req.label}]: ${verdict.why}`);
    }
    const seconds = (Date.now() - started) / 1000;
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

    expect(failures).toEqual([]);
    // The server is still itself after the campaign (which may have revoked the owner's key and
    // deleted its site): a new tenant deploys, and the other org's site is untouched.
    const fresh = await createTenant(t, 'fresh@example.com');
    const deployed = await t.call('POST', '/deploy', { key: fresh.key, body: { html: '<p>after</p>' } });
    expect(deployed.status).toBe(201);
    const victim = await t.call('GET', `/deploy/${otherSite.body.id}`, { key: bystander.key });
    expect(victim.body).toMatchObject({ slug: 'victim', version: 1, live_version: 1 });
    const victimPage = await t.call('GET', '/', { headers: { host: 'victim.localhost:8787' } });
    expect(victimPage.body).toContain('<p>secret</p>');

    const fields = gen.allFields();
    const unfuzzed = fields.filter((f) => !gen.fuzzed.has(f));
    console.log(
      `[figures] hostile-http in-process: ${tried} requests (${unsendable} refused by the Request constructor), ${routesHit.size} route shapes, ` +
        `${fields.length} schema fields each given hostile values (${[...gen.fuzzed.values()].reduce((a, b) => a + b, 0)} in all), ${gen.followUps} requests for deployed pages, ` +
        `${seconds.toFixed(1)} s, heap growth ${heapGrowthMb.toFixed(1)} MB, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);
    // Every route in the table was tried, under both its plain and its /orgs/:org form, and every
    // field of every request schema got hostile values (a field added to a schema is in this list).
    for (const r of allRoutePaths(ROUTES)) expect(routesHit, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path}`);
    expect(unfuzzed).toEqual([]);
    expect(fields).toContain('POST /deploy files[].content_type');
    expect(fields).toContain('POST /dashboard/login email');
    expect(gen.followUps).toBeGreaterThan(100);
    expect(heapGrowthMb).toBeLessThan(256);
  });
});
