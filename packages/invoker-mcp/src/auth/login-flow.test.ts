import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpSend } from '../client/api-client.js';
import { readCredentials } from './credentials.js';
import { LoginFlow } from './login-flow.js';
import { pendingLoginPath } from './pending-login.js';

const API = 'http://api.test';

/** A scripted server: each poll answers the next entry of `polls` (the last one repeats; a function is called). */
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
      if (typeof body === 'function') body = await (body as () => Promise<unknown>)();
    }
    return { status: path === '/auth/session' ? 201 : 200, headers: {}, text: async () => JSON.stringify(body) };
  };
  return { send, calls, polls };
}

/** One process's LoginFlow; pass `shared` (another setup's result) for a second process on the same config dir and server. */
async function setup(polls: unknown[], canOpenBrowser = true, shared?: { configDir: string; api: ReturnType<typeof fakeApi>; now(): number }) {
  const configDir = shared?.configDir ?? join(await mkdtemp(join(tmpdir(), 'invoker-flow-')), 'cfg');
  let clock = shared?.now() ?? Date.parse('2026-11-22T10:00:00Z');
  const sleeps: number[] = [];
  const opened: string[] = [];
  const api = shared?.api ?? fakeApi(polls);
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
  return { flow, configDir, api, sleeps, opened, calls: api.calls, now: () => clock, advance: (ms: number) => (clock += ms) };
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
    // The last second: a sign-in shared with another process may have been collected by it (see below).
    expect(t.sleeps).toEqual([3000, 8000, 8000, 1000]);
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

  it('keeps the sign-in in the config dir, so a restarted process resumes it and collects the key', async () => {
    // The first process's poll never gets an answer: it is gone before the person finishes.
    const first = await setup([() => new Promise(() => {})]);
    const prompt = await first.flow.start();
    const file = pendingLoginPath(first.configDir, API);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ api_url: API, user_code: prompt.userCode, browser_opened: true });
    // The process ends (the client restarts the server) before the person finishes.
    first.flow.cancel();
    await first.flow.wait(10);
    expect(await readdir(first.configDir)).toEqual([file.split('/').pop()]);

    first.api.calls.length = 0;
    const second = await setup([], true, first);
    first.api.polls.splice(0, Infinity, complete);
    const resumed = await second.flow.start();
    expect(resumed).toMatchObject({ started: false, userCode: prompt.userCode, verificationUrl: prompt.verificationUrl, browserOpened: true });
    expect(second.opened).toEqual([]);
    expect(await second.flow.wait(5000)).toMatchObject({ status: 'complete', email: 'me@example.com' });
    // No new session, and the first poll went out at once (no interval slept first).
    expect(first.api.calls.map((c) => c.path)).toEqual(['/auth/session/poll']);
    expect(second.sleeps).toEqual([]);
    expect(await readCredentials(second.configDir)).toMatchObject({ api_key: KEY, api_url: API });
    expect(await readdir(second.configDir)).toEqual(['credentials.json']);
  });

  it('ignores and removes a recorded sign-in that has expired, and starts a new one', async () => {
    const first = await setup([{ status: 'pending', interval: 3 }]);
    await first.flow.start();
    first.flow.cancel();
    first.advance(601_000);
    const second = await setup([], false, first);
    expect(await second.flow.start()).toMatchObject({ started: true, userCode: 'BCDF-GHJL' });
    expect(JSON.parse(await readFile(pendingLoginPath(first.configDir, API), 'utf8'))).toMatchObject({ user_code: 'BCDF-GHJL' });
    second.flow.cancel();
  });

  it('two processes starting at once share one sign-in; the one that misses the key finds it saved', async () => {
    // The server answers nothing until the person has finished, which is once both processes poll.
    // It hands the key out once, then says "finished" (after the key is saved, as an interval later would).
    let configDir = '';
    let finish = () => {};
    const finished = new Promise<void>((r) => (finish = r));
    let handedOut = false;
    const server = async () => {
      await finished;
      if (!handedOut) return (handedOut = true), complete;
      while (!(await stat(join(configDir, 'credentials.json')).catch(() => null))) await new Promise((r) => setTimeout(r, 5));
      return { status: 'expired', message: 'This sign-in is finished.' };
    };
    const a = await setup([server], false);
    configDir = a.configDir;
    const b = await setup([], false, a);
    const [pa, pb] = await Promise.all([a.flow.start(), b.flow.start()]);
    expect(pb.userCode).toBe(pa.userCode);
    expect([pa.started, pb.started].sort()).toEqual([false, true]);
    finish();
    const outcomes = await Promise.all([a.flow.wait(5000), b.flow.wait(5000)]);
    expect(outcomes.map((o) => o.status)).toEqual(['complete', 'complete']);
    expect(await readCredentials(a.configDir)).toMatchObject({ api_key: KEY });
    expect(await readdir(a.configDir)).toEqual(['credentials.json']);
  });
});
