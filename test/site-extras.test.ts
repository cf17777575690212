// Counters and site passwords (SPEC section 14) through the real app on both backends: what a site's
// host answers its visitors (`/_counter/{name}`, the password page) and what the owner's routes
// answer (list, reset, delete counters; set, read, remove the password), with their limits. The
// browser's side of passwords is test/e2e/site-password-browser.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, openTestApp, type OpenedTestApp, type Tenant } from './helpers/app.js';

const BACKENDS = ['sqlite', 'postgres'] as const;

describe.each(BACKENDS)('counters and passwords (%s)', (backend) => {
  let t: OpenedTestApp;
  let owner: Tenant;
  let stranger: Tenant;
  let siteId = '';
  const host = { host: 'count.localhost:8787' };
  const visitor = (method: string, path: string, ip = '198.51.100.1', headers: Record<string, string> = {}) => t.call(method, path, { ip, headers: { ...host, ...headers } });

  beforeAll(async () => {
    t = await openTestApp(backend);
    owner = await createTenant(t, `owner-${backend}@example.com`);
    stranger = await createTenant(t, `stranger-${backend}@example.com`);
    const site = await t.call('POST', '/deploy', { key: owner.key, body: { slug: 'count', html: '<!doctype html><title>Count</title><p>hi</p>' } });
    expect(site.status).toBe(201);
    siteId = site.body.id;
  });
  afterAll(() => t?.close());

  it('answers 0 for a counter never incremented, and creates nothing by reading it', async () => {
    const read = await visitor('GET', '/_counter/visits');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ name: 'visits', value: 0 });
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect((await t.call('GET', `/deploy/${siteId}/counters`, { key: owner.key })).body).toEqual({ counters: [] });
  });

  it('counts 100 concurrent increments from 10 clients exactly', async () => {
    const clients = Array.from({ length: 10 }, (_, i) => `203.0.113.${i + 1}`);
    const answers = await Promise.all(clients.flatMap((ip) => Array.from({ length: 10 }, () => visitor('POST', '/_counter/joined/increment', ip))));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    // Each answer is the value after its own increment: every number from 1 to 100 once.
    expect(answers.map((a) => a.body.value as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((await visitor('GET', '/_counter/joined')).body).toEqual({ name: 'joined', value: 100 });
    const listed = await t.call('GET', `/deploy/${siteId}/counters`, { key: owner.key });
    expect(listed.body.counters).toEqual([expect.objectContaining({ name: 'joined', value: 100 })]);
  });

  it('refuses a name outside [a-z0-9_-]{1,40}, and other methods', async () => {
    for (const bad of ['Upper', 'has.dot', 'x'.repeat(41), '', 'sp%20ace']) {
      const r = await visitor('GET', `/_counter/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.code).toBe('invalid_input');
    }
    expect((await visitor('GET', '/_counter/joined/increment')).status).toBe(404);
    expect((await visitor('POST', '/_counter/joined')).status).toBe(404);
  });

  it('allows INVOKER_COUNTER_INCREMENTS_PER_MINUTE increments per IP per counter, then 429', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 60; i++) expect((await visitor('POST', '/_counter/likes/increment', ip)).status).toBe(200);
    const refused = await visitor('POST', '/_counter/likes/increment', ip);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another counter, and another address, have budgets of their own.
    expect((await visitor('POST', '/_counter/other/increment', ip)).status).toBe(200);
    expect((await visitor('POST', '/_counter/likes/increment', '192.0.2.78')).body.value).toBe(61);
  });

  it('holds 50 counters per site: the 51st name is refused, names it has still count', async () => {
    const have = (await t.call('GET', `/deploy/${siteId}/counters`, { key: owner.key })).body.counters.length as number;
    for (let i = have; i < 50; i++) expect((await visitor('POST', `/_counter/c${i}/increment`, '192.0.2.9')).status).toBe(200);
    const refused = await visitor('POST', '/_counter/one-too-many/increment', '192.0.2.9');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('50 counters');
    expect((await visitor('POST', '/_counter/joined/increment', '192.0.2.9')).body.value).toBe(101);
    expect((await visitor('GET', '/_counter/one-too-many')).body.value).toBe(0);
  });

  it('lets the owner reset and delete counters, unscoped and under /orgs/{org_id}', async () => {
    const reset = await t.call('POST', `/deploy/${siteId}/counters/joined/reset`, { key: owner.key });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ name: 'joined', value: 0 });
    expect((await visitor('GET', '/_counter/joined')).body.value).toBe(0);
    expect((await t.call('POST', `/orgs/${owner.org.id}/deploy/${siteId}/counters/joined/reset`, { key: owner.key })).status).toBe(200);
    expect((await t.call('DELETE', `/orgs/c/deploy/${siteId}/counters/c49`, { key: owner.key })).status).toBe(204);
    expect((await t.call('DELETE', `/deploy/${siteId}/counters/c49`, { key: owner.key })).status).toBe(404);
    expect((await t.call('POST', `/deploy/${siteId}/counters/never/reset`, { key: owner.key })).status).toBe(404);
    expect((await t.call('POST', `/deploy/${siteId}/counters/Bad!/reset`, { key: owner.key })).status).toBe(400);
    expect((await t.call('DELETE', `/deploy/${siteId}/counters/Bad!`, { key: owner.key })).status).toBe(400);
    // A freed name makes room for a new one.
    expect((await visitor('POST', '/_counter/one-too-many/increment', '192.0.2.9')).status).toBe(200);
    // Another org sees none of it.
    expect((await t.call('GET', `/deploy/${siteId}/counters`, { key: stranger.key })).status).toBe(404);
    expect((await t.call('POST', `/deploy/${siteId}/counters/joined/reset`, { key: stranger.key })).status).toBe(404);
    expect((await t.call('DELETE', `/deploy/${siteId}/counters/joined`, { key: stranger.key })).status).toBe(404);
  });

  it('sets, reads and removes a password; only the owner can', async () => {
    expect((await t.call('GET', `/deploy/${siteId}/password`, { key: owner.key })).body).toEqual({ protected: false });
    const short = await t.call('PUT', `/deploy/${siteId}/password`, { key: owner.key, body: { password: 'short' } });
    expect(short.status).toBe(400);
    expect((await t.call('PUT', `/deploy/${siteId}/password`, { key: owner.key, body: { password: 'long enough', extra: 1 } })).status).toBe(400);
    expect((await t.call('PUT', `/deploy/${siteId}/password`, { key: stranger.key, body: { password: 'long enough' } })).status).toBe(404);
    expect((await t.call('GET', `/deploy/${siteId}/password`, { key: stranger.key })).status).toBe(404);
    expect((await t.call('DELETE', `/deploy/${siteId}/password`, { key: stranger.key })).status).toBe(404);
    const set = await t.call('PUT', `/orgs/c/deploy/${siteId}/password`, { key: owner.key, body: { password: 'open sesame' } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ protected: true });
    expect((await t.call('GET', `/deploy/${siteId}/password`, { key: owner.key })).body).toEqual({ protected: true });
  });

  it('answers every path of a protected site, counters included, with the password page until the password is given', async () => {
    for (const [method, path] of [['GET', '/'], ['GET', '/nope'], ['GET', '/_counter/joined'], ['POST', '/_counter/joined/increment'], ['GET', '/_og.png'], ['POST', '/_submit']]) {
      const r = await visitor(method as string, path as string, '198.51.100.50');
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(String(r.body)).toContain('type="password"');
    }
    const fallback = await t.call('GET', '/s/count/', { ip: '198.51.100.50' });
    expect(fallback.status).toBe(401);

    const form = (password: string, ip = '198.51.100.51', next = '/_counter/joined') =>
      t.app.request('/_password', { method: 'POST', headers: { ...host, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ password, next }) }, { incoming: { socket: { remoteAddress: ip } } });
    // The return path stays inside the site: no open redirect.
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/caf\u00e9']) {
      expect((await form('open sesame', '198.51.100.53', next)).headers.get('location'), next).toBe('/');
    }
    const wrong = await form('not the one');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('not the password');
    const right = await form('open sesame');
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/_counter/joined');
    const cookie = (right.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(right.headers.get('set-cookie')).toMatch(/^invoker_site=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const through = await visitor('GET', '/_counter/joined', '198.51.100.51', { cookie });
    expect(through.status).toBe(200);
    expect(through.body).toMatchObject({ name: 'joined' });
    // Tampered with, it opens nothing.
    expect((await visitor('GET', '/', '198.51.100.51', { cookie: `${cookie}x` })).status).toBe(401);
    // A new password logs everyone out.
    expect((await t.call('PUT', `/deploy/${siteId}/password`, { key: owner.key, body: { password: 'another one' } })).status).toBe(200);
    expect((await visitor('GET', '/', '198.51.100.51', { cookie })).status).toBe(401);
    // Removed: open to all, and the old cookie means nothing if a password comes back.
    expect((await t.call('DELETE', `/deploy/${siteId}/password`, { key: owner.key })).status).toBe(204);
    expect((await visitor('GET', '/', '198.51.100.52')).status).toBe(200);
    expect((await t.call('PUT', `/deploy/${siteId}/password`, { key: owner.key, body: { password: 'open sesame' } })).status).toBe(200);
    expect((await visitor('GET', '/', '198.51.100.51', { cookie })).status).toBe(401);
    expect((await t.call('DELETE', `/deploy/${siteId}/password`, { key: owner.key })).status).toBe(204);
  });

  it('counts password tries per address: the 11th in a minute is 429 before the password is checked', async () => {
    expect((await t.call('PUT', `/deploy/${siteId}/password`, { key: owner.key, body: { password: 'open sesame' } })).status).toBe(200);
    const attempt = (password: string) =>
      t.app.request('/_password', { method: 'POST', headers: { ...host, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ password }) }, { incoming: { socket: { remoteAddress: '198.51.100.99' } } });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const limited = await attempt('open sesame');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many password tries');
    expect((await t.call('DELETE', `/deploy/${siteId}/password`, { key: owner.key })).status).toBe(204);
  });
});
