// The content library's counter block in real Chromium against a real `serve`: the number it shows is
// the site's `/_counter/{name}`, its button adds one (once per browser), a visit-counting block counts a
// browser's first visit only, and the same page works under the `/s/{slug}/` fallback, where it runs
// sandboxed (an opaque origin, no storage).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composePage } from '../../packages/invoker-mcp/src/content/compose.js';
import { launchBrowser } from '../helpers/browser.js';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

describe('the counter block in Chromium', () => {
  let platform: Platform;
  let browser: Browser;
  let site: { id: string; url: string; slug: string };
  let key = '';

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'counted@example.com');
    const html = composePage({
      page: { title: 'Join us' },
      blocks: [
        { blockId: 'counter', props: { name: 'joined', label: 'people joined', buttonLabel: "I'm in" } },
        { blockId: 'counter', props: { name: 'visits', label: 'visits', countVisits: true, buttonLabel: '' } },
      ],
    });
    const made = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'join-us', html }),
    });
    expect(made.status).toBe(201);
    site = JSON.parse(made.body);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const value = async (name: string) => JSON.parse((await httpRequest(platform.port, { host: new URL(site.url).host, path: `/_counter/${name}` })).body).value as number;

  it('shows the count, adds one with its button once per browser, and counts each browser one visit', async () => {
    const context = await browser.newContext();
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(site.url);
      const joined = page.locator('[data-counter="joined"]');
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } } }).document.querySelector('[data-counter="joined"]').hidden);
      expect(await joined.textContent()).toBe("0 people joined I'm in");
      await page.getByRole('button', { name: "I'm in" }).click();
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }).document.querySelector('[data-counter="joined"] strong').textContent === '1');
      expect(await value('joined')).toBe(1);
      await page.reload();
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } } }).document.querySelector('[data-counter="visits"]').hidden);
      expect(await page.getByRole('button', { name: "I'm in" }).isDisabled()).toBe(true);
      // Two loads of the page, one visit counted.
      expect(await value('visits')).toBe(1);
      expect(await page.locator('[data-counter="visits"] strong').textContent()).toBe('1');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works under /s/{slug}/, sandboxed', async () => {
    const context = await browser.newContext();
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://localhost:${platform.port}/s/${site.slug}/`);
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } } }).document.querySelector('[data-counter="joined"]').hidden);
      expect(await page.locator('[data-counter="joined"] strong').textContent()).toBe('1');
      await page.getByRole('button', { name: "I'm in" }).click();
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }).document.querySelector('[data-counter="joined"] strong').textContent === '2');
      expect(await value('joined')).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it('works on a password-protected site under /s/{slug}/ once the password is given', async () => {
    const html = composePage({ page: { title: 'Members' }, blocks: [{ blockId: 'counter', props: { name: 'members', label: 'members', buttonLabel: 'Count me' } }] });
    const made = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'members-only', html }),
    });
    expect(made.status).toBe(201);
    const members = JSON.parse(made.body) as { id: string; url: string };
    const locked = await httpRequest(platform.port, {
      method: 'PUT',
      path: `/deploy/${members.id}/password`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'members-password-1' }),
    });
    expect(locked.status).toBe(200);
    const memberCount = async () => JSON.parse((await httpRequest(platform.port, { path: `/deploy/${members.id}/counters`, headers: { authorization: `Bearer ${key}` } })).body).counters;
    let passSeen = '';
    const context = await browser.newContext();
    const errors: string[] = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      const fallback = `http://localhost:${platform.port}/s/members-only/`;
      expect((await page.goto(fallback))?.status()).toBe(401);
      await page.getByLabel('Password').fill('members-password-1');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      expect(page.url()).toBe(fallback);
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } } }).document.querySelector('[data-counter="members"]').hidden);
      expect(await page.locator('[data-counter="members"] strong').textContent()).toBe('0');
      await page.getByRole('button', { name: 'Count me' }).click();
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } } }).document.querySelector('[data-counter="members"] strong').textContent === '1');
      expect(await memberCount()).toEqual([expect.objectContaining({ name: 'members', value: 1 })]);
      passSeen = (await page.locator('meta[name="invoker-counter-pass"]').getAttribute('content')) as string;
      expect(passSeen).toMatch(/^\d+\.\d+\.[\w-]{43}$/);
      // And on the site's own host, with its own cookie.
      await page.goto(members.url);
      await page.getByLabel('Password').fill('members-password-1');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
      await page.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } } }).document.querySelector('[data-counter="members"]').hidden);
      expect(await page.locator('[data-counter="members"] strong').textContent()).toBe('1');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    // Without the password, the counter stays closed on either path; the pass the page carries opens
    // its counters under /s/ only, and no page, nor another site's counters.
    expect((await httpRequest(platform.port, { path: '/s/members-only/_counter/members' })).status).toBe(401);
    expect((await httpRequest(platform.port, { method: 'POST', path: '/s/members-only/_counter/members/increment' })).status).toBe(401);
    const pass = encodeURIComponent(passSeen);
    expect((await httpRequest(platform.port, { path: `/s/members-only/_counter/members?pass=${pass}` })).status).toBe(200);
    expect((await httpRequest(platform.port, { path: `/s/members-only/?pass=${pass}` })).status).toBe(401);
    expect((await httpRequest(platform.port, { host: new URL(members.url).host, path: `/_counter/members?pass=${pass}` })).status).toBe(401);
    expect((await httpRequest(platform.port, { method: 'PUT', path: `/deploy/${site.id}/password`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'join-us-password-1' }) })).status).toBe(200);
    expect((await httpRequest(platform.port, { path: `/s/${site.slug}/_counter/joined?pass=${pass}` })).status).toBe(401);
    // A new password ends the pass with the cookie.
    expect((await httpRequest(platform.port, { method: 'PUT', path: `/deploy/${members.id}/password`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ password: 'members-password-2' }) })).status).toBe(200);
    expect((await httpRequest(platform.port, { path: `/s/members-only/_counter/members?pass=${pass}` })).status).toBe(401);
  });
});
