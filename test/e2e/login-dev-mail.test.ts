// Development mode: a platform without INVOKER_SMTP_URL says so at start and writes each sign-in
// code and link to its log, so a self-hoster can log in before mail is set up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startPlatform, type Platform } from '../helpers/platform.js';

describe.each(BACKENDS)('sign-in mail in development mode ($0)', (backend) => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ backend });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('warns at start, logs the code and the link, and the logged code signs in', async () => {
    expect(platform.stderr()).toMatch(/DEVELOPMENT MODE: INVOKER_SMTP_URL is not set/);
    const post = (path: string, body: unknown) =>
      fetch(platform.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const session = (await (await post('/auth/session', { client_name: 'Dev' })).json()) as { session_id: string; user_code: string; verification_url: string };
    expect((await post('/auth/otp', { user_code: session.user_code, email: 'dev@example.com' })).status).toBe(200);

    await expect.poll(() => platform.stderr()).toMatch(/\[dev mail\] sign-in code for dev@example\.com: \d{6}/);
    const line = /\[dev mail\] sign-in code for dev@example\.com: (\d{6}) \(link: (\S+)\)/.exec(platform.stderr());
    expect(line?.[2]).toBe(session.verification_url);
    expect((await post('/auth/verify', { user_code: session.user_code, code: line?.[1] })).status).toBe(200);

    const done = (await (await post('/auth/session/poll', { session_id: session.session_id })).json()) as { status: string; email: string };
    expect(done).toMatchObject({ status: 'complete', email: 'dev@example.com' });
  });
});
