// Social previews (SPEC section 14) through the real app: every HTML page of a deploy is served
// with og:title, og:description, og:url, og:image and twitter:card (its own tags kept), and
// `/_og.png` is a real 1200×630 PNG of the version's title (decoded here: the IHDR, and the pixels of
// two titles differ), rendered once per version and kept in the store, so a second server over the
// same database renders nothing.
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../packages/platform/src/services/index.js';
import { createRateLimiter } from '../packages/platform/src/server/rate-limit.js';
import { servicesOf } from '../packages/platform/src/server/services-of.js';
import { createTenant, openTestApp, type OpenedTestApp, type Tenant } from './helpers/app.js';

/** A PNG's chunks, its size from IHDR, and its pixel rows (IDAT inflated, filter bytes included). */
function decodePng(bytes: Uint8Array): { width: number; height: number; bitDepth: number; colorType: number; pixels: Buffer } {
  const b = Buffer.from(bytes);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let ihdr: Buffer | null = null;
  const idat: Buffer[] = [];
  while (offset < b.length) {
    const length = b.readUInt32BE(offset);
    const type = b.subarray(offset + 4, offset + 8).toString('latin1');
    const data = b.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (!ihdr) throw new Error('no IHDR chunk');
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8] as number, colorType: ihdr[9] as number, pixels: inflateSync(Buffer.concat(idat)) };
}

function metaOf(html: string, key: string): string | null {
  const tag = new RegExp(`<meta (?:property|name)="${key.replace(/[:]/g, '\\$&')}" content="([^"]*)">`).exec(html);
  return tag ? (tag[1] as string) : null;
}

describe.each(['sqlite', 'postgres'] as const)('social previews (%s)', (backend) => {
  let t: OpenedTestApp;
  let owner: Tenant;
  const onHost = (slug: string, path: string, headers: Record<string, string> = {}) => t.call('GET', path, { headers: { host: `${slug}.localhost:8787`, ...headers } });

  beforeAll(async () => {
    t = await openTestApp(backend);
    owner = await createTenant(t, `og-${backend}@example.com`);
  });
  afterAll(() => t?.close());

  it('adds the tags to every HTML page of a deploy, keeping the ones a page has', async () => {
    const files = [
      { path: 'index.html', content: '<!doctype html><html lang="en"><head><title>Launch day</title><meta name="description" content="All about the launch"></head><body><h1>Hi</h1></body></html>' },
      { path: 'about.html', content: '<!doctype html><html><head><title>About us</title><meta property="og:title" content="Our own title"></head><body>About</body></html>' },
      { path: 'blog/index.html', content: '<!doctype html><h1>A fragment with no head</h1>' },
      { path: '404.html', content: '<html><body>Lost</body></html>' },
      { path: 'style.css', content: 'body{color:red}' },
    ];
    const made = await t.call('POST', '/deploy', { key: owner.key, body: { slug: 'launch', files, description: 'The launch site' } });
    expect(made.status).toBe(201);
    const pages: Array<[string, number]> = [['/', 200], ['/about', 200], ['/blog/', 200], ['/missing', 404]];
    for (const [path, status] of pages) {
      const r = await onHost('launch', path);
      expect(r.status, path).toBe(status);
      const html = String(r.body);
      for (const key of ['og:title', 'og:description', 'og:url', 'og:image', 'twitter:card']) expect(metaOf(html, key), `${path} ${key}`).not.toBeNull();
      expect(metaOf(html, 'og:image')).toBe('http://launch.localhost:8787/_og.png');
      expect(metaOf(html, 'og:url')).toBe(`http://launch.localhost:8787${path}`);
      expect(metaOf(html, 'twitter:card')).toBe('summary_large_image');
      expect(html.match(/property="og:title"/g)?.length, `${path}: one og:title`).toBe(1);
    }
    const index = String((await onHost('launch', '/')).body);
    expect(metaOf(index, 'og:title')).toBe('Launch day');
    expect(metaOf(index, 'og:description')).toBe('All about the launch');
    expect(metaOf(String((await onHost('launch', '/about')).body), 'og:title')).toBe('Our own title');
    // The fragment keeps its doctype first (no quirks mode).
    expect(String((await onHost('launch', '/blog/')).body)).toMatch(/^<!doctype html><meta property="og:title"/);
    // Non-HTML files are served as they are.
    expect((await onHost('launch', '/style.css')).body).toBe('body{color:red}');
    // Under /s/{slug}/ the URLs are the fallback's own.
    const fallback = String((await t.call('GET', '/s/launch/about')).body);
    expect(metaOf(fallback, 'og:url')).toBe('http://localhost:8787/s/launch/about');
    expect(metaOf(fallback, 'og:image')).toBe('http://localhost:8787/s/launch/_og.png');
    // One file asked for from one place, another, and the first again: each answer names its own place.
    expect(metaOf(String((await onHost('launch', '/about')).body), 'og:url')).toBe('http://launch.localhost:8787/about');
    expect(metaOf(String((await t.call('GET', '/s/launch/about')).body), 'og:url')).toBe('http://localhost:8787/s/launch/about');
    expect(metaOf(String((await onHost('launch', '/about')).body), 'og:url')).toBe('http://launch.localhost:8787/about');
    // A rename keeps the version and its files: the same file now names the new host.
    const renamed = await t.call('PATCH', `/deploy/${made.body.id}/slug`, { key: owner.key, body: { slug: 'launch-renamed' } });
    expect(renamed.status).toBe(200);
    const after = String((await onHost('launch-renamed', '/about')).body);
    expect(metaOf(after, 'og:url')).toBe('http://launch-renamed.localhost:8787/about');
    expect(metaOf(after, 'og:image')).toBe('http://launch-renamed.localhost:8787/_og.png');
  });

  it('serves /_og.png as a 1200×630 PNG of the title, rendered once per version and kept in the store', async () => {
    const deploy = (slug: string, title: string) =>
      t.call('POST', '/deploy', { key: owner.key, body: { slug, title, description: 'A page to share', favicon: '🚀', html: '<!doctype html><html><head></head><body>x</body></html>' } });
    expect((await deploy('first-og', 'Spring sale: everything half price')).status).toBe(201);
    expect((await deploy('second-og', 'Autumn meetup in Lisbon — Ünïcödé ✓ 日本')).status).toBe(201);
    const services = servicesOf(t.deps);
    const before = services.socialPreviews.stats.renders;
    const burst = await Promise.all(Array.from({ length: 5 }, () => onHost('first-og', '/_og.png')));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(services.socialPreviews.stats.renders - before).toBe(1);
    const first = await t.app.request('/_og.png', { headers: { host: 'first-og.localhost:8787' } });
    expect(first.headers.get('content-type')).toBe('image/png');
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    const png = decodePng(firstBytes);
    expect([png.width, png.height]).toEqual([1200, 630]);
    const second = decodePng(new Uint8Array(await (await t.app.request('/_og.png', { headers: { host: 'second-og.localhost:8787' } })).arrayBuffer()));
    expect([second.width, second.height]).toEqual([1200, 630]);
    expect(second.pixels.length).toBe(png.pixels.length);
    let differing = 0;
    for (let i = 0; i < png.pixels.length; i++) if (png.pixels[i] !== second.pixels[i]) differing++;
    expect(differing, 'bytes of pixel rows that differ between the two titles').toBeGreaterThan(1000);
    expect(services.socialPreviews.stats.renders - before).toBe(2);
    // A conditional request for the kept image is a 304.
    const etag = first.headers.get('etag') as string;
    expect((await t.app.request('/_og.png', { headers: { host: 'first-og.localhost:8787', 'if-none-match': etag } })).status).toBe(304);
    // Another server over the same store (another instance) serves the kept image without rendering.
    const other = createServices(t.deps, { mailer: { async sendLoginCode() {} }, rateLimiters: createRateLimiter });
    const again = await other.hosting.answer({ slug: 'first-og', previewToken: null, path: '/_og.png', method: 'GET', ifNoneMatch: undefined, acceptEncoding: undefined, sandboxed: false });
    expect(again.status).toBe(200);
    expect(Buffer.from(again.body as Uint8Array).equals(Buffer.from(firstBytes))).toBe(true);
    expect(other.socialPreviews.stats.renders).toBe(0);
    // A new version is a new picture.
    expect((await deploy('first-og', 'Summer sale')).status).toBe(200);
    expect((await onHost('first-og', '/_og.png')).status).toBe(200);
    expect(services.socialPreviews.stats.renders - before).toBe(3);
  });
});
