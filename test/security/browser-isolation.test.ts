// Isolation in real Chromium: a hostile page, served on its own subdomain and on the /s/ fallback of
// the platform origin, tries to read the platform origin's cookie, call the API with it, read another
// site's pages and read another org's submissions. Each attempt is run inside the hostile page (its
// origin, its cookies, its CSP), and must come back empty.
//
// The victim is signed in to the dashboard in the same browser (a real session cookie, made by the
// real sign-in with the code from the server's development-mode mail log), so every attempt runs
// with that session at hand.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

/** The victim's dashboard session token, once signed in. */
let SECRET = '';

interface Attempt {
  error?: string;
  type?: string;
  status?: number;
  body?: string;
}

interface AttackReport {
  origin: string;
  cookie: string;
  attempts: Record<string, Attempt>;
  iframeRead: string;
}

describe('isolation in Chromium: a hostile page against the platform origin and other sites', () => {
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;
  let victimId = '';
  let victimKey = '';

  const api = (path: string, key: string, init: { method?: string; body?: unknown } = {}) =>
    httpRequest(platform.port, {
      method: init.method ?? 'GET',
      path,
      headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });

  beforeAll(async () => {
    platform = await startPlatform();
    const attackerKey = await createKey(platform, 'attacker@example.com');
    victimKey = await createKey(platform, 'victim@example.com');
    const hostile = await api('/deploy', attackerKey, { method: 'POST', body: { slug: 'hostile', html: '<!doctype html><title>hostile</title><p>hostile</p>' } });
    const victim = await api('/deploy', victimKey, { method: 'POST', body: { slug: 'victim', html: '<!doctype html><title>victim</title><p>victim-private-page</p>' } });
    expect([hostile.status, victim.status]).toEqual([201, 201]);
    victimId = JSON.parse(victim.body).id;
    const submitted = await httpRequest(platform.port, {
      method: 'POST',
      path: `/submit/${victimId}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'victim-visitor@example.com' }),
    });
    expect(submitted.status).toBe(200);

    browser = await launchBrowser();
    context = await browser.newContext();
    // The victim signs in to the dashboard for real; the code comes from the dev-mode mail log.
    const login = await context.newPage();
    await login.goto(`http://localhost:${platform.port}/dashboard/login`);
    await login.getByLabel('Email').fill('victim@example.com');
    await login.getByRole('button', { name: 'Email me a code' }).click();
    await login.waitForURL(/\/dashboard\/login\/code$/);
    let code: string | undefined;
    for (let i = 0; i < 100 && !code; i++) {
      code = /sign-in code for victim@example\.com: (\d{6})/.exec(platform.stderr())?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 50));
    }
    if (!code) throw new Error(`no sign-in code in the server log:\n${platform.stderr()}`);
    await login.getByLabel('6-digit code').fill(code);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.waitForURL(`http://localhost:${platform.port}/dashboard`);
    await login.close();
    const session = (await context.cookies(`http://localhost:${platform.port}`)).find((c) => c.name === 'invoker_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    SECRET = session?.value as string;
    expect(SECRET.length).toBeGreaterThan(20);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** Runs the attacks inside the page at `url`, with that page's origin and policies. */
  async function attackFrom(url: string): Promise<AttackReport> {
    const page = await context.newPage();
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    expect(await page.textContent('p')).toBe('hostile');
    const report = await page.evaluate(
      async ({ port, victimId }) => {
        const tryFetch = async (target: string, init: RequestInit): Promise<Attempt> => {
          try {
            const r = await fetch(target, init);
            return { type: r.type, status: r.status, body: (await r.text()).slice(0, 300) };
          } catch (e) {
            return { error: (e as Error).name };
          }
        };
        // The DOM, typed by hand: the tests compile without the DOM lib.
        interface Frame {
          src: string;
          onload: (() => void) | null;
          contentDocument: { body: { innerHTML: string } | null } | null;
        }
        const page = globalThis as unknown as {
          origin: string;
          document: { cookie: string; createElement(tag: 'iframe'): Frame; body: { appendChild(node: Frame): void } };
        };
        const document = page.document;
        const platformOrigin = `http://localhost:${port}`;
        let cookie: string;
        try {
          cookie = document.cookie;
        } catch (e) {
          cookie = `threw ${(e as Error).name}`;
        }
        const attempts: Record<string, Attempt> = {
          me: await tryFetch(`${platformOrigin}/me`, { credentials: 'include' }),
          meNoCors: await tryFetch(`${platformOrigin}/me`, { credentials: 'include', mode: 'no-cors' }),
          submissions: await tryFetch(`${platformOrigin}/submissions/${victimId}`, { credentials: 'include' }),
          submissionsNoCors: await tryFetch(`${platformOrigin}/submissions/${victimId}`, { credentials: 'include', mode: 'no-cors' }),
          exportCsv: await tryFetch(`${platformOrigin}/submissions/${victimId}/export.csv`, { credentials: 'include' }),
          dashboard: await tryFetch(`${platformOrigin}/dashboard/keys`, { credentials: 'include' }),
          dashboardCsv: await tryFetch(`${platformOrigin}/dashboard/sites/${victimId}/submissions.csv`, { credentials: 'include' }),
          dashboardCreateKey: await tryFetch(`${platformOrigin}/dashboard/keys`, {
            method: 'POST',
            credentials: 'include',
            mode: 'no-cors',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'name=stolen',
          }),
          victimSubdomain: await tryFetch(`http://victim.localhost:${port}/`, { credentials: 'include' }),
          victimFallback: await tryFetch(`${platformOrigin}/s/victim/`, { credentials: 'include' }),
          deployWithCookie: await tryFetch(`${platformOrigin}/deploy`, {
            method: 'POST',
            credentials: 'include',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify({ slug: 'pwned', html: '<p>pwned</p>' }),
          }),
        };
        // A frame of the victim's page: its document is out of reach.
        const iframeRead = await new Promise<string>((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = `http://victim.localhost:${port}/`;
          frame.onload = () => {
            try {
              resolve(frame.contentDocument?.body?.innerHTML ?? 'null document');
            } catch (e) {
              resolve(`threw ${(e as Error).name}`);
            }
          };
          document.body.appendChild(frame);
          setTimeout(() => resolve('timeout'), 5_000);
        });
        return { origin: page.origin, cookie, attempts, iframeRead };
      },
      { port: platform.port, victimId },
    );
    await page.close();
    return report as AttackReport;
  }

  function expectNothingLeaked(report: AttackReport): void {
    const all = JSON.stringify(report);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('victim-visitor@example.com');
    expect(all).not.toContain('victim-private-page');
    expect(all).not.toContain('victim@example.com');
    // CORS-mode reads of the API and of other sites fail outright; no-cors answers are opaque (no status, no body).
    for (const name of ['me', 'submissions', 'exportCsv', 'dashboard', 'dashboardCsv', 'victimSubdomain', 'victimFallback']) {
      expect(report.attempts[name], name).toEqual({ error: 'TypeError' });
    }
    for (const name of ['meNoCors', 'submissionsNoCors', 'deployWithCookie', 'dashboardCreateKey']) {
      expect(report.attempts[name], name).toEqual({ type: 'opaque', status: 0, body: '' });
    }
    expect(report.iframeRead).toMatch(/^(null document|threw SecurityError)$/);
  }

  it('on its own subdomain: another origin, no platform cookie, no API, no other site, no submissions', async () => {
    const report = await attackFrom(`http://hostile.localhost:${platform.port}/`);
    expect(report.origin).toBe(`http://hostile.localhost:${platform.port}`);
    expect(report.cookie).toBe('');
    expectNothingLeaked(report);
  });

  it('on the /s/ fallback of the platform origin: an opaque origin (sandbox) with the same result', async () => {
    const report = await attackFrom(`http://localhost:${platform.port}/s/hostile/`);
    expect(report.origin).toBe('null');
    expect(report.cookie).toMatch(/^(|threw SecurityError)$/);
    expectNothingLeaked(report);
  });

  it('the attempts changed nothing: no site was made with the cookie, and the victim still has its one submission', async () => {
    const pwned = await httpRequest(platform.port, { host: `pwned.localhost:${platform.port}`, path: '/' });
    expect(pwned.status).toBe(404);
    // The API ignores cookies: the same request the page made, with the cookie and no key, is 401.
    const withCookie = await httpRequest(platform.port, { path: `/submissions/${victimId}`, headers: { cookie: `invoker_session=${SECRET}` } });
    expect(withCookie.status).toBe(401);
    const subs = await api(`/submissions/${victimId}`, victimKey);
    expect(JSON.parse(subs.body).total).toBe(1);
    // The dashboard refused the cross-site form post: no key named "stolen" exists.
    const keys = JSON.parse((await api('/api-keys', victimKey)).body) as { keys: Array<{ name: string }> };
    expect(keys.keys.map((k) => k.name)).not.toContain('stolen');
  });
});
