// Every answer of the sign-in routes, over real HTTP, both ways they are used: JSON from a client
// program, and plain form posts from the sign-in page (which get the next page as HTML, with the
// status of what happened). The codes come from the development mailer's log lines. Each answer is
// also checked against the OpenAPI document (test/openapi/conformance.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedCode, startApiServer, type ApiServer, type StoreHook } from '../helpers/api-server.js';

/** A hook that holds each call until `n` are waiting, then lets them all go: concurrent requests meet there. */
function meet(n: number): StoreHook {
  let waiting: Array<() => void> = [];
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length >= n) {
        for (const go of waiting) go();
        waiting = [];
      }
    });
}

describe('the answers of the sign-in routes', () => {
  let api: ApiServer;
  let emails = 0;
  const email = () => `signin${++emails}@example.com`;
  /** Each step from its own address unless told, so the per-address limits stay out of the way. */
  const session = async (ip?: string) => (await api.call('POST', '/auth/session', { json: { client_name: 'Answers' }, ...(ip ? { ip } : {}) })).json as { session_id: string; user_code: string };
  const page = (res: { status: number; headers: Record<string, unknown> }) => [res.status, String(res.headers['content-type']).split(';')[0]];
  /** A sign-in whose code was mailed to a new address. */
  const mailed = async (how: 'json' | 'form') => {
    const s = await session();
    const to = email();
    const fields = { user_code: s.user_code, email: to };
    const sent = await api.call('POST', '/auth/otp', how === 'json' ? { json: fields } : { form: fields });
    expect(sent.status).toBe(200);
    return { ...s, email: to, code: loggedCode(api.log, to) };
  };

  beforeAll(async () => {
    api = await startApiServer({
      INVOKER_LOGIN_MAX_ATTEMPTS: '2',
      INVOKER_LOGIN_SESSIONS_PER_MINUTE: '2',
      INVOKER_LOGIN_CODES_PER_EMAIL: '1',
      INVOKER_LOGIN_VERIFY_PER_MINUTE: '3',
    });
  });
  afterAll(async () => api?.stop());

  it('a client program: session, poll, code, verify, the key; the page before and after', async () => {
    const s = await session();
    expect((await api.call('GET', '/auth/login')).status).toBe(200);
    expect(page(await api.call('GET', `/auth/login?code=${s.user_code}`))).toEqual([200, 'text/html']);
    expect((await api.call('POST', '/auth/session/poll', { json: { session_id: s.session_id } })).json.status).toBe('pending');
    const to = email();
    const sent = await api.call('POST', '/auth/otp', { json: { user_code: s.user_code, email: to } });
    expect(sent.json).toEqual({ status: 'code_sent', email: to });
    const verified = await api.call('POST', '/auth/verify', { json: { user_code: s.user_code, code: loggedCode(api.log, to) } });
    expect(verified.json).toEqual({ status: 'verified', email: to });
    const complete = await api.call('POST', '/auth/session/poll', { json: { session_id: s.session_id } });
    expect([complete.json.status, complete.json.api_key.startsWith('inv_')]).toEqual(['complete', true]);
    expect(page(await api.call('GET', `/auth/login?code=${s.user_code}`))).toEqual([410, 'text/html']);
    expect(page(await api.call('GET', '/auth/login?code=BCDF-GHJK'))).toEqual([404, 'text/html']);
  });

  it('the sign-in page: each form post gets the next page', async () => {
    const s = await mailed('form');
    const done = await api.call('POST', '/auth/verify', { form: { user_code: s.user_code, code: s.code } });
    expect(page(done)).toEqual([200, 'text/html']);
    expect(done.body).toContain(s.email);
  });

  it('a client program is refused in JSON: 400, 403, 404, 409 and 429', async () => {
    const s = await session();
    const statuses = {
      sessionNotJson: (await api.call('POST', '/auth/session', { raw: '{' })).status,
      pollNotJson: (await api.call('POST', '/auth/session/poll', { raw: '{' })).status,
      otpNotEmail: (await api.call('POST', '/auth/otp', { json: { user_code: s.user_code, email: 'nobody' } })).status,
      otpUnknown: (await api.call('POST', '/auth/otp', { json: { user_code: 'BCDF-GHJK', email: email() } })).status,
      verifyNotJson: (await api.call('POST', '/auth/verify', { raw: '{' })).status,
      verifyBeforeCode: (await api.call('POST', '/auth/verify', { json: { user_code: s.user_code, code: '123456' } })).status,
      verifyUnknown: (await api.call('POST', '/auth/verify', { json: { user_code: 'BCDF-GHJK', code: '123456' } })).status,
    };
    expect(statuses).toEqual({ sessionNotJson: 400, pollNotJson: 400, otpNotEmail: 400, otpUnknown: 404, verifyNotJson: 400, verifyBeforeCode: 400, verifyUnknown: 404 });

    // INVOKER_LOGIN_MAX_ATTEMPTS is 2: one wrong code says how many tries are left, the second ends it.
    const wrong = await mailed('json');
    const bad = wrong.code === '000000' ? '111111' : '000000';
    const first = await api.call('POST', '/auth/verify', { json: { user_code: wrong.user_code, code: bad } });
    expect([first.status, first.json.error]).toEqual([400, expect.stringContaining('1 try left')]);
    const ended = await api.call('POST', '/auth/verify', { json: { user_code: wrong.user_code, code: bad } });
    expect([ended.status, ended.json.code]).toEqual([403, 'forbidden']);
    // One code per address a minute here (INVOKER_LOGIN_CODES_PER_EMAIL=1); two sessions per address.
    const again = await api.call('POST', '/auth/otp', { json: { user_code: (await session()).user_code, email: wrong.email } });
    expect([again.status, Number(again.headers['retry-after']) > 0]).toEqual([429, true]);
    const ip = '192.0.2.44';
    await session(ip);
    await session(ip);
    expect((await api.call('POST', '/auth/session', { ip, json: {} })).status).toBe(429);
    // Three checks a minute from one address (INVOKER_LOGIN_VERIFY_PER_MINUTE=3), whatever they were for.
    for (let i = 0; i < 3; i++) expect((await api.call('POST', '/auth/verify', { ip, json: { user_code: 'BCDF-GHJK', code: '123456' } })).status).toBe(404);
    const next = await mailed('json');
    const waited = await api.call('POST', '/auth/verify', { ip, json: { user_code: next.user_code, code: next.code } });
    expect([waited.status, waited.json.code, Number(waited.headers['retry-after']) > 0]).toEqual([429, 'rate_limited', true]);
  });

  it('two requests with the right code at once: one signs in, the other is told it is used (409)', async () => {
    for (const how of ['json', 'form'] as const) {
      const s = await mailed(how);
      // Both have read the pending sign-in before either marks it verified.
      api.hooks.set('ensureUser', meet(2));
      try {
        const fields = { user_code: s.user_code, code: s.code };
        const both = await Promise.all([0, 1].map(() => api.call('POST', '/auth/verify', how === 'json' ? { json: fields } : { form: fields })));
        expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
        const used = both.find((r) => r.status === 409);
        expect(how === 'json' ? used?.json.code : page(used as { status: number; headers: Record<string, unknown> })[1]).toBe(how === 'json' ? 'conflict' : 'text/html');
      } finally {
        api.hooks.delete('ensureUser');
      }
    }
  });

  it('the sign-in page is refused as a page: 400, 403, 404, 410 and 429', async () => {
    const live = await session();
    const notEmail = await api.call('POST', '/auth/otp', { form: { user_code: live.user_code, email: 'nobody' } });
    expect(page(notEmail)).toEqual([400, 'text/html']);
    expect(page(await api.call('POST', '/auth/otp', { form: { user_code: 'BCDF-GHJK', email: email() } }))).toEqual([404, 'text/html']);

    const s = await mailed('form');
    const bad = s.code === '000000' ? '111111' : '000000';
    expect(page(await api.call('POST', '/auth/verify', { form: { user_code: s.user_code, code: bad } }))).toEqual([400, 'text/html']);
    expect(page(await api.call('POST', '/auth/verify', { form: { user_code: s.user_code, code: bad } }))).toEqual([403, 'text/html']);
    // The sign-in has ended: a form with a field to fix gets the page that says it is over.
    expect(page(await api.call('POST', '/auth/otp', { form: { user_code: s.user_code, email: 'nobody' } }))).toEqual([410, 'text/html']);
    expect(page(await api.call('POST', '/auth/verify', { form: { user_code: s.user_code, code: 'abc' } }))).toEqual([410, 'text/html']);
    expect(page(await api.call('POST', '/auth/verify', { form: { user_code: 'BCDF-GHJK', code: '123456' } }))).toEqual([404, 'text/html']);

    const limited = await api.call('POST', '/auth/otp', { form: { user_code: (await session()).user_code, email: s.email } });
    expect([...page(limited), Number(limited.headers['retry-after']) > 0]).toEqual([429, 'text/html', true]);
    const ip = '192.0.2.45';
    for (let i = 0; i < 3; i++) await api.call('POST', '/auth/verify', { ip, form: { user_code: 'BCDF-GHJK', code: '123456' } });
    const next = await mailed('form');
    expect(page(await api.call('POST', '/auth/verify', { ip, form: { user_code: next.user_code, code: next.code } }))).toEqual([429, 'text/html']);
  });
});
