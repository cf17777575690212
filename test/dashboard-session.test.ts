// Dashboard sessions in process: signing in with an emailed code, expiry, and what an unsigned-in
// or forged request gets.
import { describe, expect, it } from 'vitest';
import type { LoginCodeMail } from '../packages/platform/src/server/mailer.js';
import { sha256Hex } from '../packages/platform/src/services/login-secrets.js';
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

  it('signs in with the mailed code: wrong codes count down and end the sign-in, the right one works once', async () => {
    const mails: LoginCodeMail[] = [];
    const t = createTestApp({ mailer: { kind: 'smtp', sendLoginCode: async (mail) => void mails.push(mail) } });
    const form = (path: string, fields: Record<string, string>, cookie = '') =>
      t.app.request(path, {
        method: 'POST',
        headers: { host: 'localhost:8787', origin: 'http://localhost:8787', 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(fields).toString(),
      });
    const startSignIn = async () => {
      const res = await form('/dashboard/login', { email: 'Owner@Example.com' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/dashboard/login/code');
      const pending = /invoker_signin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      expect(pending).toBeTruthy();
      return { cookie: `invoker_signin=${pending}`, code: mails.at(-1)!.code };
    };

    const first = await startSignIn();
    expect(mails.at(-1)).toMatchObject({ to: 'owner@example.com', clientName: 'Invoker dashboard' });
    const wrong = first.code === '000000' ? '111111' : '000000';
    for (const left of [4, 3, 2, 1]) {
      const res = await form('/dashboard/login/code', { code: wrong }, first.cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`That code is not right. ${left} tries left.`);
    }
    const fifth = await form('/dashboard/login/code', { code: wrong }, first.cookie);
    expect(await fifth.text()).toContain('Too many wrong codes');
    // The right code no longer helps: the sign-in has ended.
    const late = await form('/dashboard/login/code', { code: first.code }, first.cookie);
    expect(late.status).toBe(400);
    expect(late.headers.get('set-cookie') ?? '').not.toContain('invoker_session=');

    const second = await startSignIn();
    const ok = await form('/dashboard/login/code', { code: ` ${second.code.slice(0, 3)} ${second.code.slice(3)} ` }, second.cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dashboard');
    expect(ok.headers.get('set-cookie')).toMatch(/invoker_session=[^;]+;.*HttpOnly/i);
    const again = await form('/dashboard/login/code', { code: second.code }, second.cookie);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('That sign-in has ended');
    // The pending cookie holds the login session's secret: once the dashboard has signed in with it,
    // polling it as a client would must not hand out an API key.
    const poll = await t.call('POST', '/auth/session/poll', { body: { session_id: decodeURIComponent(second.cookie.split('=')[1]!) } });
    expect(poll.body).toMatchObject({ status: 'expired' });
    expect(poll.body.api_key).toBeUndefined();
  });
});
