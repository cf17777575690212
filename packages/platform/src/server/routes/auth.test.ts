// The login routes through createApp().request(): a real in-memory SQLite store, a mailer that
// keeps what it would send, and a clock the tests move instead of sleeping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite.js';
import { createApp } from '../app.js';
import type { LoginCodeMail, Mailer } from '../mailer.js';
import { createRateLimiter } from '../rate-limit.js';
import { DEFAULT_LIMITS } from '../../config.js';
import { platformUrls } from '../../services/urls.js';
import { createServerSecret } from '../../server-secret.js';

const BASE = 'http://localhost:8787';
let store: SqliteStore;
let mails: LoginCodeMail[];
let time: number;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  store = new SqliteStore(':memory:');
  mails = [];
  time = Date.parse('2026-11-22T10:00:00Z');
  const mailer: Mailer = { kind: 'log', sendLoginCode: async (m) => void mails.push(m) };
  const quiet = { info() {}, warn() {}, error() {} };
  app = createApp({
    store,
    urls: platformUrls(BASE, 'localhost:8787'),
    limits: structuredClone(DEFAULT_LIMITS),
    now: () => new Date(time),
    log: quiet,
    mailer,
    secret: createServerSecret('auth-routes-test-secret-0123456789abcdef'),
    outbound: { allowPrivate: false },
    apiRateLimiter: createRateLimiter({ limit: 1_000_000, windowMs: 60_000 }),
    submissionLimiter: createRateLimiter({ limit: 10, windowMs: 60_000 }),
    trustProxy: 0,
  });
});
afterEach(() => store.close());

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const form = (path: string, fields: Record<string, string>) =>
  app.request(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

async function startSession(client_name = 'Claude Desktop') {
  const res = await json('/auth/session', { client_name });
  expect(res.status).toBe(201);
  return (await res.json()) as { session_id: string; user_code: string; verification_url: string; interval: number; expires_in: number };
}

async function poll(sessionId: string) {
  time += 3000;
  return (await (await json('/auth/session/poll', { session_id: sessionId })).json()) as Record<string, unknown>;
}

describe('browser login routes', () => {
  it('walks the whole flow with plain form posts and hands the key out exactly once', async () => {
    const s = await startSession();
    expect(s.user_code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
    expect(s.verification_url).toBe(`${BASE}/auth/login?code=${s.user_code}`);
    expect(s).toMatchObject({ interval: 3, expires_in: 600 });
    expect(await poll(s.session_id)).toEqual({ status: 'pending', interval: 3 });

    const pageRes = await app.request(s.verification_url);
    const html = await pageRes.text();
    expect(pageRes.status).toBe(200);
    expect(html).toContain(s.user_code);
    expect(html).toContain('Claude Desktop');
    expect(pageRes.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(pageRes.headers.get('content-security-policy')).not.toContain('script-src');
    expect(html).not.toContain('<script');

    const otp = await form('/auth/otp', { user_code: s.user_code.toLowerCase(), email: 'New@Example.com' });
    expect(otp.status).toBe(200);
    expect(await otp.text()).toContain('autocomplete="one-time-code"');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'new@example.com', link: s.verification_url, clientName: 'Claude Desktop' });

    const verified = await form('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Signed in — you can close this tab');

    const done = await poll(s.session_id);
    expect(done).toMatchObject({ status: 'complete', email: 'new@example.com', org_id: expect.stringMatching(/^org_/) });
    const key = done.api_key as string;
    const me = await app.request(`${BASE}/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { key: { name: string } }).key.name).toBe('Claude Desktop login 2026-11-22');

    // Replay: the same session secret never yields the key again.
    expect(await poll(s.session_id)).toMatchObject({ status: 'expired' });
    // The code is spent too.
    const again = await form('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    expect(again.status).toBe(404);
  });

  it('answers a mistyped form field with the same step of the page, not an error blob', async () => {
    const s = await startSession();
    const badEmail = await form('/auth/otp', { user_code: s.user_code, email: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain('does not look like an email address');
    await form('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    const badCode = await form('/auth/verify', { user_code: s.user_code, code: '12' });
    expect(badCode.status).toBe(400);
    expect(await badCode.text()).toContain('autocomplete="one-time-code"');
    const spaced = `${mails[0]!.code.slice(0, 3)} ${mails[0]!.code.slice(3)}`;
    expect((await form('/auth/verify', { user_code: s.user_code, code: spaced })).status).toBe(200);
  });

  it('stores no secret in plaintext', async () => {
    const s = await startSession();
    await json('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    const dump = JSON.stringify((store as unknown as { db: { prepare(q: string): { all(): unknown[] } } }).db.prepare('SELECT * FROM login_sessions').all());
    expect(dump).not.toContain(s.session_id);
    expect(dump).not.toContain(s.user_code);
    expect(dump).not.toContain(`"${mails[0]!.code}"`);
  });

  it('a mail link opened by a scanner (GET) consumes nothing', async () => {
    const s = await startSession();
    await json('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    for (let i = 0; i < 3; i++) expect((await app.request(mails[0]!.link)).status).toBe(200);
    expect(await poll(s.session_id)).toEqual({ status: 'pending', interval: 3 });
    const verified = await json('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    expect(verified.status).toBe(200);
    expect(await poll(s.session_id)).toMatchObject({ status: 'complete' });
  });

  it('ends the session after 5 wrong codes, even if the right one comes next', async () => {
    const s = await startSession();
    await json('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    const wrong = mails[0]!.code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await form('/auth/verify', { user_code: s.user_code, code: wrong });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left`);
    }
    const fifth = await json('/auth/verify', { user_code: s.user_code, code: wrong });
    expect(fifth.status).toBe(403);
    expect(((await fifth.json()) as { error: string }).error).toMatch(/Too many wrong codes.*login/);
    const right = await json('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    expect(right.status).toBe(404);
    expect(await poll(s.session_id)).toMatchObject({ status: 'expired', message: expect.stringMatching(/wrong codes/) });
  });

  it('expires after 10 minutes: no code, no key', async () => {
    const s = await startSession();
    await json('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    time += 10 * 60_000 + 1;
    const verify = await json('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    expect(verify.status).toBe(404);
    expect(await poll(s.session_id)).toMatchObject({ status: 'expired', message: expect.stringMatching(/expired/) });
    const page = await app.request(s.verification_url);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
  });

  it('asks a client that polls too fast to slow down', async () => {
    const s = await startSession();
    expect(await poll(s.session_id)).toMatchObject({ status: 'pending' });
    const fast = (await (await json('/auth/session/poll', { session_id: s.session_id })).json()) as { status: string; interval: number };
    expect(fast).toEqual({ status: 'slow_down', interval: 8 });
  });

  it('answers the same for known and unknown emails, and limits codes per email and sessions per IP', async () => {
    await store.ensureUser('known@example.com', new Date(time).toISOString());
    const s = await startSession();
    const known = await (await json('/auth/otp', { user_code: s.user_code, email: 'known@example.com' })).json();
    const s2 = await startSession();
    const unknown = await (await json('/auth/otp', { user_code: s2.user_code, email: 'unknown@example.com' })).json();
    expect(Object.keys(known as object)).toEqual(Object.keys(unknown as object));

    await json('/auth/otp', { user_code: s.user_code, email: 'known@example.com' });
    await json('/auth/otp', { user_code: s.user_code, email: 'known@example.com' });
    const fourth = await json('/auth/otp', { user_code: s.user_code, email: 'known@example.com' });
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);

    await startSession();
    await startSession();
    await startSession();
    const sixth = await json('/auth/session', {});
    expect(sixth.status).toBe(429);
  });

  it('logout revokes exactly the calling key', async () => {
    const s = await startSession();
    await json('/auth/otp', { user_code: s.user_code, email: 'a@example.com' });
    await json('/auth/verify', { user_code: s.user_code, code: mails[0]!.code });
    const key = (await poll(s.session_id)).api_key as string;
    const out = await app.request(`${BASE}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    expect(out.status).toBe(204);
    const me = await app.request(`${BASE}/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(401);
  });
});
