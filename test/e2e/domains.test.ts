// Custom domains end to end (SPEC section 15) against a real `serve` on each backend (two instances
// sharing one database on PostgreSQL), with a real DNS server on loopback (dns2) that the platform's
// resolver is pointed at (INVOKER_DNS_SERVERS): a domain added pending with its records spelled
// out; verified by its TXT record, or by the HTTP token the platform fetches through the outbound
// guard from the domain (INVOKER_ALLOW_PRIVATE_FETCH=1: the name resolves to 127.0.0.1, where the
// platform itself answers the token on the port INVOKER_DOMAIN_HTTP_PORT names); then Host routing
// to the live version; who may hold a domain (409); Caddy's ask; and removal, seen on the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedCall } from '../helpers/keyed-call.js';
import { freePort } from '../helpers/oauth-client.js';
import { BACKENDS, createKey, httpRequest, runCli, startPlatform, type Backend, type Platform } from '../helpers/platform.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js';

describe.each(BACKENDS)('custom domains (%s)', (backend: Backend) => {
  let dns: DnsServer;
  let db: TestDatabase | undefined;
  const platforms: Platform[] = [];
  let keyA: string;
  let keyB: string;
  let siteA: { id: string; slug: string };
  let siteB: { id: string; slug: string };
  const tag = `${backend}-${Math.random().toString(36).slice(2, 7)}`;
  const shop = `shop-${tag}.example.test`;

  const first = () => platforms[0]!;
  const last = () => platforms[platforms.length - 1]!;
  const api = (key: string, method: string, path: string, body?: unknown, on: Platform = first()) => keyedCall(on.port, key, method, path, body);
  const page = (host: string, path = '/', on: Platform = first(), method = 'GET') => httpRequest(on.port, { method, host, path });

  beforeAll(async () => {
    dns = await startDnsServer();
    db = backend === 'postgres' ? await createTestDatabase() : undefined;
    for (let i = 0; i < (db ? 2 : 1); i++) {
      const port = await freePort();
      const env = { INVOKER_ALLOW_PRIVATE_FETCH: '1', INVOKER_DNS_SERVERS: dns.address, INVOKER_DOMAIN_HTTP_PORT: String(port), INVOKER_MAX_DOMAINS: '3', ...(db?.env ?? {}) };
      platforms.push(await startPlatform({ env, port }));
    }
    const key = async (email: string) => {
      if (!db) return createKey(first(), email);
      const made = await runCli(['admin', 'create-key', email, '--data-dir', first().dataDir], db.env);
      if (made.code !== 0) throw new Error(made.stderr);
      return made.stdout.trim();
    };
    [keyA, keyB] = [await key('domains-a@example.com'), await key('domains-b@example.com')];
    const deploy = async (key: string, slug: string) => {
      const res = await api(key, 'POST', '/deploy', { html: `<title>${slug}</title><h1>Hello from ${slug}</h1>`, slug, publish: true });
      expect(res.status).toBe(201);
      return { id: res.json.id as string, slug };
    };
    siteA = await deploy(keyA, `doma-${tag}`);
    siteB = await deploy(keyB, `domb-${tag}`);
  }, 120_000);
  afterAll(async () => {
    for (const p of platforms) await p.stop();
    await db?.drop();
    await dns?.close();
  });

  it('adds a domain pending, with the TXT and CNAME/ALIAS records to create, and lists it (unscoped and under /orgs/c)', async () => {
    const added = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: `WWW.${shop}.` });
    expect(added.status).toBe(201);
    const www = `www.${shop}`;
    expect(added.json).toMatchObject({ domain: www, status: 'pending', verified_at: null, url: `https://${www}/` });
    const token = added.json.verification.token as string;
    expect(token).toMatch(/^[a-f0-9]{32}$/);
    expect(added.json.verification.txt).toEqual({ name: `_invoker.${www}`, value: `invoker-verification=${token}` });
    expect(added.json.verification.http).toEqual({ url: `http://${www}/.well-known/invoker-verification/${token}`, body: token });
    const host = `${siteA.slug}.localhost`;
    expect(added.json.dns_records).toEqual([
      expect.objectContaining({ type: 'TXT', name: `_invoker.${www}`, value: `invoker-verification=${token}` }),
      expect.objectContaining({ type: 'CNAME', name: www, value: host }),
    ]);
    const apex = await api(keyA, 'POST', `/orgs/c/deploy/${siteA.id}/domains`, { domain: shop });
    expect(apex.status).toBe(201);
    // A two-label apex (example.test itself) cannot be a CNAME.
    const bare = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: `${tag}.test` });
    expect(bare.json.dns_records[1]).toMatchObject({ type: 'ALIAS', name: `${tag}.test`, value: host });
    const listed = await api(keyA, 'GET', `/orgs/c/deploy/${siteA.id}/domains`);
    expect(listed.status).toBe(200);
    expect(listed.json.domains.map((d: { domain: string }) => d.domain)).toEqual([shop, `${tag}.test`, www].sort());
    // INVOKER_MAX_DOMAINS=3: a fourth is refused.
    const fourth = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: `four.${shop}` });
    expect(fourth.status).toBe(403);
    expect(fourth.json.error).toContain('INVOKER_MAX_DOMAINS');
    expect((await api(keyA, 'DELETE', `/deploy/${siteA.id}/domains/${tag}.test`)).status).toBe(204);
  });

  it('refuses what is no host name, the platform\'s own names, and sites of other orgs', async () => {
    for (const domain of ['https://shop.example.com/', 'shop', '192.0.2.1', 'a..b.example', '-x.example.com', `${siteA.slug}.localhost`, 'x'.repeat(64) + '.example.com']) {
      const res = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain });
      expect(res.status, domain).toBe(400);
    }
    expect((await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: 1 })).status).toBe(400);
    expect((await api(keyA, 'POST', `/deploy/${siteB.id}/domains`, { domain: `x.${shop}` })).status).toBe(404);
    expect((await api(keyA, 'GET', `/deploy/${siteB.id}/domains`)).status).toBe(404);
    expect((await api(keyA, 'DELETE', `/deploy/${siteB.id}/domains/${shop}`)).status).toBe(404);
  });

  it('serves nothing on a pending domain but its token, and no certificate is allowed for it', async () => {
    const res = await page(shop);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error).toContain('Unknown host');
    const listed = await api(keyA, 'GET', `/deploy/${siteA.id}/domains`);
    const token = listed.json.domains.find((d: { domain: string }) => d.domain === shop).verification.token as string;
    const answered = await page(`${shop}:8080`, `/.well-known/invoker-verification/${token}`);
    expect(answered.status).toBe(200);
    expect(answered.body).toBe(token);
    expect((await page(shop, `/.well-known/invoker-verification/${'0'.repeat(32)}`)).status).toBe(404);
    const ask = await httpRequest(first().port, { path: `/_caddy/ask?domain=${shop}` });
    expect(ask.status).toBe(404);
  });

  it('checks again when the domain is added again: not yet, then verified by the TXT record; the domain serves the live site', async () => {
    const again = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: shop });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('pending');
    expect(again.json.checks).toEqual([
      expect.objectContaining({ method: 'dns_txt', ok: false }),
      // No A record yet: the HTTP check cannot reach the name.
      expect.objectContaining({ method: 'http', ok: false, detail: expect.stringMatching(/does not resolve|has no address/) }),
    ]);
    dns.txt.set(`_invoker.${shop}`, ['v=spf1 -all', again.json.verification.txt.value]);
    const verified = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: shop });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({ domain: shop, status: 'verified', verified_by: 'dns', verified_at: expect.any(String) });
    expect(verified.json.checks[0]).toMatchObject({ method: 'dns_txt', ok: true });

    const slugPage = await page(`${siteA.slug}.localhost:${first().port}`);
    for (const p of platforms) {
      // The node:http lane (a plain host) and the Hono app (a host it leaves to Hono) answer alike.
      for (const host of [shop, `${shop}:443`, shop.toUpperCase()]) {
        const res = await page(host, '/', p);
        expect(res.status, host).toBe(200);
        expect(res.body).toBe(slugPage.body);
        expect(res.headers.etag).toBe(slugPage.headers.etag);
      }
      expect((await page(shop, '/nope', p)).status).toBe(404);
      expect((await page(shop, '/', p, 'HEAD')).status).toBe(200);
    }
    const ask = await httpRequest(first().port, { path: `/_caddy/ask?domain=${shop}` });
    expect(ask.status).toBe(200);
    expect(JSON.parse(ask.body)).toEqual({ domain: shop, allowed: true });
  });

  it('verifies by the HTTP token once the name points at the platform', async () => {
    const www = `www.${shop}`;
    dns.a.set(www, '127.0.0.1');
    const verified = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: www });
    expect(verified.status).toBe(200);
    expect(verified.json).toMatchObject({ status: 'verified', verified_by: 'http' });
    expect(verified.json.checks).toEqual([expect.objectContaining({ method: 'dns_txt', ok: false }), expect.objectContaining({ method: 'http', ok: true })]);
    expect((await page(www, '/', last())).body).toContain(`Hello from ${siteA.slug}`);
  });

  /** A new site of A's with a verified domain of its own (by TXT), so these checks touch nothing the others use. */
  const siteWithDomain = async (name: string, files: Array<{ path: string; content: string }>) => {
    const made = await api(keyA, 'POST', '/deploy', { slug: `${name}-${tag}`, files, publish: true });
    expect(made.status).toBe(201);
    const domain = `${name}-${tag}.example.test`;
    const added = await api(keyA, 'POST', `/deploy/${made.json.id}/domains`, { domain });
    dns.txt.set(`_invoker.${domain}`, [added.json.verification.txt.value]);
    const verified = await api(keyA, 'POST', `/deploy/${made.json.id}/domains`, { domain });
    expect(verified.json.status).toBe('verified');
    return { id: made.json.id as string, slug: `${name}-${tag}`, domain };
  };
  const metaOf = (html: string, key: string) => new RegExp(`<meta property="${key}" content="([^"]*)">`).exec(html)?.[1] ?? null;

  it("names the custom domain in a page's og:url and og:image, and answers /_og.png there", async () => {
    const doc = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
    const news = await siteWithDomain('news', [
      { path: 'index.html', content: doc('News') },
      { path: 'about.html', content: doc('About the news') },
    ]);
    for (const p of platforms) {
      // GET (the node:http lane) and a host Hono takes (upper case): the same tags.
      for (const host of [news.domain, news.domain.toUpperCase()]) {
        for (const path of ['/', '/about']) {
          const html = (await page(host, path, p)).body;
          expect(metaOf(html, 'og:url'), `${host}${path}`).toBe(`http://${news.domain}${path}`);
          expect(metaOf(html, 'og:image'), `${host}${path}`).toBe(`http://${news.domain}/_og.png`);
        }
      }
      // Its slug host still names itself.
      const slugHtml = (await page(`${news.slug}.localhost:${p.port}`, '/about', p)).body;
      expect(metaOf(slugHtml, 'og:url')).toBe(`http://${news.slug}.localhost:${p.port}/about`);
      const image = await page(news.domain, '/_og.png', p);
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
    }
  });

  it('captures a form posted to /_submit on the custom domain as its slug host does: stored, _next within the domain, the same limits, closed behind a password', async () => {
    const form = '<!doctype html><html><head><title>Club</title></head><body><form method="post" action="/_submit"><input name="email"><button>Join</button></form></body></html>';
    const club = await siteWithDomain('club', [{ path: 'index.html', content: form }]);
    expect((await page(club.domain)).body).toContain('action="/_submit"');
    const post = (body: string, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}) =>
      httpRequest(first().port, { method: 'POST', host: club.domain, path: '/_submit', headers: { 'content-type': type, accept: 'text/html', ...headers }, body });

    const plain = await post('email=ann%40example.com');
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(`${first().url}/submit/${club.id}/thanks`);
    const back = await post(`email=bob%40example.com&_next=${encodeURIComponent(`https://${club.domain}/thanks`)}`);
    expect(back.headers.location).toBe(`https://${club.domain}/thanks`);
    // A _next off the site is not followed, as on the slug host.
    expect((await post(`email=eve%40example.com&_next=${encodeURIComponent('https://evil.example/')}`)).headers.location).toBe(`${first().url}/submit/${club.id}/thanks`);
    const json = await post(JSON.stringify({ email: 'dan@example.com' }), 'application/json', { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body)).toMatchObject({ message: 'Submission received', id: expect.stringMatching(/^sub_/) });

    const listed = await api(keyA, 'GET', `/submissions/${club.id}`, undefined, last());
    expect(listed.json.submissions.map((s: { data: { email: string } }) => s.data.email).sort()).toEqual(['ann@example.com', 'bob@example.com', 'dan@example.com', 'eve@example.com']);
    // A submission's body limit (64 KB), answered to a browser as a page.
    const big = await post(`email=${'x'.repeat(70 * 1024)}`);
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toContain('text/html');
    // A protected site takes no submission from a browser without its password, on its domain too.
    expect((await api(keyA, 'PUT', `/deploy/${club.id}/password`, { password: 'club members only' })).status).toBe(200);
    const closed = await post('email=mallory%40example.com');
    expect(closed.status).toBe(401);
    expect(closed.body).toContain('Password required');
    expect((await api(keyA, 'GET', `/submissions/${club.id}`)).json.total).toBe(4);
    // A domain nobody verified takes nothing.
    const unknown = await httpRequest(first().port, { method: 'POST', host: `nobody-${tag}.example.test`, path: '/_submit', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(unknown.status).toBe(404);
  });

  it('refuses a domain another org verified (409), while one only pending for another org can still be added and verified', async () => {
    const taken = await api(keyB, 'POST', `/deploy/${siteB.id}/domains`, { domain: shop });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toContain('verified by another site');

    const contested = `contested-${tag}.example.test`;
    const forA = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: contested });
    expect(forA.status).toBe(201);
    const forB = await api(keyB, 'POST', `/deploy/${siteB.id}/domains`, { domain: contested });
    expect(forB.status).toBe(201);
    expect(forB.json.verification.token).not.toBe(forA.json.verification.token);
    // B's record is the one in DNS: B verifies, and A's record would not do for B, nor B's for A.
    dns.txt.set(`_invoker.${contested}`, [forB.json.verification.txt.value]);
    const notA = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: contested });
    expect(notA.json.status).toBe('pending');
    const byB = await api(keyB, 'POST', `/deploy/${siteB.id}/domains`, { domain: contested });
    expect(byB.json).toMatchObject({ status: 'verified', verified_by: 'dns' });
    dns.txt.set(`_invoker.${contested}`, [forA.json.verification.txt.value]);
    const late = await api(keyA, 'POST', `/deploy/${siteA.id}/domains`, { domain: contested });
    expect(late.status).toBe(409);
    expect((await page(contested, '/', last())).body).toContain(`Hello from ${siteB.slug}`);
  });

  it("answers Caddy's ask for hosts of existing sites and previews, and nothing else", async () => {
    const ask = (domain: string) => httpRequest(first().port, { path: `/_caddy/ask?domain=${encodeURIComponent(domain)}` });
    const status = await api(keyA, 'GET', `/deploy/${siteA.id}`);
    const preview = new URL(status.json.preview_url as string).hostname;
    expect((await ask(`${siteA.slug}.localhost`)).status).toBe(200);
    expect((await ask(preview)).status).toBe(200);
    expect((await ask(`${siteA.slug}--${'a'.repeat(16)}.localhost`)).status).toBe(404);
    expect((await ask(`nosuch-${tag}.localhost`)).status).toBe(404);
    expect((await ask('unknown.example.test')).status).toBe(404);
    expect((await ask('localhost')).status).toBe(404);
    expect((await httpRequest(first().port, { path: '/_caddy/ask' })).status).toBe(404);
  });

  it('removes a domain: the next request on it (on every instance) finds nothing', async () => {
    expect((await page(shop, '/', last())).status).toBe(200);
    const removed = await api(keyA, 'DELETE', `/deploy/${siteA.id}/domains/${shop}`);
    expect(removed.status).toBe(204);
    expect((await page(shop)).status).toBe(404);
    // Another instance hears of it through NOTIFY.
    const deadline = Date.now() + 3_000;
    let other = await page(shop, '/', last());
    while (other.status !== 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      other = await page(shop, '/', last());
    }
    expect(other.status).toBe(404);
    expect((await httpRequest(first().port, { path: `/_caddy/ask?domain=${shop}` })).status).toBe(404);
    expect((await api(keyA, 'DELETE', `/deploy/${siteA.id}/domains/${shop}`)).status).toBe(404);
    // Free again: another org may take it now.
    const forB = await api(keyB, 'POST', `/deploy/${siteB.id}/domains`, { domain: shop });
    expect(forB.status).toBe(201);
  });
});
