// API keys and org lifecycle over HTTP: keys stored only as hashes, shown once, revoked on the very
// next request; keys of a deleted sub-org stop working; the per-IP rate limit and its headers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSubTenant, createTenant, createTestApp } from './helpers/app.js';

describe('API keys', () => {
  it('creates named keys shown once, lists them by preview, and never stores the plaintext', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'keys@example.com');
    const issued: string[] = [me.key];
    for (const name of ['CI', 'Laptop']) {
      const res = await t.call('POST', '/orgs/c/api-keys', { key: me.key, body: { name } });
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.key).toMatch(/^inv_[0-9A-Za-z]{38}$/);
      expect(res.body.preview).toBe(`inv_…${res.body.key.slice(-4)}`);
      issued.push(res.body.key);
    }
    const list = await t.call('GET', '/api-keys', { key: issued[1] });
    expect(list.body.keys.map((k: { name: string }) => k.name)).toEqual(['test', 'CI', 'Laptop']);
    expect(JSON.stringify(list.body)).not.toMatch(/inv_[0-9A-Za-z]{38}/);
    const used = list.body.keys.find((k: { name: string }) => k.name === 'CI');
    expect(used.last_used_at).not.toBeNull();

    await t.store.close();
    const raw = readFileSync(t.dbPath);
    let wal = Buffer.alloc(0);
    try {
      wal = readFileSync(`${t.dbPath}-wal`);
    } catch {
      // No WAL left after a clean close.
    }
    for (const key of issued) {
      expect(raw.includes(key)).toBe(false);
      expect(wal.includes(key)).toBe(false);
      expect(raw.includes(key.slice(4, 36))).toBe(false);
    }
  });

  it('refuses a revoked key on the very next request', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'revoke@example.com');
    const created = await t.call('POST', '/api-keys', { key: me.key, body: { name: 'short-lived' } });
    expect((await t.call('GET', '/me', { key: created.body.key })).status).toBe(200);
    const revoked = await t.call('DELETE', `/api-keys/${created.body.id}`, { key: me.key });
    expect(revoked.status).toBe(204);
    const after = await t.call('GET', '/me', { key: created.body.key });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'unauthenticated' });
    expect((await t.call('DELETE', `/api-keys/${created.body.id}`, { key: me.key })).status).toBe(404);
    expect((await t.call('GET', '/me', { key: me.key })).status).toBe(200);
  });

  it('refuses malformed keys with 401 before any lookup, and bad names with 400', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'names@example.com');
    for (const bad of ['inv_short', `${me.key}x`, me.key.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), 'Bearer']) {
      expect((await t.call('GET', '/me', { key: bad })).status).toBe(401);
    }
    expect((await t.call('POST', '/api-keys', { key: me.key, body: { name: '' } })).status).toBe(400);
    expect((await t.call('POST', '/api-keys', { key: me.key, body: { name: 'x'.repeat(101) } })).status).toBe(400);
    expect((await t.call('POST', '/api-keys', { key: me.key, body: { nom: 'x' } })).status).toBe(400);
  });
});

describe('organizations', () => {
  it('creates one level of sub-orgs; a deleted sub-org\'s keys stop working at once', async () => {
    const t = createTestApp();
    const agency = await createTenant(t, 'agency@example.com');
    const created = await t.call('POST', '/orgs/c/orgs', { key: agency.key, body: { name: 'Client' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Client', parent_id: agency.org.id });
    const subKey = await t.call('POST', `/orgs/${created.body.id}/api-keys`, { key: agency.key, body: { name: 'client key' } });
    expect(subKey.status).toBe(201);
    const me = await t.call('GET', '/me', { key: subKey.body.key });
    expect(me.body.org).toMatchObject({ id: created.body.id, parent_id: agency.org.id });
    expect((await t.call('POST', '/orgs/c/orgs', { key: subKey.body.key, body: { name: 'grandchild' } })).status).toBe(400);

    expect((await t.call('DELETE', `/orgs/c/orgs/${created.body.id}`, { key: agency.key })).status).toBe(204);
    expect((await t.call('GET', '/me', { key: subKey.body.key })).status).toBe(401);
    expect((await t.call('GET', `/orgs/${created.body.id}`, { key: agency.key })).status).toBe(404);
  });

  it('a sub-org key cannot delete its own org or its siblings', async () => {
    const t = createTestApp();
    const agency = await createTenant(t, 'a@example.com');
    const one = await createSubTenant(t, agency, 'one');
    const two = await createSubTenant(t, agency, 'two');
    expect((await t.call('DELETE', `/orgs/${agency.org.id}/orgs/${two.org.id}`, { key: one.key })).status).toBe(404);
    expect((await t.call('DELETE', `/orgs/c/orgs/${one.org.id}`, { key: one.key })).status).toBe(404);
    expect((await t.call('GET', '/me', { key: two.key })).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers the request past the limit with 429, Retry-After and RateLimit headers', async () => {
    const t = createTestApp({ rateLimit: 5 });
    const me = await createTenant(t, 'busy@example.com');
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await t.call('GET', '/me', { key: me.key, ip: '198.51.100.20' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(last!.headers.get('ratelimit-policy')).toBe('"ip";q=5;w=60');
    expect(last!.headers.get('ratelimit')).toMatch(/^"ip";r=0;t=\d+$/);
    expect(last!.body).toMatchObject({ code: 'rate_limited' });
    // Another address has its own budget.
    expect((await t.call('GET', '/me', { key: me.key, ip: '198.51.100.21' })).status).toBe(200);
  });

  it('does not let a forged X-Forwarded-For reset the budget', async () => {
    const direct = createTestApp({ rateLimit: 2 });
    const me = await createTenant(direct, 'forge@example.com');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await direct.call('GET', '/me', { key: me.key, ip: '203.0.113.5', headers: { 'x-forwarded-for': `10.9.9.${i}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);

    const proxied = createTestApp({ rateLimit: 2, trustProxy: 1 });
    const you = await createTenant(proxied, 'proxied@example.com');
    const behind = [];
    for (let i = 0; i < 3; i++) {
      // The client prepends garbage; the proxy appends the real address it saw.
      behind.push((await proxied.call('GET', '/me', { key: you.key, ip: '10.0.0.1', headers: { 'x-forwarded-for': `6.6.6.${i}, 198.51.100.9` } })).status);
    }
    expect(behind).toEqual([200, 200, 429]);
  });
});
