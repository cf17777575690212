// The dashboard in real Chromium against a real `serve` that mails codes to a real SMTP server:
// sign in, keys, sites, submissions, organizations, and CSRF. Screenshots of each page are written
// to docs/dashboard/ when UPDATE_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { httpRequest, ROOT, startPlatform, type Platform } from '../helpers/platform.js';
import { startMailCatcher, type MailCatcher } from '../helpers/smtp.js';

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/dashboard') : null;
const EMAIL = 'owner@example.com';

describe('dashboard in a real browser', () => {
  let platform: Platform;
  let smtp: MailCatcher;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Console errors and uncaught exceptions on every page the main tab visits (Lighthouse's "no console errors"). */
  const consoleErrors: string[] = [];

  const api = (method: string, path: string, key: string, body?: unknown) =>
    httpRequest(platform.port, {
      method,
      path,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    for (const [label, width] of [['phone', 390], ['desktop', 1280]] as const) {
      await page.setViewportSize({ width, height: 860 });
      await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  };

  beforeAll(async () => {
    smtp = await startMailCatcher();
    platform = await startPlatform({ env: { INVOKER_SMTP_URL: smtp.url, INVOKER_MAIL_FROM: 'Invoker <login@invoker.test>' } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await smtp?.close();
  });

  async function signIn(p: Page, email: string): Promise<void> {
    await p.goto(`${platform.url}/dashboard`);
    await expect.poll(() => p.url()).toContain('/dashboard/login');
    const before = smtp.mails.length;
    await p.getByLabel('Email').fill(email);
    await p.getByRole('button', { name: 'Email me a code' }).click();
    await p.waitForURL(/\/dashboard\/login\/code$/);
    const mail = await smtp.waitFor(email, before);
    const code = /sign-in code is (\d{6})/.exec(mail.raw.replace(/=\r?\n/g, ''))?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    await p.getByLabel('6-digit code').fill(code);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${platform.url}/dashboard`);
  }

  it('opens on a landing page with the MCP configuration for this server and a way to the dashboard', async () => {
    await page.goto(platform.url);
    await shot('landing');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Invoker');
    const config = JSON.parse((await page.locator('#mcp-config').textContent()) ?? '');
    expect(config.mcpServers.invoker.env.INVOKER_API_URL).toBe(platform.url);
    // The favicon the browser asks for is there: a console error on every page before.
    const icon = await page.request.get(`${platform.url}/favicon.ico`);
    expect([icon.status(), icon.headers()['content-type']]).toEqual([200, 'image/x-icon']);
    // Nothing scrolls sideways on a phone: the configuration wraps.
    await page.setViewportSize({ width: 390, height: 860 });
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('link', { name: 'Open the dashboard' }).click();
    await page.waitForURL(/\/dashboard\/login$/);
  });

  it('signs in with an emailed code; the session cookie is host-only, HttpOnly and SameSite', async () => {
    await page.goto(`${platform.url}/dashboard`);
    await shot('sign-in');
    await signIn(page, EMAIL);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sites');
    const cookies = await context.cookies(platform.url);
    const session = cookies.find((c) => c.name === 'invoker_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', domain: 'localhost', path: '/' });
    const res = await page.request.get(`${platform.url}/dashboard`);
    expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers()['content-security-policy']).not.toContain('unsafe-inline');
  });

  let key = '';

  it('creates a key shown once, which works over HTTP until it is revoked', async () => {
    await page.goto(`${platform.url}/dashboard/keys`);
    await shot('keys');
    await page.getByLabel('Name (where the key will be used)').fill('CI');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText("you won't see it again").waitFor();
    await page.getByRole('button', { name: 'Copy to clipboard' }).waitFor();
    await shot('new-key');
    key = ((await page.locator('#new-key').textContent()) ?? '').trim();
    expect(key).toMatch(/^inv_[0-9A-Za-z]{38}$/);
    const me = await api('GET', '/me', key);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body).user.email).toBe(EMAIL);

    await page.goto(`${platform.url}/dashboard/keys`);
    expect(await page.locator('table').textContent()).not.toContain(key);
    await page.getByRole('row', { name: /CI/ }).getByRole('link', { name: 'Revoke…' }).click();
    await shot('revoke-key');
    const spare = await api('POST', '/api-keys', key, { name: 'spare' });
    const spareKey = JSON.parse(spare.body).key as string;
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('Key revoked.').waitFor();
    expect((await api('GET', '/me', key)).status).toBe(401);
    key = spareKey;
    expect((await api('GET', '/me', key)).status).toBe(200);
  });

  it('shows sites, publishes and rolls back versions, renames and deletes with confirmation', async () => {
    const v1 = JSON.parse((await api('POST', '/deploy', key, { html: '<h1>One</h1>', slug: 'dash-site', title: 'Dash site' })).body);
    await api('PUT', `/deploy/${v1.id}`, key, { html: '<h1>Two</h1>', publish: false });
    await page.goto(`${platform.url}/dashboard`);
    await shot('sites');
    await page.getByRole('link', { name: 'Dash site' }).click();
    await shot('site');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Version 2 is live.').waitFor();
    expect((await httpRequest(platform.port, { host: `dash-site.localhost:${platform.port}` })).body).toBe('<h1>Two</h1>');
    await page.getByRole('button', { name: 'Roll back to this' }).click();
    await page.getByText('Version 1 is live.').waitFor();
    expect((await httpRequest(platform.port, { host: `dash-site.localhost:${platform.port}` })).body).toBe('<h1>One</h1>');

    await page.getByLabel(/Slug/).fill('dash-renamed');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Renamed to dash-renamed.').waitFor();
    expect((await httpRequest(platform.port, { host: `dash-renamed.localhost:${platform.port}` })).status).toBe(200);

    await page.getByRole('link', { name: 'Delete this site…' }).click();
    await shot('delete-site');
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    await page.getByText('Deleted dash-renamed.').waitFor();
    expect((await api('GET', `/deploy/${v1.id}`, key)).status).toBe(404);
  });

  it('lists submissions newest first as text, never as HTML, downloads CSV and deletes one', async () => {
    const site = JSON.parse((await api('POST', '/deploy', key, { html: '<form></form>', slug: 'dash-forms', title: 'Forms' })).body);
    for (const message of ['first', '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">']) {
      await httpRequest(platform.port, {
        method: 'POST',
        path: `/submit/${site.id}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'visitor@example.com', message }),
      });
    }
    // The site's page charts them: 30 days, today's bar the only one drawn.
    await page.goto(`${platform.url}/dashboard/sites/${site.id}`);
    const chart = page.getByRole('img', { name: 'Submissions per day' });
    await expect(chart.locator('rect').count()).resolves.toBe(30);
    const heights = await chart.locator('rect').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('height'))));
    expect(heights.slice(0, 29).every((h) => h === 0)).toBe(true);
    expect(heights[29]).toBeGreaterThan(0);
    await expect(page.locator('#chart-summary').textContent()).resolves.toMatch(/^2 submission\(s\) in the last 30 days; the busiest day was \d{1,2} \w{3} with 2\.$/);
    await shot('site-chart');
    await page.goto(`${platform.url}/dashboard/sites/${site.id}/submissions`);
    await shot('submissions');
    const cells = await page.locator('td.data').allTextContents();
    expect(cells).toContain('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">');
    expect(cells.indexOf('first')).toBeGreaterThan(cells.indexOf('visitor@example.com'));
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);

    const csv = await page.request.get(`${platform.url}/dashboard/sites/${site.id}/submissions.csv`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('visitor@example.com');

    await page.getByRole('button', { name: /Delete submission/ }).first().click();
    await page.getByText('Submission deleted.').waitFor();
    expect(JSON.parse((await api('GET', `/submissions/${site.id}`, key)).body).total).toBe(1);
  });

  it('switches organization and shows only that organization\'s sites', async () => {
    await page.goto(`${platform.url}/dashboard/orgs`);
    await page.getByLabel(/New sub-organization/).fill('Client One');
    await page.getByRole('button', { name: 'Create sub-organization' }).click();
    await page.getByText('Created Client One.').waitFor();
    await shot('orgs');
    const subs = JSON.parse((await api('GET', '/orgs/c/orgs', key)).body).orgs as Array<{ id: string; name: string }>;
    const sub = subs.find((o) => o.name === 'Client One') as { id: string };
    await api('POST', `/orgs/${sub.id}/deploy`, key, { html: '<p>client</p>', slug: 'client-only', title: 'Client site' });

    await page.goto(`${platform.url}/dashboard`);
    expect(await page.getByRole('link', { name: 'Forms', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Client site', exact: true }).count()).toBe(0);
    await page.getByLabel('Organization').selectOption({ label: 'Client One (sub-org)' });
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByText('Switched to Client One.').waitFor();
    expect(await page.getByRole('link', { name: 'Client site', exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Forms', exact: true }).count()).toBe(0);
  });

  it('refuses a cross-site form post and a post without the CSRF token', async () => {
    const keysBefore = JSON.parse((await api('GET', '/api-keys', key)).body).keys.length;
    // A hostile page on a site host auto-submits a form at the dashboard with the victim's cookie.
    const evil = JSON.parse(
      (
        await api('POST', '/deploy', key, {
          html: `<form id=f method=post action="${platform.url}/dashboard/keys"><input name=name value=stolen></form><script>document.getElementById('f').submit()</script>`,
          slug: 'evil-page',
        })
      ).body,
    );
    const hostile = await context.newPage();
    const answer = hostile.waitForResponse((r) => r.url().endsWith('/dashboard/keys'));
    await hostile.goto(evil.url.replace(/:\d+\//, `:${platform.port}/`));
    expect((await answer).status()).toBe(403);
    await hostile.close();

    // Same origin, session cookie present, but no token: refused too.
    const noToken = await page.request.post(`${platform.url}/dashboard/keys`, {
      form: { name: 'no-token' },
      headers: { origin: platform.url },
    });
    expect(noToken.status()).toBe(403);
    expect(JSON.parse((await api('GET', '/api-keys', key)).body).keys.length).toBe(keysBefore);
  });

  it('works on a phone without JavaScript, and signing out ends the session', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const p = await phone.newPage();
    await signIn(p, EMAIL);
    const overflow = await p.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await p.goto(`${platform.url}/dashboard/keys`);
    await p.getByLabel('Name (where the key will be used)').fill('phone');
    await p.getByRole('button', { name: 'Create key' }).click();
    expect(((await p.locator('#new-key').textContent()) ?? '').trim()).toMatch(/^inv_/);
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL(/\/dashboard\/login$/);
    await p.goto(`${platform.url}/dashboard/keys`);
    expect(p.url()).toContain('/dashboard/login');
    await phone.close();
  });

  it('logged no console error on any page it visited', () => {
    expect(consoleErrors).toEqual([]);
  });
});
