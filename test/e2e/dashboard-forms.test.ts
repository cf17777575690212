// The dashboard's forms pages in real Chromium against a real `serve`: form settings saved without
// JavaScript, a webhook added (its secret shown once) and its deliveries listed with each attempt,
// an uploaded file downloaded byte-exact with the session, and the webhook deleted again.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { startMailCatcher, type MailCatcher } from '../helpers/smtp.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const EMAIL = 'forms-owner@example.com';

describe('dashboard forms pages in a real browser', () => {
  let platform: Platform;
  let smtp: MailCatcher;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  let key: string;

  beforeAll(async () => {
    smtp = await startMailCatcher();
    receiver = await startReceiver(() => 200);
    platform = await startPlatform({ env: { INVOKER_SMTP_URL: smtp.url, INVOKER_ALLOW_PRIVATE_FETCH: '1', INVOKER_JOBS_INTERVAL_MS: '100' } });
    key = await createKey(platform, EMAIL);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  it('saves form settings, adds a webhook and shows its deliveries, downloads an upload, deletes the webhook', async () => {
    const deployed = await httpRequest(platform.port, { method: 'POST', path: '/deploy', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ html: '<p>x</p>', slug: 'dash-forms', title: 'Dash forms' }) });
    const siteId = JSON.parse(deployed.body).id as string;

    await page.goto(`${platform.url}/dashboard`);
    const before = smtp.mails.length;
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const code = /sign-in code is (\d{6})/.exec((await smtp.waitFor(EMAIL, before)).raw.replace(/=\r?\n/g, ''))?.[1] as string;
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.url}/dashboard`);

    await page.goto(`${platform.url}/dashboard/sites/${siteId}`);
    await page.getByRole('link', { name: 'Form settings and webhooks' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Forms: Dash forms');
    await page.getByLabel('Keep files sent with the form').check();
    await page.getByLabel(/Delete submissions after/).fill('14');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=/);
    expect(await page.getByRole('status').or(page.locator('.notice')).first().textContent()).toContain('Form settings saved.');
    const settings = JSON.parse((await httpRequest(platform.port, { path: `/deploy/${siteId}/forms`, headers: { authorization: `Bearer ${key}` } })).body);
    expect(settings).toMatchObject({ accept_uploads: true, retention_days: 14, notify: false, form_protection: 'none' });

    await page.getByLabel('New webhook URL (https)').fill(receiver.url);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Webhook added');
    expect(await page.locator('#new-key').textContent()).toMatch(/^whsec_/);

    const bytes = randomBytes(4096);
    const form = new FormData();
    form.set('name', '<b>Eve</b>');
    form.set('doc', new File([bytes], 'notes.txt', { type: 'text/plain' }));
    expect((await fetch(`${platform.url}/submit/${siteId}`, { method: 'POST', body: form, headers: { accept: 'application/json' } })).status).toBe(200);
    await receiver.waitFor((r) => r.length === 1);

    await page.goto(`${platform.url}/dashboard/sites/${siteId}/forms`);
    await page.getByRole('link', { name: receiver.url }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Deliveries to ${receiver.url}`);
    await expect(page.locator('tbody').textContent()).resolves.toMatch(/submission\.created[\s\S]*delivered[\s\S]*#1 .*: 200 in \d+ ms · ok/);

    await page.goto(`${platform.url}/dashboard/sites/${siteId}/submissions`);
    // Visitor text stays text.
    expect(await page.locator('td.data', { hasText: '<b>Eve</b>' }).count()).toBe(1);
    const link = page.getByRole('link', { name: 'notes.txt' });
    const download = await page.request.get(new URL((await link.getAttribute('href'))!, platform.url).toString());
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment/);
    expect(Buffer.from(await download.body()).equals(bytes)).toBe(true);

    await page.goto(`${platform.url}/dashboard/sites/${siteId}/forms`);
    await page.getByRole('button', { name: `Delete the webhook to ${receiver.url}` }).click();
    await page.waitForURL(/done=/);
    expect(await page.getByText('No webhooks yet.').count()).toBe(1);
  }, 60_000);
});
