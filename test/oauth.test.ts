// The OAuth authorization server and /mcp in process (SPEC section 11), on both backends: every
// answer each OAuth and MCP route documents, and the hostile inputs a public authorization server
// meets (PKCE missing or plain, a wrong verifier, an unregistered redirect URI, a code used twice or
// expired, a token for another resource, a consent post without its CSRF token, a metadata
// document on a private address, a DCR `javascript:` redirect): each a clear OAuth error, never a
// 5xx. The whole dance with a real client and browser is test/e2e/remote-mcp.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesOf } from '../packages/platform/src/server/services-of.js';
import type { LoginCodeMail } from '../packages/platform/src/services/deps.js';
import { sha256Hex } from '../packages/platform/src/services/login-secrets.js';
import { createSubTenant, createTenant, openTestApp, type OpenedTestApp, type Tenant } from './helpers/app.js';
import { BACKENDS, type Backend } from './helpers/platform.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';
const BASE = 'http://localhost:8787';
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe.each(BACKENDS)('OAuth and /mcp in process on %s', (backend: Backend) => {
  let t: OpenedTestApp;
  let owner: Tenant;
  let sub: Tenant;
  let clientId: string;
  let cookie: string;
  let csrf: string;
  const mails: LoginCodeMail[] = [];

  /** A request as a browser on this origin sends it (form posts carry Origin). */
  const send = async (method: string, path: string, options: { form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string>; ip?: string; body?: string } = {}) => {
    const headers: Record<string, string> = { host: 'localhost:8787', ...options.headers };
    let body: string | undefined = options.body;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const one of [v].flat()) params.append(k, one);
      body = params.toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await t.app.request(path, { method, headers, body }, { incoming: { socket: { remoteAddress: options.ip ?? '127.0.0.1' } } });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A page or an event stream: the text.
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  const browser = { origin: BASE, 'sec-fetch-site': 'same-origin' };

  const authorizeParams = (overrides: Record<string, string | undefined> = {}) => {
    const { challenge } = pkce();
    const params: Record<string, string> = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st-1', scope: 'read deploy' };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete params[k];
      else params[k] = v;
    }
    return params;
  };
  const authorizeUrl = (params: Record<string, string>) => `/oauth/authorize?${new URLSearchParams(params)}`;

  /** Consent as the signed-in owner: the code the client receives. */
  const approve = async (options: { org?: string; scopes?: string[]; resource?: string } = {}) => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, ...(options.resource ? { resource: options.resource } : {}) });
    const res = await send('POST', '/oauth/authorize', { form: { ...params, _csrf: csrf, decision: 'allow', org: options.org ?? owner.org.id, grant_scope: options.scopes ?? ['read', 'deploy'] }, headers: { ...browser, cookie } });
    expect(res.status, res.text).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('iss')).toBe(BASE);
    expect(location.searchParams.get('state')).toBe('st-1');
    return { code: location.searchParams.get('code')!, verifier };
  };
  const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    send('POST', '/oauth/token', { form: { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, redirect_uri: REDIRECT, ...extra } });
  const tokensFor = async (options: Parameters<typeof approve>[0] = {}) => {
    const { code, verifier } = await approve(options);
    const res = await exchange(code, verifier);
    expect(res.status, res.text).toBe(200);
    return res.body as { access_token: string; refresh_token: string; scope: string };
  };
  const mcp = (token: string | null, message: unknown, headers: Record<string, string> = {}) =>
    send('POST', '/mcp', { json: message, headers: { ...MCP_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };

  beforeAll(async () => {
    t = await openTestApp(backend, { mailer: { kind: 'log', sendLoginCode: async (m) => void mails.push(m) } });
    owner = await createTenant(t, 'owner@example.com');
    sub = await createSubTenant(t, owner, 'Client A');
    const registered = await send('POST', '/oauth/register', { json: { client_name: 'Test <b>App</b>', redirect_uris: [REDIRECT] } });
    expect(registered.status).toBe(201);
    clientId = registered.body.client_id;
    // A signed-in browser (the e2e suite signs in with the mailed code through the page itself).
    const { token } = await servicesOf(t.deps).dashboardSessions.start(owner.userId, owner.org.id);
    cookie = `invoker_session=${token}`;
    csrf = (await servicesOf(t.deps).dashboardSessions.find(token))!.session.csrfToken;
  });
  afterAll(async () => t?.close());

  it('serves the metadata documents as RFC 9728 and RFC 8414 say, with the issuer exactly the public URL', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await send('GET', path);
      expect(res.body).toMatchObject({ resource: `${BASE}/mcp`, authorization_servers: [BASE], scopes_supported: ['read', 'deploy', 'forms', 'admin'] });
    }
    const as = await send('GET', '/.well-known/oauth-authorization-server');
    expect(as.body).toMatchObject({ issuer: BASE, code_challenge_methods_supported: ['S256'], client_id_metadata_document_supported: true, registration_endpoint: `${BASE}/oauth/register`, revocation_endpoint: `${BASE}/oauth/revoke` });
  });

  it('answers /mcp without a bearer with the challenge that leads to the metadata', async () => {
    for (const method of ['POST', 'GET', 'DELETE']) {
      const res = await send(method, '/mcp', method === 'POST' ? { json: listTools, headers: MCP_HEADERS } : {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${BASE}/.well-known/oauth-protected-resource", scope="read deploy"`);
    }
    const bad = await mcp('ioa_not-a-token', listTools);
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('serves /mcp with an inv_ key: every answer of the endpoint', async () => {
    const listed = await mcp(owner.key, listTools);
    expect(listed.status).toBe(200);
    expect(listed.text).toContain('"deploy"');
    // 2026-07-28: a per-request envelope, answered as plain JSON.
    const modern = await mcp(owner.key, { ...listTools, params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list', accept: 'application/json' });
    expect(modern.status, modern.text).toBe(200);
    expect(modern.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.stringify(modern.body)).toContain('create_api_key');
    expect((await mcp(owner.key, { jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    expect((await mcp(owner.key, { nope: true })).status).toBe(400);
    expect((await send('POST', '/mcp', { body: '{}', headers: { ...MCP_HEADERS, 'content-type': 'text/plain', authorization: `Bearer ${owner.key}` } })).status).toBe(415);
    expect((await mcp(owner.key, listTools, { accept: 'text/html' })).status).toBe(406);
    for (const method of ['GET', 'DELETE']) {
      expect((await send(method, '/mcp', { headers: { authorization: `Bearer ${owner.key}` } })).status).toBe(405);
    }
    // DNS rebinding: the rebound page's requests name its own host, which this server does not answer.
    const rebound = await mcp(owner.key, listTools, { host: 'evil.example', origin: 'http://evil.example' });
    expect(rebound.status).toBe(404);
    expect(rebound.text).not.toContain('list_deploys');
  });

  it('answers browser-based clients on other origins: preflights and readable answers on the OAuth endpoints and /mcp, nothing on the rest', async () => {
    const app = 'http://127.0.0.1:6274';
    const crossOrigin = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-authorization-server', '/oauth/register', '/oauth/token', '/oauth/revoke', '/mcp'];
    for (const path of crossOrigin) {
      const preflight = await send('OPTIONS', path, { headers: { origin: app, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' } });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(preflight.headers.get('access-control-allow-methods'), path).toContain('POST');
      const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
      for (const header of ['authorization', 'content-type', 'mcp-protocol-version', 'mcp-session-id']) expect(allowed, path).toContain(header);
      // No credentials mode: a page on another origin never rides on a cookie here.
      expect(preflight.headers.get('access-control-allow-credentials'), path).toBeNull();
    }
    // The answers themselves, refusals included, are readable, and so is the challenge's header.
    const challenged = await mcp(null, listTools, { origin: app });
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('access-control-allow-origin')).toBe('*');
    expect((challenged.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('www-authenticate');
    expect((challenged.headers.get('access-control-expose-headers') ?? '').toLowerCase()).toContain('mcp-session-id');
    const listed = await mcp(owner.key, listTools, { origin: app });
    expect([listed.status, listed.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    expect(listed.text).toContain('list_deploys');
    const registered = await send('POST', '/oauth/register', { json: { client_name: 'Web app', redirect_uris: [`${app}/callback`] }, headers: { origin: app }, ip: '10.9.1.1' });
    expect([registered.status, registered.headers.get('access-control-allow-origin')]).toEqual([201, '*']);
    const badToken = await send('POST', '/oauth/token', { form: { grant_type: 'authorization_code', code: 'nope' }, headers: { origin: app } });
    expect([badToken.status, badToken.headers.get('access-control-allow-origin')]).toEqual([400, '*']);
    expect((await send('GET', '/.well-known/oauth-authorization-server', { headers: { origin: app } })).headers.get('access-control-allow-origin')).toBe('*');
    // The cookie-authenticated pages, the consent page and the keyed API keep the same-origin rule.
    for (const path of ['/dashboard', '/dashboard/login', '/oauth/authorize', '/me', '/deploy', '/']) {
      const preflight = await send('OPTIONS', path, { headers: { origin: app, 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
      const plain = await send('GET', path, { headers: { origin: app, authorization: `Bearer ${owner.key}` } });
      expect(plain.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    // A site's own path that happens to be /mcp is the site's, not this endpoint.
    const onSite = await send('OPTIONS', '/mcp', { headers: { host: 'some-site.localhost:8787', origin: app, 'access-control-request-method': 'POST' } });
    expect(onSite.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves interleaved requests of two principals on reused servers, each seeing only its own sites and tools', async () => {
    const other = await createTenant(t, 'other@example.com');
    const read = await tokensFor({ scopes: ['read'] });
    const deployBy = async (key: string, slug: string) => {
      const res = await send('POST', '/deploy', { json: { slug, html: `<p>${slug}</p>` }, headers: { authorization: `Bearer ${key}` } });
      expect(res.status, res.text).toBe(201);
    };
    await deployBy(owner.key, 'interleave-owner');
    await deployBy(other.key, 'interleave-other');
    const modern = (id: number) => ({ _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} }, id });
    const modernHeaders = (method: string, name?: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}), accept: 'application/json' });
    const listDeploys = (token: string, id: number, era: 'legacy' | 'modern') =>
      era === 'legacy'
        ? mcp(token, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_deploys', arguments: {} } })
        : mcp(token, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'list_deploys', arguments: {}, _meta: modern(id)._meta } }, modernHeaders('tools/call', 'list_deploys'));
    const toolsOf = (token: string, id: number, era: 'legacy' | 'modern') =>
      era === 'legacy' ? mcp(token, { ...listTools, id }) : mcp(token, { ...listTools, id, params: { _meta: modern(id)._meta } }, modernHeaders('tools/list'));
    // Many at once, alternating principals and eras, so the same servers serve both in turn.
    const calls = Array.from({ length: 24 }, (_, i) => {
      const era = i % 4 < 2 ? 'legacy' : 'modern';
      const who = i % 2 === 0 ? { name: 'owner', token: owner.key } : { name: 'other', token: other.key };
      return i % 3 === 2 ? { kind: 'tools' as const, who: i % 2 === 0 ? { name: 'read', token: read.access_token } : who, era, run: toolsOf(i % 2 === 0 ? read.access_token : who.token, i + 100, era) } : { kind: 'deploys' as const, who, era, run: listDeploys(who.token, i + 100, era) };
    });
    const answers = await Promise.all(calls.map((c) => c.run));
    answers.forEach((res, i) => {
      const call = calls[i]!;
      const label = `${call.kind} ${call.who.name} ${call.era}`;
      expect(res.status, label).toBe(200);
      expect(res.body.id, label).toBe(i + 100);
      if (call.kind === 'deploys') {
        expect(res.text, label).toContain(`interleave-${call.who.name}`);
        expect(res.text, label).not.toContain(call.who.name === 'owner' ? 'interleave-other' : 'interleave-owner');
      } else {
        const names = (res.body.result.tools as Array<{ name: string }>).map((tool) => tool.name);
        expect(names, label).toContain('list_deploys');
        // A read grant lists no write tool; a key lists them all.
        if (call.who.name === 'read') expect(names, label).not.toContain('deploy');
        else expect(names, label).toContain('deploy');
      }
    });
    // The same tools/list again answers alike, id and all (the recorded answer for a plain list).
    const again = await mcp(read.access_token, { ...listTools, id: 'again' });
    expect(again.body.id).toBe('again');
    expect((again.body.result.tools as Array<{ name: string }>).map((tool) => tool.name)).not.toContain('deploy');
    const full = await mcp(owner.key, { ...listTools, id: 7 });
    expect((full.body.result.tools as Array<{ name: string }>).map((tool) => tool.name)).toContain('deploy');
  });

  it('the remote create_api_key hands no key over; it sends the person to the dashboard', async () => {
    const res = await mcp(owner.key, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_api_key', arguments: { name: 'x' } } });
    expect(res.text).toContain('/dashboard/keys');
    expect(res.text).toContain('"isError":true');
    expect(res.text).not.toMatch(/inv_[0-9A-Za-z]{38}/);
  });

  it('the remote create_api_key sends the person to the dashboard by URL-mode elicitation on 2026-07-28, and reports the key they made there', async () => {
    const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } };
    const call = (extra: Record<string, unknown> = {}) =>
      mcp(owner.key, { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'create_api_key', arguments: { name: 'ci-remote' }, _meta: envelope, ...extra } }, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'create_api_key', accept: 'application/json' });
    const asked = await call();
    expect(asked.status, asked.text).toBe(200);
    const request = asked.body.result.inputRequests?.create_key;
    expect(request, asked.text).toBeDefined();
    expect(JSON.stringify(request)).toContain('"mode":"url"');
    expect(JSON.stringify(request)).toContain(`${BASE}/dashboard/keys?name=ci-remote`);
    expect(asked.text).not.toMatch(/inv_[0-9A-Za-z]{38}/);
    // The page the URL opens has the name filled in.
    const keysPage = await send('GET', '/dashboard/keys?name=ci-remote', { headers: { cookie } });
    expect(keysPage.text).toContain('value="ci-remote"');
    // The person declines: a refusal with the link. They accept after making the key on the page.
    const declined = await call({ inputResponses: { create_key: { action: 'decline' } } });
    expect(declined.text).toContain('"isError":true');
    expect(declined.text).toContain('/dashboard/keys?name=ci-remote');
    const made = await send('POST', '/api-keys', { json: { name: 'ci-remote' }, headers: { authorization: `Bearer ${owner.key}` } });
    expect(made.status, made.text).toBe(201);
    const accepted = await call({ inputResponses: { create_key: { action: 'accept' } } });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.text).toContain(made.body.preview);
    expect(accepted.text).not.toContain(made.body.key);
  });

  it('answers a large export over /mcp with a short-lived signed link, which needs no key and works nowhere else', async () => {
    const site = await send('POST', '/deploy', { json: { slug: 'export-link', html: '<form method="post" action="{{SUBMIT_URL}}"><input name="note"></form>' }, headers: { authorization: `Bearer ${owner.key}` } });
    expect(site.status, site.text).toBe(201);
    const id = site.body.id as string;
    // Over the 50 KB the conversation gets inline: 30 submissions of 2 KB, each from its own address.
    for (let i = 0; i < 30; i++) {
      const posted = await send('POST', `/submit/${id}`, { json: { note: `${i} ${'n'.repeat(2000)}` }, ip: `198.51.100.${i + 1}` });
      expect(posted.status, posted.text).toBeLessThan(400);
    }
    const exported = await mcp(owner.key, { jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'export_submissions', arguments: { deployment_id: id } } });
    expect(exported.status, exported.text).toBe(200);
    const result = exported.body.result;
    expect(result.structuredContent.rows).toBe(30);
    expect(result.structuredContent.csv).toBeUndefined();
    const url = new URL(result.structuredContent.url as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE}/exports/${id}/submissions.csv`);
    expect(result.content.some((c: { type: string; uri?: string }) => c.type === 'resource_link' && c.uri === url.href)).toBe(true);
    const download = await send('GET', `${url.pathname}${url.search}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/csv');
    expect(download.headers.get('content-disposition')).toContain('export-link-submissions.csv');
    expect(download.text.split('\r\n').filter(Boolean)).toHaveLength(31);
    // Another site, another org, a changed expiry or signature: refused.
    const other = new URLSearchParams(url.search);
    other.set('expires', String(Number(other.get('expires')) + 3600));
    expect((await send('GET', `${url.pathname}?${other}`)).status).toBe(403);
    expect((await send('GET', `/exports/dpl_other/submissions.csv${url.search}`)).status).toBe(403);
    const forged = new URLSearchParams(url.search);
    forged.set('org', sub.org.id);
    expect((await send('GET', `${url.pathname}?${forged}`)).status).toBe(403);
    expect((await send('GET', `${url.pathname}`)).status).toBe(403);
    expect((await send('GET', `${url.pathname}?sig=${'x'.repeat(300)}`)).status).toBe(400);
    // 15 minutes later it has expired.
    const now = t.deps.now;
    t.deps.now = () => new Date(Date.now() + 16 * 60_000);
    try {
      const late = await send('GET', `${url.pathname}${url.search}`);
      expect([late.status, late.body.error]).toEqual([403, expect.stringContaining('expired')]);
    } finally {
      t.deps.now = now;
    }
    // The site gone, the link names nothing.
    expect((await send('DELETE', `/deploy/${id}`, { headers: { authorization: `Bearer ${owner.key}` } })).status).toBe(204);
    expect((await send('GET', `${url.pathname}${url.search}`)).status).toBe(404);
  });

  it('registers clients (RFC 7591): refuses javascript:, data:, non-loopback http and fragments, and rate limits per IP', async () => {
    for (const uri of ['javascript:alert(1)', 'data:text/html,hi', 'http://evil.example/cb', 'https://app.example/cb#frag', 'not a uri']) {
      const res = await send('POST', '/oauth/register', { json: { redirect_uris: [uri] }, ip: '10.9.0.1' });
      expect([res.status, res.body.error], uri).toEqual([400, 'invalid_redirect_uri']);
      expect(res.body.error_description).toMatch(/Redirect URI refused/);
    }
    const secret = await send('POST', '/oauth/register', { json: { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }, ip: '10.9.0.2' });
    expect([secret.status, secret.body.error]).toEqual([400, 'invalid_client_metadata']);
    const notJson = await send('POST', '/oauth/register', { body: '{', headers: { 'content-type': 'application/json' }, ip: '10.9.0.2' });
    expect([notJson.status, notJson.body.error]).toEqual([400, 'invalid_request']);
    for (const ok of ['cursor://anysphere.cursor-retrieval/oauth/callback', 'http://[::1]:1234/cb', 'https://claude.ai/api/mcp/auth_callback']) {
      expect((await send('POST', '/oauth/register', { json: { redirect_uris: [ok] }, ip: '10.9.0.3' })).status, ok).toBe(201);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await send('POST', '/oauth/register', { json: { redirect_uris: [REDIRECT] }, ip: '10.9.0.4' })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it('shows, and never redirects, a request whose client or redirect URI it cannot trust', async () => {
    const unknown = await send('GET', authorizeUrl(authorizeParams({ client_id: 'oac_unknown' })));
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Unknown client_id');
    const unregistered = await send('GET', authorizeUrl(authorizeParams({ redirect_uri: 'http://evil.example/cb' })));
    expect(unregistered.status).toBe(400);
    expect(unregistered.text).toContain('not one this client registered');
    // A metadata document on a private address is refused by the outbound guard (allowPrivate is off here).
    const privateDoc = await send('GET', authorizeUrl(authorizeParams({ client_id: 'https://127.0.0.1/client.json' })));
    expect(privateDoc.status).toBe(400);
    expect(privateDoc.text).toMatch(/address is refused/);
    const metadataIp = await send('GET', authorizeUrl(authorizeParams({ client_id: 'https://169.254.169.254/latest/meta-data.json' })));
    expect(metadataIp.status).toBe(400);
    // Loopback http matches on any port (RFC 8252 §7.3).
    const otherPort = await send('GET', authorizeUrl(authorizeParams({ redirect_uri: 'http://127.0.0.1:9999/callback' })), { headers: { cookie } });
    expect(otherPort.status).toBe(200);
  });

  it('sends PKCE, scope, response-type and resource errors back to the client with state and iss', async () => {
    const cases: Array<[Record<string, string | undefined>, string]> = [
      [{ code_challenge: undefined }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: undefined }, 'invalid_request'],
      [{ scope: 'read everything' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ resource: 'https://other.example/mcp' }, 'invalid_target'],
    ];
    for (const [overrides, error] of cases) {
      const res = await send('GET', authorizeUrl(authorizeParams(overrides)));
      expect(res.status, JSON.stringify(overrides)).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect([location.searchParams.get('error'), location.searchParams.get('state'), location.searchParams.get('iss')]).toEqual([error, 'st-1', BASE]);
    }
  });

  it('shows the consent form to a signed-in person: client (unverified, escaped), redirect host, requested scopes ticked, own org selected', async () => {
    const res = await send('GET', authorizeUrl(authorizeParams({ scope: 'read forms' })), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Test &lt;b&gt;App&lt;/b&gt;');
    expect(res.text).toContain('not verified');
    expect(res.text).toContain('127.0.0.1:7777');
    expect(res.text).toMatch(/value="read" checked/);
    expect(res.text).toMatch(/value="forms" checked/);
    expect(res.text).not.toMatch(/value="deploy" checked/);
    expect(res.text).toContain(`<option value="${owner.org.id}" selected>`);
    expect(res.text).toContain(`<option value="${sub.org.id}">`);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:7777");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses a consent post without its CSRF token, from another origin, without a session, or for an org out of reach', async () => {
    const form = { ...authorizeParams(), decision: 'allow', org: owner.org.id, grant_scope: 'read' };
    const noCsrf = await send('POST', '/oauth/authorize', { form, headers: { ...browser, cookie } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).toContain('did not come from this page');
    const wrongCsrf = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: 'x' }, headers: { ...browser, cookie } });
    expect(wrongCsrf.status).toBe(403);
    const crossSite = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: csrf }, headers: { origin: 'http://evil.example', cookie } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('content-type')).toMatch(/text\/html/);
    const noSession = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: csrf }, headers: browser });
    expect(noSession.status).toBe(401);
    const stranger = await createTenant(t, 'stranger@example.com');
    const outOfReach = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: csrf, org: stranger.org.id }, headers: { ...browser, cookie } });
    expect(outOfReach.status).toBe(404);
    const noScope = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: csrf, grant_scope: [] }, headers: { ...browser, cookie } });
    expect(noScope.status).toBe(400);
    expect(noScope.text).toContain('Choose at least one');
    const deny = await send('POST', '/oauth/authorize', { form: { ...form, _csrf: csrf, decision: 'deny' }, headers: { ...browser, cookie } });
    expect(new URL(deny.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('signs a person in on the consent page with the mailed code (its steps and refusals)', async () => {
    const params = authorizeParams();
    const ip = '10.8.0.1';
    const bad = await send('POST', '/oauth/authorize/email', { form: { ...params, email: 'not-an-email' }, headers: browser, ip });
    expect(bad.status).toBe(400);
    const cross = await send('POST', '/oauth/authorize/email', { form: { ...params, email: 'a@example.com' }, headers: { origin: 'http://evil.example' }, ip });
    expect(cross.status).toBe(403);
    const redirected = await send('POST', '/oauth/authorize/email', { form: { ...params, code_challenge_method: 'plain', email: 'a@example.com' }, headers: browser, ip });
    expect(redirected.status).toBe(303);
    const before = mails.length;
    const asked = await send('POST', '/oauth/authorize/email', { form: { ...params, email: 'New.Person@Example.com' }, headers: browser, ip });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('6-digit code');
    const pending = /invoker_oauth_signin=([^;]+)/.exec(asked.headers.get('set-cookie') ?? '')![1]!;
    const mail = mails[before]!;
    expect(mail.to).toBe('new.person@example.com');
    const wrong = await send('POST', '/oauth/authorize/code', { form: { ...params, code: mail.code === '000000' ? '111111' : '000000' }, headers: { ...browser, cookie: `invoker_oauth_signin=${pending}` }, ip });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('not right');
    const crossCode = await send('POST', '/oauth/authorize/code', { form: { ...params, code: mail.code }, headers: { origin: 'http://evil.example', cookie: `invoker_oauth_signin=${pending}` }, ip });
    expect(crossCode.status).toBe(403);
    const right = await send('POST', '/oauth/authorize/code', { form: { ...params, code: mail.code }, headers: { ...browser, cookie: `invoker_oauth_signin=${pending}` }, ip });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toMatch(/^\/oauth\/authorize\?/);
    const session = /invoker_session=([^;]+)/.exec(right.headers.get('set-cookie') ?? '')![1]!;
    const consent = await send('GET', right.headers.get('location')!, { headers: { cookie: `invoker_session=${session}` } });
    expect(consent.text).toContain('new.person@example.com');
    // Spent: the same code again finds no pending sign-in.
    const again = await send('POST', '/oauth/authorize/code', { form: { ...params, code: mail.code }, headers: { ...browser, cookie: `invoker_oauth_signin=${pending}` }, ip });
    expect(again.status).toBe(400);
    // Budgets: codes per address, then code checks per address.
    const codeStatuses: number[] = [];
    for (let i = 0; i < 11; i++) codeStatuses.push((await send('POST', '/oauth/authorize/email', { form: { ...params, email: `p${i}@example.com` }, headers: browser, ip: '10.8.0.2' })).status);
    expect(codeStatuses).toContain(429);
    // Each sign-in ends after 5 wrong codes, so three of them, four wrong codes each, from one address.
    const verifyStatuses: number[] = [];
    for (let s = 0; s < 3; s++) {
      const opened = await send('POST', '/oauth/authorize/email', { form: { ...params, email: `v${s}@example.com` }, headers: browser, ip: `10.8.1.${s}` });
      const signin = /invoker_oauth_signin=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')![1]!;
      for (let i = 0; i < 4; i++) verifyStatuses.push((await send('POST', '/oauth/authorize/code', { form: { ...params, code: '123456' }, headers: { ...browser, cookie: `invoker_oauth_signin=${signin}` }, ip: '10.8.0.3' })).status);
    }
    expect(verifyStatuses).toContain(429);
  });

  it('exchanges a code once: a wrong verifier, another redirect URI, another resource, a second use and an expired code are invalid_grant or invalid_target', async () => {
    const wrongVerifier = await approve();
    const r1 = await exchange(wrongVerifier.code, pkce().verifier);
    expect([r1.status, r1.body.error]).toEqual([400, 'invalid_grant']);
    expect(r1.body.error_description).toMatch(/code_verifier/);

    const noVerifier = await approve();
    expect((await send('POST', '/oauth/token', { form: { grant_type: 'authorization_code', code: noVerifier.code } })).body.error).toBe('invalid_request');

    const otherRedirect = await approve();
    expect((await exchange(otherRedirect.code, otherRedirect.verifier, { redirect_uri: 'http://127.0.0.1:1/x' })).body.error).toBe('invalid_grant');

    const otherResource = await approve();
    const r3 = await exchange(otherResource.code, otherResource.verifier, { resource: 'https://other.example/mcp' });
    expect([r3.status, r3.body.error]).toEqual([400, 'invalid_target']);

    // Used twice: the second use fails and takes the first one's tokens with it.
    const twice = await approve();
    const first = await exchange(twice.code, twice.verifier);
    expect(first.status).toBe(200);
    expect((await mcp(first.body.access_token, listTools)).status).toBe(200);
    const second = await exchange(twice.code, twice.verifier);
    expect([second.status, second.body.error]).toEqual([400, 'invalid_grant']);
    expect(second.body.error_description).toMatch(/already used/);
    expect((await mcp(first.body.access_token, listTools)).status).toBe(401);

    const late = await approve();
    const realNow = t.deps.now;
    t.deps.now = () => new Date(realNow().getTime() + 61_000);
    try {
      const expired = await exchange(late.code, late.verifier);
      expect([expired.status, expired.body.error]).toEqual([400, 'invalid_grant']);
      expect(expired.body.error_description).toMatch(/expired/);
    } finally {
      t.deps.now = realNow;
    }
    expect((await send('POST', '/oauth/token', { form: { grant_type: 'password' } })).body.error).toBe('unsupported_grant_type');
    expect((await send('POST', '/oauth/token', { form: {} })).body.error).toBe('invalid_request');
    expect((await send('POST', '/oauth/token', { body: 'grant_type=a&grant_type=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).body.error).toBe('invalid_request');
  });

  it('stores codes and tokens only as SHA-256 hashes', async () => {
    const { code, verifier } = await approve();
    const tokens = (await exchange(code, verifier)).body;
    const found = await t.store.findOAuthToken(sha256Hex(tokens.access_token));
    expect(found?.kind).toBe('access');
    expect(await t.store.findOAuthToken(tokens.access_token)).toBeNull();
    expect(await t.store.redeemOAuthCode(code, new Date().toISOString())).toBeNull();
    if (t.dbPath) {
      const { DatabaseSync } = await import('node:sqlite');
      const db = new DatabaseSync(t.dbPath, { readOnly: true });
      const dump = JSON.stringify([db.prepare('SELECT * FROM oauth_tokens').all(), db.prepare('SELECT * FROM oauth_codes').all()]);
      db.close();
      for (const secret of [tokens.access_token, tokens.refresh_token, code]) expect(dump).not.toContain(secret);
    }
  });

  it('rotates refresh tokens and revokes the grant on re-use; an access token is bound to /mcp and to its scopes', async () => {
    const tokens = await tokensFor({ scopes: ['read'] });
    expect(tokens.scope).toBe('read');
    const listed = await mcp(tokens.access_token, listTools);
    expect(listed.text).toContain('list_deploys');
    expect(listed.text).not.toContain('"deploy"');
    const called = await mcp(tokens.access_token, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'deploy', arguments: { html: '<p>x</p>' } } });
    expect(called.text).toMatch(/deploy/);
    expect(called.text).not.toContain('"status":"live"');
    const refresh = (token: string, extra: Record<string, string> = {}) => send('POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: token, client_id: clientId, ...extra } });
    expect((await refresh(tokens.refresh_token, { resource: 'https://other.example/mcp' })).body.error).toBe('invalid_target');
    expect((await refresh(tokens.refresh_token, { client_id: 'oac_someone_else' })).body.error).toBe('invalid_grant');
    const next = await refresh(tokens.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.scope).toBe('read');
    const reused = await refresh(tokens.refresh_token);
    expect([reused.status, reused.body.error]).toEqual([400, 'invalid_grant']);
    expect((await mcp(next.body.access_token, listTools)).status).toBe(401);
    expect((await refresh(next.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('revokes a grant by either of its tokens (RFC 7009), and answers 200 for unknown tokens', async () => {
    const tokens = await tokensFor();
    expect((await send('POST', '/oauth/revoke', { form: { token: 'ioa_unknown' } })).status).toBe(200);
    expect((await send('POST', '/oauth/revoke', { form: {} })).body.error).toBe('invalid_request');
    const revoked = await send('POST', '/oauth/revoke', { form: { token: tokens.refresh_token, client_id: clientId } });
    expect(revoked.status).toBe(200);
    expect((await mcp(tokens.access_token, listTools)).status).toBe(401);
  });

  it('a sub-org grant acts on the sub-org only; the grant shows under the user with its org', async () => {
    const tokens = await tokensFor({ org: sub.org.id });
    const who = await mcp(tokens.access_token, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'list_deploys', arguments: { org: owner.org.id } } });
    expect(who.text).toContain('Organization not found');
    const grants = await t.store.listOAuthGrants(owner.userId);
    expect(grants.some((g) => g.orgId === sub.org.id && g.orgName === 'Client A' && g.clientName === 'Test <b>App</b>')).toBe(true);
  });
});
