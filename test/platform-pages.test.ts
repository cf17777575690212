// What a person's browser meets outside the API, in process: the landing page, the icon and
// robots.txt on the platform origin; site files compressed when the browser accepts it; previews kept
// out of search indexes; and a form post that fails answered with a page saying why, not raw JSON.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTenant, createTestApp, type Tenant, type TestApp } from './helpers/app.js';

const HOST = 'localhost:8787';

async function get(t: TestApp, host: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await t.app.request(path, { method, headers: { host, ...headers } }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** A browser's plain form post (urlencoded, asking for HTML). */
async function formPost(t: TestApp, host: string, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(
    path,
    { method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers }, body },
    { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
  );
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('the platform origin for people and crawlers', () => {
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp();
  });

  it('shows a landing page at / with the MCP configuration for this server and the way to the dashboard', async () => {
    const res = await get(t, HOST, '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = res.bytes.toString();
    expect(html).toContain('<h1>Invoker</h1>');
    // The configuration is the one to paste: JSON naming this server's URL (HTML-escaped quotes).
    const config = /<pre class="key" id="mcp-config">([^<]*)<\/pre>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(config.replace(/&quot;/g, '"'))).toEqual({ mcpServers: { invoker: { command: 'npx', args: ['-y', 'invoker-mcp@latest'], env: { INVOKER_API_URL: 'http://localhost:8787' } } } });
    // The remote endpoint's URL to paste into claude.ai or ChatGPT: this server's public URL + /mcp.
    expect(/<pre class="key" id="mcp-url">([^<]*)<\/pre>/.exec(html)?.[1]).toBe('http://localhost:8787/mcp');
    expect(html).toContain('data-copy="mcp-url"');
    expect(html).toContain('href="/dashboard"');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('serves a real icon and robots rules, with no key', async () => {
    const icon = await get(t, HOST, '/favicon.ico');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    // ICONDIR: reserved 0, type 1 (icon), one image of 32×32 whose data is a PNG.
    expect([icon.bytes.readUInt16LE(0), icon.bytes.readUInt16LE(2), icon.bytes.readUInt16LE(4), icon.bytes[6], icon.bytes[7]]).toEqual([0, 1, 1, 32, 32]);
    const png = icon.bytes.subarray(icon.bytes.readUInt32LE(18));
    expect(png.byteLength).toBe(icon.bytes.readUInt32LE(14));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32]);

    const robots = await get(t, HOST, '/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toContain('text/plain');
    expect(robots.bytes.toString()).toContain('Disallow: /dashboard');
  });
});

describe('site files for browsers', () => {
  let t: TestApp;
  let me: Tenant;
  const text = '<!doctype html><title>Big</title>' + '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n'.repeat(200);
  const logo = Buffer.alloc(4096, 7).toString('base64');
  /** The page as served from a host: with the social tags it lacks (services/social-preview.ts) after its doctype. */
  const served = (host: string) =>
    text.replace(
      '<!doctype html>',
      `<!doctype html><meta property="og:title" content="Big"><meta property="og:description" content="Big"><meta property="og:url" content="http://${host}/">` +
        `<meta property="og:image" content="http://${host}/_og.png"><meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">` +
        '<meta name="twitter:card" content="summary_large_image">',
    );
  let previewHost: string;
  beforeEach(async () => {
    t = createTestApp();
    me = await createTenant(t, 'pages@example.com');
    const deployed = await t.call('POST', '/deploy', {
      key: me.key,
      body: { slug: 'squeeze', files: [{ path: 'index.html', content: text }, { path: 'logo.png', content: logo, encoding: 'base64' }, { path: 'tiny.css', content: 'p{margin:0}' }] },
    });
    expect(deployed.status).toBe(201);
    previewHost = new URL(deployed.body.preview_url).host;
  });

  it('sends brotli or gzip as the browser accepts, the same bytes once decoded, each with its own validator', async () => {
    const plain = await get(t, `squeeze.${HOST}`, '/');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(plain.bytes.toString()).toBe(served(`squeeze.${HOST}`));

    const br = await get(t, `squeeze.${HOST}`, '/', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Number(br.headers.get('content-length'))).toBe(br.bytes.byteLength);
    expect(br.bytes.byteLength).toBeLessThan(text.length / 10);
    expect(brotliDecompressSync(br.bytes).toString()).toBe(served(`squeeze.${HOST}`));

    const gz = await get(t, `squeeze.${HOST}`, '/', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString()).toBe(served(`squeeze.${HOST}`));

    const etags = [plain, br, gz].map((a) => a.headers.get('etag'));
    expect(new Set(etags).size).toBe(3);
    // Revalidation matches the representation asked for.
    expect((await get(t, `squeeze.${HOST}`, '/', { 'accept-encoding': 'br', 'if-none-match': etags[1] as string })).status).toBe(304);
    expect((await get(t, `squeeze.${HOST}`, '/', { 'accept-encoding': 'br', 'if-none-match': etags[0] as string })).status).toBe(200);
    // HEAD says what GET would send.
    const head = await get(t, `squeeze.${HOST}`, '/', { 'accept-encoding': 'br' }, 'HEAD');
    expect([head.headers.get('content-encoding'), head.headers.get('content-length')]).toEqual(['br', String(br.bytes.byteLength)]);
  });

  it('leaves images and tiny files as they are, and previews out of search indexes', async () => {
    const png = await get(t, `squeeze.${HOST}`, '/logo.png', { 'accept-encoding': 'br, gzip' });
    expect([png.headers.get('content-encoding'), png.headers.get('vary')]).toEqual([null, null]);
    expect(png.bytes.equals(Buffer.from(logo, 'base64'))).toBe(true);
    const css = await get(t, `squeeze.${HOST}`, '/tiny.css', { 'accept-encoding': 'br, gzip' });
    expect(css.headers.get('content-encoding')).toBeNull();
    expect(css.bytes.toString()).toBe('p{margin:0}');

    expect((await get(t, `squeeze.${HOST}`, '/')).headers.get('x-robots-tag')).toBeNull();
    const preview = await get(t, previewHost, '/', { 'accept-encoding': 'gzip' });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(gunzipSync(preview.bytes).toString()).toBe(served(previewHost));
  });
});

describe('a form post that fails, sent by a browser', () => {
  let t: TestApp;
  let me: Tenant;
  let siteId: string;
  beforeEach(async () => {
    t = createTestApp({ submissionLimit: 3 });
    me = await createTenant(t, 'forms@example.com');
    const deployed = await t.call('POST', '/deploy', { key: me.key, body: { slug: 'join-list', html: '<form method="post" action="/_submit"><input name="email"></form>' } });
    siteId = deployed.body.id;
  });

  const page = (answer: { text: string }) => ({
    h1: /<h1>([^<]*)<\/h1>/.exec(answer.text)?.[1],
    says: answer.text.includes("Back button to return to the form"),
  });

  it('gets a page with the same status saying what happened and what to do', async () => {
    await t.call('DELETE', `/deploy/${siteId}`, { key: me.key });
    const gone = await formPost(t, HOST, `/submit/${siteId}`, 'email=a%40example.com');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('text/html');
    expect(gone.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page(gone)).toEqual({ h1: 'This form is no longer collecting answers', says: true });

    // The same post from a script that asks for JSON still gets the JSON error.
    const scripted = await formPost(t, HOST, `/submit/${siteId}`, 'email=a', { accept: 'application/json' });
    expect(scripted.status).toBe(404);
    expect(JSON.parse(scripted.text)).toMatchObject({ code: 'not_found' });
  });

  it('when unreadable, too large or rate limited, on /submit/{id} and on the site host alike', async () => {
    const unreadable = await formPost(t, HOST, `/submit/${siteId}`, 'email=x', { 'content-type': 'text/plain' });
    expect(unreadable.status).toBe(400);
    expect(page(unreadable)).toEqual({ h1: 'The form could not be sent', says: true });

    // Refused by the body limit before any handler, so before the rate limit counts it.
    const big = await formPost(t, `join-list.${HOST}`, '/_submit', `email=${'x'.repeat(70 * 1024)}`);
    expect(big.status).toBe(413);
    expect(page(big)).toEqual({ h1: 'That was too much to send', says: true });
    expect(big.text).toContain('the limit for a form submission');

    // The unreadable post counted: two more fit in the limit of three a minute.
    for (let i = 0; i < 2; i++) expect((await formPost(t, `join-list.${HOST}`, '/_submit', `email=${i}`)).status).toBe(303);
    const limited = await formPost(t, HOST, `/submit/${siteId}`, 'email=3');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page(limited)).toEqual({ h1: 'Too many submissions', says: true });
    // Nothing about the failures was stored.
    const stored = await t.call('GET', `/submissions/${siteId}`, { key: me.key });
    expect(stored.body.submissions).toHaveLength(2);
  });
});
