// A browser-based MCP client on another origin (as the MCP Inspector in a browser, or a web app, is):
// a page served from its own loopback port does, with the page's own fetch in Chromium, what such
// a client does against a real `serve`: reads the 401 challenge, discovers both metadata documents,
// registers by DCR (a JSON post, so a preflight), sends the person to the consent page (who signs in
// with the mailed code and allows), exchanges the code at the token endpoint, lists the tools over
// /mcp with the access token, revokes it, and is refused after. The dashboard stays unreadable
// from that origin.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startPlatform, type Platform } from '../helpers/platform.js';
import { startMailCatcher, type MailCatcher } from '../helpers/smtp.js';

const EMAIL = 'web.app.user@example.com';

describe('a browser-based client on another origin', { timeout: 120_000 }, () => {
  let smtp: MailCatcher;
  let browser: Browser;
  let platform: Platform;
  let webApp: Server;
  let appOrigin: string;

  beforeAll(async () => {
    [smtp, browser] = await Promise.all([startMailCatcher(), launchBrowser()]);
    platform = await startPlatform({ env: { INVOKER_SMTP_URL: smtp.url, INVOKER_MAIL_FROM: 'Invoker <login@invoker.test>' } });
    // The web app's own origin: an empty page, and its OAuth callback.
    webApp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Web app</title><p>web app</p>'));
    await new Promise<void>((resolve) => webApp.listen(0, '127.0.0.1', () => resolve()));
    appOrigin = `http://127.0.0.1:${(webApp.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    await new Promise((resolve) => webApp?.close(resolve));
    await Promise.all([browser?.close(), smtp?.close()]);
  });

  /** Runs `fn` in the page (the web app's origin) with the server's URL. */
  const inPage = <T>(page: Page, fn: (server: string) => Promise<T>) => page.evaluate(fn, platform.url);

  it('discovers, registers, gets a token and lists the tools over /mcp, all cross-origin', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${appOrigin}/`);
      expect(new URL(platform.url).origin).not.toBe(appOrigin);

      // The challenge, its header readable from this origin, leads to the metadata.
      const discovered = await inPage(page, async (server) => {
        const challenge = await fetch(`${server}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
        const header = challenge.headers.get('www-authenticate') ?? '';
        const resourceUrl = /resource_metadata="([^"]+)"/.exec(header)?.[1] ?? '';
        const resource = (await (await fetch(resourceUrl)).json()) as any;
        const as = (await (await fetch(`${resource.authorization_servers[0]}/.well-known/oauth-authorization-server`)).json()) as any;
        return { status: challenge.status, header, resource, as };
      });
      expect(discovered.status).toBe(401);
      expect(discovered.header).toContain('resource_metadata=');
      expect(discovered.resource.resource).toBe(`${platform.url}/mcp`);
      expect(discovered.as.issuer).toBe(platform.url);

      // Dynamic Client Registration: a JSON post from another origin, so the browser asks first.
      const callback = `${appOrigin}/callback`;
      const registered = await page.evaluate(
        async ({ endpoint, callback }) => {
          const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Browser Web App', redirect_uris: [callback], token_endpoint_auth_method: 'none' }) });
          return { status: res.status, body: (await res.json()) as any };
        },
        { endpoint: discovered.as.registration_endpoint as string, callback },
      );
      expect(registered.status).toBe(201);
      const clientId = registered.body.client_id as string;
      expect(clientId).toMatch(/^oac_/);

      // The person: the consent page, signed in with the mailed code, Allow.
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(discovered.as.authorization_endpoint as string);
      for (const [k, v] of Object.entries({ response_type: 'code', client_id: clientId, redirect_uri: callback, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', state: 'web-1', scope: 'read deploy', resource: `${platform.url}/mcp` })) {
        authorize.searchParams.set(k, v);
      }
      await page.goto(authorize.href);
      await page.fill('input[name=email]', EMAIL);
      const before = smtp.mails.length;
      await page.click('button[type=submit]');
      await page.waitForSelector('input[autocomplete=one-time-code]');
      const code = /sign-in code is (\d{6})/.exec((await smtp.waitFor(EMAIL, before)).raw)?.[1];
      expect(code).toBeTruthy();
      await page.fill('input[autocomplete=one-time-code]', code!);
      await page.click('button[type=submit]');
      await page.waitForSelector('text=Allow access to Invoker?');
      await Promise.all([page.waitForURL((url) => url.href.startsWith(`${callback}?`)), page.click('button[value=allow]')]);
      const landed = new URL(page.url());
      expect(landed.origin).toBe(appOrigin);
      expect(landed.searchParams.get('state')).toBe('web-1');

      // Back on the web app's origin: the token, tools/list with it, revocation, refusal after.
      const used = await page.evaluate(
        async ({ server, tokenEndpoint, revokeEndpoint, clientId, callback, code, verifier }) => {
          const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
          const tokenRes = await fetch(tokenEndpoint, form({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: callback, resource: `${server}/mcp` }));
          const tokens = (await tokenRes.json()) as any;
          const list = (token: string) =>
            fetch(`${server}/mcp`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
            });
          const listed = await list(tokens.access_token);
          const names = (((await listed.json()) as any).result?.tools ?? []).map((t: { name: string }) => t.name) as string[];
          const revoked = await fetch(revokeEndpoint, form({ token: tokens.access_token, client_id: clientId }));
          const after = await list(tokens.access_token);
          // The dashboard reads a cookie: its answers stay closed to other origins.
          const dashboard = await fetch(`${server}/dashboard`).then(
            () => 'readable',
            () => 'blocked',
          );
          return { tokenStatus: tokenRes.status, scope: tokens.scope, listStatus: listed.status, names, revokeStatus: revoked.status, afterStatus: after.status, dashboard };
        },
        { server: platform.url, tokenEndpoint: discovered.as.token_endpoint as string, revokeEndpoint: discovered.as.revocation_endpoint as string, clientId, callback, code: landed.searchParams.get('code')!, verifier },
      );
      expect(used.tokenStatus).toBe(200);
      expect(used.scope).toBe('read deploy');
      expect(used.listStatus).toBe(200);
      expect(used.names).toEqual(expect.arrayContaining(['deploy', 'list_deploys', 'get_submissions']));
      expect(used.names).not.toContain('create_api_key');
      expect(used.revokeStatus).toBe(200);
      expect(used.afterStatus).toBe(401);
      expect(used.dashboard).toBe('blocked');
    } finally {
      await context.close();
    }
  });
});
