import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '../client/api-client.js';
import { readCredentials } from './credentials.js';
import { LoginFlow } from './login-flow.js';

const API = 'http://api.test';

/** A scripted server: each poll answers the next entry of `polls` (the last one repeats). */
function fakeApi(polls: unknown[]) {
  const calls: Array<{ path: string; body: unknown }> = [];
  let sessions = 0;
  const send: HttpSend = async (url, init) => {
    const path = url.slice(API.length);
    calls.push({ path, body: init.body ? JSON.parse(init.body) : undefined });
    let body: unknown;
    if (path === '/auth/session') {
      sessions++;
      body = { session_id: `secret-${sessions}`, user_code: `BCDF-GHJ${'KLM'[sessions - 1]}`, verification_url: `${API}/auth/login?code=${sessions}`, interval: 3, expires_in: 600 };
    } else {
      body = polls.length > 1 ? polls.shift() : polls[0];
    }
    return { status: path === '/auth/session' ? 201 : 200, headers: {}, text: async () => JSON.stringify(body) };
  };
  return { send, calls };
}

async function setup(polls: unknown[], canOpenBrowser = true) {
  const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-flow-')), 'cfg');
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const sleeps: number[] = [];
  const opened: string[] = [];
  const api = fakeApi(polls);
  const flow = new LoginFlow({
    config: { apiUrl: API, envApiKey: undefined, configDir, noBrowser: !canOpenBrowser },
    clientName: () => 'Claude Desktop',
    userAgent: 'test',
    canOpenBrowser,
    openBrowser: async (url) => {
      opened.push(url);
      return true;
    },
    send: api.send,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
      await new Promise((r) => setImmediate(r));
    },
  });
  return { flow, configDir, sleeps, opened, calls: api.calls, advance: (ms: number) => (clock += ms) };
}

const KEY = 'inv_' + 'a'.repeat(38);
const complete = { status: 'complete', api_key: KEY, key_id: 'key_1', email: 'me@example.com', org_id: 'org_1' };

describe('LoginFlow', () => {
  it('opens the browser once, resumes the same session, and saves 0600 credentials bound to the API URL', async () => {
    const t = await setup([{ status: 'pending', interval: 3 }, { status: 'pending', interval: 3 }, complete]);
    const [a, b] = await Promise.all([t.flow.start(), t.flow.start()]);
    expect(a).toMatchObject({ userCode: 'BCDF-GHJK', started: true, browserOpened: true });
    expect(b.userCode).toBe('BCDF-GHJK');
    expect(t.opened).toEqual([`${API}/auth/login?code=1`]);
    expect(t.calls[0]).toEqual({ path: '/auth/session', body: { client_name: 'Claude Desktop' } });

    const outcome = await t.flow.wait(5000);
    expect(outcome).toMatchObject({ status: 'complete', email: 'me@example.com', file: join(t.configDir, 'credentials.json') });
    expect(t.sleeps).toEqual([3000, 3000, 3000]);
    const saved = await readCredentials(t.configDir);
    expect(saved).toMatchObject({ api_key: KEY, key_id: 'key_1', api_url: API, email: 'me@example.com', org_id: 'org_1' });
    expect((await stat(join(t.configDir, 'credentials.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(t.configDir)).mode & 0o777).toBe(0o700);
    // The session secret is sent only to the poll endpoint.
    expect(t.calls.filter((c) => JSON.stringify(c.body).includes('secret-1')).every((c) => c.path === '/auth/session/poll')).toBe(true);
  });

  it('slows down when asked and reports expiry, after which start() begins a new session', async () => {
    const t = await setup([{ status: 'slow_down', interval: 8 }, { status: 'pending', interval: 3 }, { status: 'expired', message: 'Sign-in expired.' }]);
    await t.flow.start();
    expect(await t.flow.wait(5000)).toEqual({ status: 'expired', message: 'Sign-in expired.' });
    expect(t.sleeps).toEqual([3000, 8000, 8000]);
    const next = await t.flow.start();
    expect(next).toMatchObject({ started: true, userCode: 'BCDF-GHJL' });
  });

  it('stops at its own deadline even if the server keeps saying pending', async () => {
    const t = await setup([{ status: 'pending', interval: 3 }]);
    await t.flow.start();
    t.advance(600_000);
    expect(await t.flow.wait(5000)).toMatchObject({ status: 'expired', message: expect.stringMatching(/login again/) });
  });

  it('never opens a browser when it cannot; cancel() forgets the session', async () => {
    const t = await setup([{ status: 'pending', interval: 3 }], false);
    const prompt = await t.flow.start();
    expect(prompt.browserOpened).toBe(false);
    expect(t.opened).toEqual([]);
    t.flow.cancel();
    expect(t.flow.current()).toBeNull();
  });
});
