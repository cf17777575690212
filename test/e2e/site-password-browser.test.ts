// Password-protected sites in real Chromium against a real `serve` (SPEC section 14): the password
// page a visitor gets without the cookie (a labelled password field, no script, 401), the site once
// the right password is typed, 429 after 10 wrong tries in a minute, a cookie that opens only its own
// site, the `/s/{slug}/` fallback with its own cookie, and the dashboard page where the owner sets it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

describe('password-protected sites in Chromium', () => {
  let platform: Platform;
  let browser: Browser;
  let key = '';
  const sites: Record<string, { id: string; url: string }> = {};

  const api = (method: string, path: string, body?: unknown) =>
    httpRequest(platform.port, {
      method,
      path,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'locked@example.com');
    for (const slug of ['club', 'other', 'vault']) {
      const made = await api('POST', '/deploy', { slug, html: `<!doctype html><html lang="en"><head><title>${slug}</title></head><body><main><h1>Members of ${slug}</h1></main></body></html>` });
      expect(made.status).toBe(201);
      const site = JSON.parse(made.body);
      sites[slug] = { id: site.id, url: site.url };
      expect((await api('PUT', `/deploy/${site.id}/password`, { password: `${slug}-password-1` })).status).toBe(200);
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  }

  async function expectPasswordPage(page: Page, response: { status(): number } | null) {
    expect(response?.status()).toBe(401);
    expect(await page.title()).toBe('Password required');
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('password');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Members of/ }).count()).toBe(0);
  }

  it('shows the password page without the cookie, and the site after the right password', async () => {
    const { context, page } = await fresh();
    try {
      await expectPasswordPage(page, await page.goto(`${sites.club?.url}about?x=1`));
      await page.getByLabel('Password').fill('club-password-1');
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      // Back where the visitor was going (a path the site lacks: its 404), now as the site itself.
      expect(new URL(page.url()).pathname).toBe('/about');
      expect(response?.status()).toBe(404);
      const home = await page.goto(sites.club?.url as string);
      expect(home?.status()).toBe(200);
      await expect(page.getByRole('heading', { name: 'Members of club' }).count()).resolves.toBe(1);
      const [cookie] = await context.cookies(sites.club?.url);
      // Host-only on the site's own host (no leading dot), HttpOnly, not readable by the page.
      expect(cookie).toMatchObject({ name: 'invoker_site', domain: new URL(sites.club?.url as string).hostname, path: '/', httpOnly: true, sameSite: 'Lax' });
      expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    } finally {
      await context.close();
    }
  });

  it('keeps the cookie to its own site: it does not open another one', async () => {
    const { context, page } = await fresh();
    try {
      await page.goto(sites.club?.url as string);
      await page.getByLabel('Password').fill('club-password-1');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      const [cookie] = await context.cookies(sites.club?.url);
      expect(cookie?.value).toBeTruthy();
      // The same cookie, planted on the other site's host, is refused there.
      await context.addCookies([{ name: 'invoker_site', value: cookie?.value as string, url: sites.other?.url as string }]);
      await expectPasswordPage(page, await page.goto(sites.other?.url as string));
      // Nor does the first site's password: each site has its own.
      await page.getByLabel('Password').fill('club-password-1');
      const [wrong] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(wrong?.status()).toBe(401);
      expect(await page.getByRole('alert').textContent()).toContain('not the password');
    } finally {
      await context.close();
    }
  });

  it('answers 429 after 10 wrong tries in a minute', async () => {
    const { context, page } = await fresh();
    try {
      await page.goto(sites.vault?.url as string);
      for (let i = 0; i < 10; i++) {
        await page.getByLabel('Password').fill(`wrong guess ${i}`);
        const [r] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
        expect(r?.status(), `try ${i + 1}`).toBe(401);
      }
      await page.getByLabel('Password').fill('vault-password-1');
      const [limited] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(limited?.status()).toBe(429);
      expect(await page.getByRole('alert').textContent()).toContain('Too many password tries');
    } finally {
      await context.close();
    }
  });

  it('protects the /s/{slug}/ fallback with a cookie named for the site, on that path', async () => {
    const { context, page } = await fresh();
    try {
      const fallback = `http://localhost:${platform.port}/s/club/`;
      await expectPasswordPage(page, await page.goto(fallback));
      await page.getByLabel('Password').fill('club-password-1');
      const [r] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(r?.status()).toBe(200);
      expect(page.url()).toBe(fallback);
      await expect(page.getByRole('heading', { name: 'Members of club' }).count()).resolves.toBe(1);
      const cookies = await context.cookies(fallback);
      expect(cookies).toEqual([expect.objectContaining({ name: `invoker_site_${sites.club?.id}`, path: '/s/club/', httpOnly: true })]);
      // That cookie is not sent to the other site's fallback path.
      await expectPasswordPage(page, await page.goto(`http://localhost:${platform.port}/s/other/`));
    } finally {
      await context.close();
    }
  });

  it('closes /_og.png, /_counter and /_submit of a protected site too', async () => {
    const host = new URL(sites.club?.url as string).host;
    for (const [method, path] of [['GET', '/_og.png'], ['GET', '/_counter/members'], ['POST', '/_counter/members/increment'], ['POST', '/_submit']] as const) {
      const r = await httpRequest(platform.port, { method, path, host, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: method === 'POST' ? 'email=a%40b.c' : undefined });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body).toContain('Password required');
    }
  });

  it('lets the owner set and remove the password on the dashboard page protect_site links to', async () => {
    const made = await api('POST', '/deploy', { slug: 'garden', html: '<!doctype html><title>garden</title><h1>Open garden</h1>' });
    const garden = JSON.parse(made.body) as { id: string; url: string };
    const { context, page } = await fresh();
    try {
      await page.goto(`http://localhost:${platform.port}/dashboard/login`);
      await page.getByLabel('Email').fill('locked@example.com');
      await page.getByRole('button', { name: 'Email me a code' }).click();
      await page.waitForURL(/\/dashboard\/login\/code$/);
      let code: string | undefined;
      for (let i = 0; i < 100 && !code; i++) {
        code = [...platform.stderr().matchAll(/sign-in code for locked@example\.com: (\d{6})/g)].at(-1)?.[1];
        if (!code) await new Promise((r) => setTimeout(r, 50));
      }
      await page.getByLabel('6-digit code').fill(code as string);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`http://localhost:${platform.port}/dashboard`);
      await page.goto(`http://localhost:${platform.port}/dashboard/sites/${garden.id}`);
      await page.getByRole('link', { name: 'Password and counters' }).click();
      expect(new URL(page.url()).pathname).toBe(`/dashboard/sites/${garden.id}/password`);
      await page.getByLabel('Password', { exact: true }).fill('garden-gate-1');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Protect the site' }).click()]);
      expect(await page.getByText('The site now asks for this password.').count()).toBe(1);
      const visitor = await browser.newContext();
      try {
        const v = await visitor.newPage();
        await expectPasswordPage(v, await v.goto(garden.url));
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Remove the password' }).click()]);
        expect((await v.goto(garden.url))?.status()).toBe(200);
      } finally {
        await visitor.close();
      }
    } finally {
      await context.close();
    }
  });
});
