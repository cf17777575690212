// Dashboard sessions in process: expiry, and what an unsigned-in or forged request gets.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/server/login-secrets.js';
import { createTenant, createTestApp } from './helpers/app.js';

describe('dashboard sessions', () => {
  it('sends a visitor without a live session to sign in, and an expired session counts as none', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'dash@example.com');
    const fresh = 'fresh-token';
    const stale = 'stale-token';
    const now = Date.now();
    for (const [token, expires] of [[fresh, now + 3600_000], [stale, now - 1000]] as const) {
      await t.store.createDashboardSession({
        id: `ses_${token.slice(0, 5)}AAAAAAAAAAA`,
        tokenHash: sha256Hex(token),
        userId: me.userId,
        orgId: me.org.id,
        csrfToken: 'csrf',
        now: new Date(now - 7200_000).toISOString(),
        expiresAt: new Date(expires).toISOString(),
      });
    }
    const get = (cookie?: string) => t.app.request('/dashboard', { headers: { host: 'localhost:8787', ...(cookie ? { cookie } : {}) } });
    expect((await get()).headers.get('location')).toBe('/dashboard/login');
    expect((await get(`invoker_session=${stale}`)).headers.get('location')).toBe('/dashboard/login');
    const ok = await get(`invoker_session=${fresh}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-frame-options')).toBe('DENY');
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a POST with a session but a wrong CSRF token or a foreign Origin with 403', async () => {
    const t = createTestApp();
    const me = await createTenant(t, 'csrf@example.com');
    await t.store.createDashboardSession({
      id: 'ses_csrfAAAAAAAAAAAA',
      tokenHash: sha256Hex('tok'),
      userId: me.userId,
      orgId: me.org.id,
      csrfToken: 'right',
      now: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const post = (token: string, origin?: string) =>
      t.app.request('/dashboard/keys', {
        method: 'POST',
        headers: {
          host: 'localhost:8787',
          cookie: 'invoker_session=tok',
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
        },
        body: `name=x&_csrf=${token}`,
      });
    expect((await post('wrong')).status).toBe(403);
    expect((await post('right', 'http://evil.example')).status).toBe(403);
    const ok = await post('right', 'http://localhost:8787');
    expect(ok.status).toBe(201);
    expect(await ok.text()).toMatch(/inv_[0-9A-Za-z]{38}/);
  });
});
