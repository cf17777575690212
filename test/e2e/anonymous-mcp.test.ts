// Anonymous deploys from the person's side, for real: the built MCP server over stdio with no key
// deploys to a platform that allows it; the page is live; the person signs in with Chromium and the
// code a real SMTP server caught, and the site is in their new org without any further call. And
// the claim_url page: sign in with the emailed code and keep the site in one step.
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { connectMcp, httpRequest, resultText, startPlatform, type Platform } from '../helpers/platform.js';
import { startMailCatcher, type CapturedMail, type MailCatcher } from '../helpers/smtp.js';

const codeOf = (mail: CapturedMail) => {
  const code = /sign-in code is (\d{6})/.exec(mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[1];
  if (!code) throw new Error(`not a sign-in mail:\n${mail.raw}`);
  return code;
};

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await probe().catch(() => null);
    if (found) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('anonymous deploys from the MCP server and the claim page', () => {
  let smtp: MailCatcher;
  let browser: Browser;
  let platform: Platform;

  beforeAll(async () => {
    smtp = await startMailCatcher();
    browser = await launchBrowser();
    platform = await startPlatform({ env: { INVOKER_ANONYMOUS_DEPLOYS: '1', INVOKER_SMTP_URL: smtp.url, INVOKER_MAIL_FROM: 'Invoker <login@invoker.test>' } });
  });
  afterAll(async () => {
    await platform?.stop();
    await browser?.close();
    await smtp?.close();
  });

  const live = (slug: string) => httpRequest(platform.port, { host: `${slug}.localhost:${platform.port}`, path: '/' });

  it('with no key, deploy makes a live page that expires; after the person logs in it is in their new org without another call', async () => {
    const configDir = join(await mkdtemp(join(tmpdir(), 'invoker-anon-')), 'config');
    const mcp = await connectMcp({ INVOKER_API_URL: platform.url, INVOKER_CONFIG_DIR: configDir, INVOKER_NO_BROWSER: '1' });
    try {
      const deployed = await mcp.client.callTool({ name: 'deploy', arguments: { html: '<!doctype html><title>Waitlist</title><h1>Join the waitlist</h1>' } });
      expect(deployed.isError).toBeFalsy();
      const site = deployed.structuredContent as { id: string; slug: string; url: string; status: string; expires_at: string; claim_url: string };
      expect(site).toMatchObject({ status: 'live' });
      const text = resultText(deployed);
      expect(text).toContain(site.url);
      expect(text).toMatch(/EXPIRES/);
      expect(text).toMatch(/call the login tool/);
      expect(text).toContain(site.claim_url);
      expect(new URL(site.claim_url).origin).toBe(platform.url);

      const served = await live(site.slug);
      expect([served.status, served.body.includes('Join the waitlist')]).toEqual([200, true]);

      // The claim token is kept for the next login: 0600 in a 0700 folder of the config dir.
      const claimsDir = join(configDir, 'claims');
      const file = join(claimsDir, `${site.id}.json`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(claimsDir)).mode & 0o777).toBe(0o700);
      const kept = JSON.parse(await readFile(file, 'utf8')) as { claim_token: string; api_url: string };
      expect(kept.api_url).toBe(platform.url);

      // The person logs in: the login tool gives the page, Chromium does what the person does.
      const pending = await mcp.client.callTool({ name: 'login', arguments: {} });
      const { verification_url: verificationUrl } = pending.structuredContent as { verification_url: string };
      const tab = await browser.newPage();
      await tab.goto(verificationUrl);
      await tab.fill('input[name=email]', 'anon.owner@example.com');
      const before = smtp.mails.length;
      await tab.click('button[type=submit]');
      await tab.waitForSelector('input[autocomplete=one-time-code]');
      await tab.fill('input[autocomplete=one-time-code]', codeOf(await smtp.waitFor('anon.owner@example.com', before)));
      await tab.click('button[type=submit]');
      await expect.poll(() => tab.textContent('h1')).toBe('Signed in — you can close this tab');
      await tab.close();

      // No further tool call: the background poll saved the key and claimed the site with it.
      const credentials = await waitFor('the credentials file', async () => JSON.parse(await readFile(join(configDir, 'credentials.json'), 'utf8')) as { api_key: string; org_id: string });
      const auth = { authorization: `Bearer ${credentials.api_key}` };
      const owned = await waitFor('the site in the new org', async () => {
        const answer = await httpRequest(platform.port, { path: `/deploy/${site.id}`, headers: auth });
        return answer.status === 200 && (JSON.parse(answer.body) as { id: string; slug: string });
      });
      expect(owned).toMatchObject({ id: site.id, slug: site.slug });
      await waitFor('the claim file to go', async () => (await readdir(claimsDir)).length === 0);
      expect((await live(site.slug)).status).toBe(200);

      // The token worked once: a second claim is refused, and says why.
      const again = await fetch(`${platform.url}/deploy/${site.id}/claim`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ claim_token: kept.claim_token }),
      });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: string }).error).toMatch(/claimed already/);

      // The login tool, called again, confirms; the site stays put.
      const done = await mcp.client.callTool({ name: 'login', arguments: {} });
      expect(resultText(done)).toMatch(/Logged in as anon\.owner@example\.com/);
      const listed = await mcp.client.callTool({ name: 'list_deploys', arguments: {} });
      expect((listed.structuredContent as { deploys: Array<{ id: string }> }).deploys.map((d) => d.id)).toContain(site.id);
    } finally {
      await mcp.close();
    }
  });

  it('the claim_url page signs the person in with the emailed code and keeps the site in one step', async () => {
    const deployed = (await (await fetch(`${platform.url}/deploy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ html: '<!doctype html><title>Portfolio</title><h1>Portfolio</h1>' }),
    })).json()) as { id: string; slug: string; claim_url: string; claim_token: string };

    const tab = await browser.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await tab.goto(deployed.claim_url);
    expect(await tab.textContent('h1')).toBe('Keep this site');
    expect(await tab.textContent('body')).toContain(deployed.slug);
    await tab.fill('input[name=email]', 'claimer@example.com');
    const before = smtp.mails.length;
    await tab.click('button[type=submit]');
    await tab.waitForSelector('input[autocomplete=one-time-code]');
    await tab.fill('input[autocomplete=one-time-code]', codeOf(await smtp.waitFor('claimer@example.com', before)));
    await tab.click('button[type=submit]');
    await tab.waitForURL(new RegExp(`/dashboard/sites/${deployed.id}\\?done=`));
    expect(await tab.textContent('body')).toMatch(/Kept .*does not expire/);
    expect(await tab.textContent('body')).toContain('claimer@example.com');
    expect(consoleErrors).toEqual([]);

    // The link is spent: opening it again says so.
    await tab.goto(deployed.claim_url);
    expect(await tab.textContent('body')).toMatch(/claimed already/);
    await tab.close();
  });
  it("the code mail's link brings the person back to finishing the claim, not to the dashboard's sign-in", async () => {
    const deployed = (await (await fetch(`${platform.url}/deploy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ html: '<!doctype html><title>Recipes</title><h1>Recipes</h1>' }),
    })).json()) as { id: string; slug: string; claim_url: string };
    const context = await browser.newContext();
    const elsewhere = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(deployed.claim_url);
      await tab.fill('input[name=email]', 'linked@example.com');
      const before = smtp.mails.length;
      await tab.click('button[type=submit]');
      await tab.waitForSelector('input[autocomplete=one-time-code]');
      const mail = await smtp.waitFor('linked@example.com', before);
      const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const links = [...text.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));
      const claimToken = new URL(deployed.claim_url).searchParams.get('token') as string;
      const back = `${platform.url}/dashboard/claim/${deployed.id}/code?token=${encodeURIComponent(claimToken)}`;
      expect(links).toContain(back);
      expect(links.some((l) => l.includes('/dashboard/login'))).toBe(false);

      // Opened in another browser, the link cannot finish this sign-in: it starts the claim there.
      const other = await elsewhere.newPage();
      await other.goto(back);
      expect(await other.textContent('h1')).toBe('Keep this site');
      expect(await other.locator('input[name=email]').count()).toBe(1);

      // Followed in the browser that asked, from another site (as from webmail), it is the code step of the claim.
      const fromMail = await context.newPage();
      await fromMail.setContent(`<a href="${back.replace(/&/g, '&amp;')}">Sign-in page</a>`);
      await Promise.all([fromMail.waitForURL(back), fromMail.click('a')]);
      expect(await fromMail.textContent('h1')).toBe('Enter your code');
      await fromMail.fill('input[autocomplete=one-time-code]', codeOf(mail));
      await fromMail.click('button[type=submit]');
      await fromMail.waitForURL(new RegExp(`/dashboard/sites/${deployed.id}\\?done=`));
      expect(await fromMail.textContent('body')).toMatch(/Kept .*does not expire/);
      expect(await fromMail.textContent('body')).toContain('linked@example.com');
    } finally {
      await context.close();
      await elsewhere.close();
    }
  });
});
