// Hostile HTTP input, in process: a seeded campaign of 10,000+ generated requests across every route
// of the app's table (and the site hosts and /s/ fallback), answered through createApp.request().
// Every answer must be below 500, every API error the JSON error format, and memory must stay bounded.
import { describe, expect, it } from 'vitest';
import { allRoutePaths, ROUTES } from '../../src/contract/routes.js';
import { createSubTenant, createTenant, createTestApp } from '../helpers/app.js';
import { HostileGenerator, judge } from './hostile.js';

const REQUESTS = 10_000;
const SEED = 20_261_124;

describe('hostile HTTP input (in process, every route)', () => {
  it(`answers ${REQUESTS.toLocaleString('en')} generated hostile requests with no 5xx, JSON errors and bounded memory`, async () => {
    const t = createTestApp({ submissionLimit: 1_000_000 });
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
      const res = await t.app.request(request, undefined, { incoming: { socket: { remoteAddress: `10.0.${tried % 250}.${tried % 7}` } } });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      routesHit.add(req.label.replace(' (oversized)', ''));
      const verdict = judge(req, res.status, res.headers.get('content-type') ?? '', text);
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

    console.log(
      `[figures] hostile-http in-process: ${tried} requests (${unsendable} refused by the Request constructor), ${routesHit.size} route shapes, ` +
        `${seconds.toFixed(1)} s, heap growth ${heapGrowthMb.toFixed(1)} MB, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);
    // Every route in the table was tried, under both its plain and its /orgs/:org form.
    for (const r of allRoutePaths(ROUTES)) expect(routesHit, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path}`);
    expect(heapGrowthMb).toBeLessThan(256);
  });
});
