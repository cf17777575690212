// Remote MCP with OAuth 2.1, for real (SPEC section 11): `serve` (on SQLite; on PostgreSQL as two
// instances behind a round-robin balancer, so consecutive requests land on different processes),
// the MCP SDK's own client (StreamableHTTPClientTransport with an OAuthClientProvider) doing the
// whole dance, Chromium playing the person on the consent page with the code from a real SMTP
// capture, a Client ID Metadata Document served over https from loopback by a test CA that `serve`
// trusts through NODE_EXTRA_CA_CERTS (with INVOKER_ALLOW_PRIVATE_FETCH=1), and Dynamic Client
// Registration. Then: refresh, refresh re-use revoking the grant, a read grant cannot deploy, a
// sub-org grant cannot reach its parent, a grant revoked in the dashboard is refused at once.
import { Client, StreamableHTTPClientTransport, UnauthorizedError, discoverAuthorizationServerMetadata, refreshAuthorization } from '@modelcontextprotocol/client';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { freePort, makeTestCa, MemoryOAuthProvider, startBalancer, startCallback, startMetadataServer, type Callback, type MetadataServer } from '../helpers/oauth-client.js';
import { BACKENDS, resultText, runCli, startPlatform, type Backend, type Platform } from '../helpers/platform.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startMailCatcher, type MailCatcher } from '../helpers/smtp.js';

const EMAIL = 'remote.user@example.com';

describe.each(BACKENDS)('remote MCP with OAuth on %s', { timeout: 120_000 }, (backend: Backend) => {
  let smtp: MailCatcher;
  let browser: Browser;
  let context: BrowserContext;
  let metadata: MetadataServer;
  let callback: Callback;
  let db: TestDatabase | undefined;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  const platforms: Platform[] = [];
  let base: string;
  let key: string;
  let signedIn = false;

  beforeAll(async () => {
    const ca = makeTestCa();
    [smtp, browser, metadata, callback, balancer] = await Promise.all([startMailCatcher(), launchBrowser(), startMetadataServer(ca), startCallback(), startBalancer()]);
    context = await browser.newContext();
    base = balancer.url;
    db = backend === 'postgres' ? await createTestDatabase() : undefined;
    const env = {
      INVOKER_SMTP_URL: smtp.url,
      INVOKER_MAIL_FROM: 'Invoker <login@invoker.test>',
      INVOKER_PUBLIC_URL: base,
      INVOKER_SITES_DOMAIN: `localhost:${balancer.port}`,
      NODE_EXTRA_CA_CERTS: ca.caFile,
      INVOKER_ALLOW_PRIVATE_FETCH: '1',
      ...(db?.env ?? {}),
    };
    const count = backend === 'postgres' ? 2 : 1;
    for (let i = 0; i < count; i++) platforms.push(await startPlatform({ env, port: await freePort() }));
    balancer.upstreams.push(...platforms.map((p) => p.port));
    // On PostgreSQL the CLI reaches the shared database through DATABASE_URL.
    const made = await runCli(['admin', 'create-key', EMAIL, '--name', 'setup', '--data-dir', platforms[0]!.dataDir], db?.env ?? {});
    if (made.code !== 0) throw new Error(made.stderr);
    key = made.stdout.trim();
    metadata.documents.set('client', (url) => ({ client_id: url, client_name: 'Metadata Client', redirect_uris: [callback.redirectUri], token_endpoint_auth_method: 'none' }));
  }, 120_000);
  afterAll(async () => {
    for (const p of platforms) await p.stop();
    await db?.drop();
    await Promise.all([balancer?.close(), metadata?.close(), callback?.close(), smtp?.close()]);
    await browser?.close();
  });

  /** The person in Chromium: signs in with the mailed code the first time, then allows (org, scopes). */
  async function consent(url: URL, choice: { org?: string; scopes?: string[]; expectClient?: RegExp } = {}): Promise<void> {
    const page = await context.newPage();
    try {
      await page.goto(url.href);
      if (!signedIn) {
        await page.fill('input[name=email]', EMAIL);
        const before = smtp.mails.length;
        await page.click('button[type=submit]');
        await page.waitForSelector('input[autocomplete=one-time-code]');
        // The dashboard's sign-in mail (its link goes to the dashboard's sign-in page).
        const code = /sign-in code is (\d{6})/.exec((await smtp.waitFor(EMAIL, before)).raw)?.[1];
        if (!code) throw new Error('no code in the sign-in mail');
        await page.fill('input[autocomplete=one-time-code]', code);
        await page.click('button[type=submit]');
        signedIn = true;
      }
      await page.waitForSelector('text=Allow access to Invoker?');
      const body = (await page.textContent('main')) ?? '';
      if (choice.expectClient) expect(body).toMatch(choice.expectClient);
      expect(body).toContain('127.0.0.1');
      if (choice.scopes) {
        for (const box of await page.$$('input[name=grant_scope]')) {
          const value = await box.getAttribute('value');
          if (choice.scopes.includes(value!)) await box.check();
          else await box.uncheck();
        }
      }
      if (choice.org) await page.selectOption('select[name=org]', choice.org);
      const landed = callback.next();
      await page.click('button[value=allow]');
      await landed;
    } catch (e) {
      throw new Error(`${(e as Error).message}\nThe page at ${page.url()} said: ${await page.textContent('body')}`);
    } finally {
      // Not awaited: on a busy machine Chromium sometimes never settles closing a page that has just
      // been redirected away, which held the client's first request past its 60 s timeout.
      void page.close().catch(() => {});
    }
  }

  /** The SDK's own dance: connect, get 401, discover, register (CIMD or DCR), consent, finishAuth, reconnect. */
  async function connectWithOAuth(options: { cimd: boolean; scope?: string; org?: string; scopes?: string[]; expectClient?: RegExp }) {
    let query: URLSearchParams | undefined;
    const provider = new MemoryOAuthProvider({
      redirectUri: callback.redirectUri,
      clientName: options.cimd ? 'Metadata Client' : 'Registered Client',
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.cimd ? { clientMetadataUrl: metadata.url('client') } : {}),
      onAuthorize: async (url) => {
        const next = callback.next();
        await consent(url, options);
        query = await next;
      },
    });
    const mcpUrl = new URL(`${base}/mcp`);
    // The first connect answers 401; the SDK discovers, registers and sends the person to consent.
    const refused = await new Client({ name: 'remote-e2e', version: '1.0.0' })
      .connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }))
      .then(() => null, (e: unknown) => e);
    if (!(refused instanceof UnauthorizedError)) throw refused ?? new Error('connected without authorization');
    expect(query?.get('iss')).toBe(base);
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await transport.finishAuth(query!);
    const client = new Client({ name: 'remote-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    return { client, provider };
  }

  const mcpStatus = async (token: string) =>
    (
      await fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
    ).status;

  it('a CIMD client does the whole dance, lists tools and deploys a page that is then live', async () => {
    const { client, provider } = await connectWithOAuth({ cimd: true, expectClient: /Metadata Client \(verified: localhost:\d+\)/ });
    try {
      expect(provider.info?.client_id).toBe(metadata.url('client'));
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['deploy', 'publish', 'list_deploys', 'get_submissions']));
      expect(names).not.toContain('login');
      expect(names).not.toContain('create_api_key');
      const deployed = await client.callTool({ name: 'deploy', arguments: { html: '<title>Remote</title><h1>From a remote client</h1>', slug: `remote-${backend}`, publish: true } });
      expect(deployed.isError).toBeFalsy();
      expect(deployed.structuredContent).toMatchObject({ slug: `remote-${backend}`, status: 'live' });
      const live = await fetch(`${base}/s/remote-${backend}/`);
      expect(live.status).toBe(200);
      expect(await live.text()).toContain('From a remote client');
      // The challenge names the default scopes (SPEC section 11: read deploy), which the client asks for.
      expect(provider.saved?.scope).toBe('read deploy');
    } finally {
      await client.close();
    }
  });

  it('refuses, on the page, a metadata document over 5 KB, one naming another client_id, or one that is not there', async () => {
    metadata.documents.set('big', (url) => ({ client_id: url, client_name: 'x'.repeat(6000), redirect_uris: [callback.redirectUri] }));
    metadata.documents.set('liar', () => ({ client_id: 'https://claude.ai/oauth/client.json', client_name: 'Claude', redirect_uris: [callback.redirectUri] }));
    const cases: Array<[string, RegExp]> = [
      [metadata.url('big'), /over 5 KB/],
      [metadata.url('liar'), /names another client_id/],
      [metadata.url('missing'), /answered 404/],
    ];
    for (const [clientId, message] of cases) {
      const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: callback.redirectUri, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
      const res = await fetch(`${base}/oauth/authorize?${query}`, { redirect: 'manual' });
      expect(res.status, clientId).toBe(400);
      expect(await res.text(), clientId).toMatch(message);
    }
  });

  it('refresh works; re-using a spent refresh token revokes the grant', async () => {
    const { client, provider } = await connectWithOAuth({ cimd: true });
    await client.close();
    const first = provider.saved!;
    const asUrl = new URL(base);
    const asMetadata = await discoverAuthorizationServerMetadata(asUrl);
    expect(asMetadata?.issuer).toBe(base);
    const refreshed = await refreshAuthorization(asUrl, { metadata: asMetadata, clientInformation: provider.info!, refreshToken: first.refresh_token!, resource: new URL(`${base}/mcp`) });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect(await mcpStatus(refreshed.access_token)).toBe(200);
    // The old refresh token again: someone else holds it, so the whole grant goes.
    await expect(refreshAuthorization(asUrl, { metadata: asMetadata, clientInformation: provider.info!, refreshToken: first.refresh_token!, resource: new URL(`${base}/mcp`) })).rejects.toThrow(/already used/);
    expect(await mcpStatus(refreshed.access_token)).toBe(401);
    await expect(refreshAuthorization(asUrl, { metadata: asMetadata, clientInformation: provider.info!, refreshToken: refreshed.refresh_token!, resource: new URL(`${base}/mcp`) })).rejects.toThrow(/revoked/);
  });

  it('a DCR client with a read grant does not list deploy and is refused when it calls it', async () => {
    // The person unticks everything but read.
    const { client, provider } = await connectWithOAuth({ cimd: false, scopes: ['read'], expectClient: /Registered Client \(name given by the app itself, not verified\)/ });
    try {
      expect(provider.info?.client_id).toMatch(/^oac_/);
      expect(provider.saved?.scope).toBe('read');
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('list_deploys');
      expect(names).not.toContain('deploy');
      const refused = await client.callTool({ name: 'deploy', arguments: { html: '<h1>no</h1>' } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
      expect(refused.isError).toBe(true);
      expect(resultText(refused)).toMatch(/deploy/);
      const listed = await client.callTool({ name: 'list_deploys', arguments: {} });
      expect(listed.isError).toBeFalsy();
      expect(resultText(listed)).toContain(`remote-${backend}`);
    } finally {
      await client.close();
    }
  });

  it('a grant for a sub-org cannot reach its parent', async () => {
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const sub = await call('POST', '/orgs/c/orgs', { name: `Client ${backend}` });
    expect(sub.id, JSON.stringify(sub)).toMatch(/^org_/);
    const listed = await call('GET', '/deploys');
    expect(listed.deploys, JSON.stringify(listed)).toBeDefined();
    const parentSite = listed.deploys[0];
    const { client } = await connectWithOAuth({ cimd: true, org: sub.id, scopes: ['read', 'deploy'] });
    try {
      const mine = await client.callTool({ name: 'deploy', arguments: { html: '<h1>sub</h1>', slug: `sub-${backend}` } });
      expect(mine.isError).toBeFalsy();
      const status = await client.callTool({ name: 'get_status', arguments: { id: parentSite.id } });
      expect(status.isError).toBe(true);
      expect(resultText(status)).toMatch(/not found/i);
      const up = await client.callTool({ name: 'list_deploys', arguments: { org: (await call('GET', '/me')).org.id } });
      expect(up.isError).toBe(true);
      expect(resultText(up)).toMatch(/Organization not found/);
      expect((await call('GET', `/orgs/${sub.id}/deploys`)).deploys.map((d: { slug: string }) => d.slug)).toEqual([`sub-${backend}`]);
    } finally {
      await client.close();
    }
  });

  it('a grant revoked under Connected apps is refused on the next request', async () => {
    const { client, provider } = await connectWithOAuth({ cimd: false, scopes: ['read', 'deploy', 'forms'] });
    const token = provider.saved!.access_token;
    try {
      expect(await mcpStatus(token)).toBe(200);
      const page = await context.newPage();
      await page.goto(`${base}/dashboard/apps`);
      const row = page.locator('tr', { hasText: 'Registered Client' }).filter({ hasText: 'read deploy forms' });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain('unverified');
      await row.locator('button', { hasText: 'Revoke' }).click();
      await page.waitForSelector('text=Access revoked');
      await page.close();
      // Twice: behind the balancer the two requests land on both instances.
      expect(await mcpStatus(token)).toBe(401);
      expect(await mcpStatus(token)).toBe(401);
    } finally {
      await client.close();
    }
  });
});
