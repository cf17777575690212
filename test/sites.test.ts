// Sites and forms over HTTP, in process: versions, preview/publish/rollback, rename, delete,
// multi-file hosting, and form capture with its limits.
import { beforeEach, describe, expect, it } from 'vitest';
import { createTenant, createTestApp, openTestApp, type Tenant, type TestApp } from './helpers/app.js';

const HOST = 'localhost:8787';
const siteHost = (slug: string) => `${slug}.${HOST}`;

async function page(t: TestApp, host: string, path = '/', headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { host, ...headers } }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('sites: versions, preview, publish, rollback', () => {
  let t: TestApp;
  let me: Tenant;
  beforeEach(async () => {
    t = createTestApp();
    me = await createTenant(t, 'sites@example.com');
  });

  it('keeps every version, previews each, publishes the latest, rolls back, renames and deletes', async () => {
    const v1 = await t.call('POST', '/deploy', { key: me.key, body: { html: '<html><head></head><body><p>one</p></body></html>', slug: 'launch', title: 'Launch', publish: false } });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ slug: 'launch', version: 1, live_version: null, status: 'draft' });
    expect((await page(t, siteHost('launch'))).status).toBe(404);
    expect((await page(t, new URL(v1.body.preview_url).host)).body).toContain('<p>one</p>');

    const pub1 = await t.call('POST', `/deploy/${v1.body.id}/publish`, { key: me.key, body: {} });
    expect(pub1.body).toMatchObject({ live_version: 1, status: 'live' });
    const live1 = await page(t, siteHost('launch'));
    expect(live1.body).toContain('<p>one</p>');
    expect(live1.body).toContain('<title>Launch</title>');

    const v2 = await t.call('PUT', `/deploy/${v1.body.id}`, { key: me.key, body: { html: '<p>two</p>', publish: false } });
    expect(v2.body).toMatchObject({ version: 2, live_version: 1, title: 'Launch' });
    expect(v2.body.preview_url).not.toBe(v1.body.preview_url);
    expect((await page(t, siteHost('launch'))).body).toContain('<p>one</p>');
    expect((await page(t, new URL(v2.body.preview_url).host)).body).toContain('<p>two</p>');
    // Older previews keep showing their own version.
    expect((await page(t, new URL(v1.body.preview_url).host)).body).toContain('<p>one</p>');

    await t.call('POST', `/deploy/${v1.body.id}/publish`, { key: me.key });
    expect((await page(t, siteHost('launch'))).body).toContain('<p>two</p>');
    const rollback = await t.call('POST', `/deploy/${v1.body.id}/publish`, { key: me.key, body: { version: 1 } });
    expect(rollback.body.live_version).toBe(1);
    expect((await page(t, siteHost('launch'))).body).toContain('<p>one</p>');
    expect((await t.call('POST', `/deploy/${v1.body.id}/publish`, { key: me.key, body: { version: 9 } })).status).toBe(404);

    const versions = await t.call('GET', `/deploy/${v1.body.id}/versions`, { key: me.key });
    expect(versions.body.versions.map((v: { version: number; live: boolean }) => [v.version, v.live])).toEqual([[2, false], [1, true]]);

    const renamed = await t.call('PATCH', `/deploy/${v1.body.id}/slug`, { key: me.key, body: { slug: 'launch-day' } });
    expect(renamed.body.url).toBe('http://launch-day.localhost:8787/');
    expect((await page(t, siteHost('launch'))).status).toBe(404);
    expect((await page(t, siteHost('launch-day'))).status).toBe(200);
    const other = await createTenant(t, 'other@example.com');
    expect((await t.call('POST', '/deploy', { key: other.key, body: { html: '<p>mine</p>', slug: 'launch' } })).status).toBe(201);
    expect((await t.call('PATCH', `/deploy/${v1.body.id}/slug`, { key: me.key, body: { slug: 'launch' } })).status).toBe(409);

    expect((await t.call('DELETE', `/deploy/${v1.body.id}`, { key: me.key })).status).toBe(204);
    expect((await page(t, siteHost('launch-day'))).status).toBe(404);
    expect((await t.call('GET', `/deploy/${v1.body.id}`, { key: me.key })).status).toBe(404);
    expect((await t.call('POST', '/deploy', { key: other.key, body: { html: '<p>freed</p>', slug: 'launch-day' } })).status).toBe(201);
  });

  it('refuses another org\'s slug with 409, reserved slugs with 400, and stops at the site limit with 403', async () => {
    const other = await createTenant(t, 'rival@example.com');
    await t.call('POST', '/deploy', { key: other.key, body: { html: '<p>x</p>', slug: 'taken' } });
    const conflict = await t.call('POST', '/deploy', { key: me.key, body: { html: '<p>y</p>', slug: 'taken' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatch(/taken/);
    expect((await t.call('POST', '/deploy', { key: me.key, body: { html: '<p>y</p>', slug: 'admin' } })).status).toBe(400);

    const small = createTestApp();
    small.deps.limits.maxSites = 2;
    const capped = await createTenant(small, 'capped@example.com');
    for (const slug of ['one', 'two']) expect((await small.call('POST', '/deploy', { key: capped.key, body: { html: 'x', slug } })).status).toBe(201);
    const over = await small.call('POST', '/deploy', { key: capped.key, body: { html: 'x', slug: 'three' } });
    expect(over.status).toBe(403);
    expect(over.body.error).toContain('Deployment limit reached. Delete an existing deployment or upgrade your plan');
    // A new version of an existing site is not a new site.
    expect((await small.call('POST', '/deploy', { key: capped.key, body: { html: 'y', slug: 'one' } })).status).toBe(200);
  });

  it('lists sites newest first with a cursor, even when they were created in the same millisecond', async () => {
    const frozen = new Date();
    t.deps.now = () => frozen;
    for (let i = 0; i < 5; i++) await t.call('POST', '/deploy', { key: me.key, body: { html: 'x', slug: `list-${i}` } });
    const first = await t.call('GET', '/deploys?limit=2', { key: me.key });
    expect(first.body.deploys.map((d: { slug: string }) => d.slug)).toEqual(['list-4', 'list-3']);
    const second = await t.call('GET', `/deploys?limit=2&cursor=${first.body.next_cursor}`, { key: me.key });
    expect(second.body.deploys.map((d: { slug: string }) => d.slug)).toEqual(['list-2', 'list-1']);
    const third = await t.call('GET', `/deploys?limit=2&cursor=${second.body.next_cursor}`, { key: me.key });
    expect(third.body).toMatchObject({ next_cursor: null });
    expect(third.body.deploys).toHaveLength(1);
    expect((await t.call('GET', '/deploys?cursor=garbage', { key: me.key })).status).toBe(400);
  });
});

describe.each(['sqlite', 'postgres'] as const)('multi-file hosting (%s)', (backend) => {
  it('resolves pages, serves content types, ETags, SPA fallback and a 404 page', async () => {
    await using t = await openTestApp(backend);
    const me = await createTenant(t, 'files@example.com');
    const files = [
      { path: 'index.html', content: '<h1>Home</h1>' },
      { path: 'about.html', content: '<h1>About</h1>' },
      { path: 'blog/index.html', content: '<h1>Blog</h1>' },
      { path: 'css/site.css', content: 'h1{color:red}' },
      { path: 'logo.png', content: Buffer.from([137, 80, 78, 71, 13, 10]).toString('base64'), encoding: 'base64' },
      { path: '404.html', content: '<h1>Lost?</h1>' },
    ];
    await t.call('POST', '/deploy', { key: me.key, body: { files, slug: 'multi' } });
    const host = siteHost('multi');
    expect((await page(t, host, '/')).body).toBe('<h1>Home</h1>');
    expect((await page(t, host, '/about')).body).toBe('<h1>About</h1>');
    expect((await page(t, host, '/blog/')).body).toBe('<h1>Blog</h1>');
    const css = await page(t, host, '/css/site.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    const png = await t.app.request('/logo.png', { headers: { host } });
    expect([...new Uint8Array(await png.arrayBuffer())]).toEqual([137, 80, 78, 71, 13, 10]);
    const missing = await page(t, host, '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('<h1>Lost?</h1>');
    expect((await page(t, host, '/../../etc/passwd')).status).toBe(404);

    const etag = css.headers.get('etag') as string;
    const cached = await page(t, host, '/css/site.css', { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');

    await t.call('POST', '/deploy', { key: me.key, body: { files: [{ path: 'index.html', content: '<div id=app></div>' }], slug: 'spa', is_spa: true } });
    const deep = await page(t, siteHost('spa'), '/settings/profile');
    expect(deep.status).toBe(200);
    expect(deep.body).toBe('<div id=app></div>');
  });
});

describe('form capture', () => {
  let t: TestApp;
  let me: Tenant;
  let siteId: string;
  beforeEach(async () => {
    t = createTestApp({ submissionLimit: 10 });
    me = await createTenant(t, 'forms@example.com');
    const site = await t.call('POST', '/deploy', {
      key: me.key,
      body: { html: '<form method="post" action="{{SUBMIT_URL}}"><input name="email"><input name="_hp" hidden></form>', slug: 'join-us' },
    });
    siteId = site.body.id;
  });

  async function post(path: string, body: string, headers: Record<string, string>, host = HOST, ip = '203.0.113.1') {
    const res = await t.app.request(path, { method: 'POST', headers: { host, ...headers }, body }, { incoming: { socket: { remoteAddress: ip } } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  it('replaces {{SUBMIT_URL}} with the site\'s submit URL', async () => {
    expect((await page(t, siteHost('join-us'))).body).toContain(`action="http://localhost:8787/submit/${siteId}"`);
  });

  it('accepts urlencoded, JSON and multipart; redirects forms, answers fetch with JSON; reads back newest first', async () => {
    const form = await post(`/submit/${siteId}`, 'email=a%40example.com&_hp=&_next=http%3A%2F%2Fjoin-us.localhost%3A8787%2Fdone', {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('http://join-us.localhost:8787/done');

    const offsite = await post(`/submit/${siteId}`, 'email=b%40example.com&_next=https%3A%2F%2Fevil.example%2F', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(offsite.headers.get('location')).toBe(`http://localhost:8787/submit/${siteId}/thanks`);

    const json = await post(`/submit/${siteId}`, JSON.stringify({ email: 'c@example.com', tags: ['x', 'y'] }), {
      'content-type': 'application/json',
      origin: 'http://join-us.localhost:8787',
    });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toMatchObject({ message: 'Submission received', id: expect.stringMatching(/^sub_/) });
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    expect(json.headers.get('access-control-allow-credentials')).toBeNull();

    const fd = new FormData();
    fd.set('email', 'd@example.com');
    fd.set('cv', new File(['hello'], 'cv.txt'));
    const multipart = await t.app.request(`/submit/${siteId}`, { method: 'POST', headers: { host: HOST }, body: fd });
    expect(multipart.status).toBe(303);

    const sameHost = await post('/_submit', 'email=e%40example.com', { 'content-type': 'application/x-www-form-urlencoded' }, siteHost('join-us'));
    expect(sameHost.status).toBe(303);

    const list = await t.call('GET', `/submissions/${siteId}?limit=2`, { key: me.key });
    expect(list.body).toMatchObject({ total: 5, page: 1, limit: 2 });
    expect(list.body.submissions[0].data).toEqual({ email: 'e@example.com' });
    const all = await t.call('GET', `/submissions/${siteId}`, { key: me.key });
    const byEmail = Object.fromEntries(all.body.submissions.map((s: { data: { email: string } }) => [s.data.email, s.data]));
    expect(byEmail['c@example.com']).toEqual({ email: 'c@example.com', tags: ['x', 'y'] });
    expect(byEmail['d@example.com'].cv).toBe('[file cv.txt, 5 bytes, not stored]');
    expect(byEmail['a@example.com']).toEqual({ email: 'a@example.com' });
    expect(all.body.submissions[0].ip_address).toBe('203.0.113.1');
    expect((await t.call('GET', `/deploy/${siteId}`, { key: me.key })).body.submission_count).toBe(5);
  });

  it('drops honeypot submissions silently, refuses oversize bodies and the 11th per minute per IP', async () => {
    const bot = await post(`/submit/${siteId}`, JSON.stringify({ email: 'bot@example.com', _hp: 'gotcha' }), { 'content-type': 'application/json' });
    expect(bot.status).toBe(200);
    expect(JSON.parse(bot.text).message).toBe('Submission received');
    expect((await t.call('GET', `/submissions/${siteId}`, { key: me.key })).body.total).toBe(0);

    const huge = await post(`/submit/${siteId}`, JSON.stringify({ note: 'x'.repeat(70 * 1024) }), { 'content-type': 'application/json' }, HOST, '203.0.113.2');
    expect(huge.status).toBe(413);

    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await post(`/submit/${siteId}`, JSON.stringify({ n: i }), { 'content-type': 'application/json' }, HOST, '203.0.113.3')).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect((await post(`/submit/${siteId}`, '{}', { 'content-type': 'application/json' }, HOST, '203.0.113.4')).status).toBe(200);
    expect((await post('/submit/dep_AAAAAAAAAAAAAAAA', '{}', { 'content-type': 'application/json' })).status).toBe(404);
    expect((await post(`/submit/${siteId}`, 'plain', { 'content-type': 'text/plain' })).status).toBe(400);
  });

  it('exports CSV with formula injection neutralised, and deletes one submission', async () => {
    await post(`/submit/${siteId}`, JSON.stringify({ name: '=cmd|calc', note: 'hi, "there"' }), { 'content-type': 'application/json' });
    const csv = await t.app.request(`/submissions/${siteId}/export.csv`, { headers: { host: HOST, authorization: `Bearer ${me.key}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    const [header, row] = text.split('\r\n');
    expect(header).toBe('id,created_at,ip_address,name,note');
    expect(row).toContain(`'=cmd|calc`);
    expect(row).toContain('"hi, ""there"""');

    const list = await t.call('GET', `/submissions/${siteId}`, { key: me.key });
    const id = list.body.submissions[0].id;
    expect((await t.call('DELETE', `/submissions/${siteId}/${id}`, { key: me.key })).status).toBe(204);
    expect((await t.call('GET', `/submissions/${siteId}`, { key: me.key })).body.total).toBe(0);
    expect((await t.call('DELETE', `/submissions/${siteId}/${id}`, { key: me.key })).status).toBe(404);
  });
});

describe.each(['sqlite', 'postgres'] as const)('submission pages stay exact across deletions (%s)', (backend) => {
  it('pages newest first by number, with deletions anywhere, without OFFSET', async () => {
    await using t = await openTestApp(backend, { submissionLimit: 1000 });
    const me = await createTenant(t, 'pages@example.com');
    const site = await t.call('POST', '/deploy', { key: me.key, body: { html: 'x', slug: 'paged' } });
    const ids: string[] = [];
    for (let i = 1; i <= 23; i++) {
      const r = await t.call('POST', `/submit/${site.body.id}`, { body: { n: String(i) } });
      ids.push(r.body.id);
    }
    const ns = async (page: number, limit: number) =>
      (await t.call('GET', `/submissions/${site.body.id}?page=${page}&limit=${limit}`, { key: me.key })).body.submissions.map(
        (s: { data: { n: string } }) => Number(s.data.n),
      );
    expect(await ns(1, 5)).toEqual([23, 22, 21, 20, 19]);
    expect(await ns(5, 5)).toEqual([3, 2, 1]);
    // Delete the newest, one in the middle and the oldest: pages close up as if they never existed.
    for (const n of [23, 12, 1]) await t.call('DELETE', `/submissions/${site.body.id}/${ids[n - 1]}`, { key: me.key });
    const all: number[] = [];
    for (let p = 1; p <= 5; p++) all.push(...(await ns(p, 4)));
    expect(all).toEqual([22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(await ns(6, 4)).toEqual([]);
    expect((await t.call('GET', `/submissions/${site.body.id}`, { key: me.key })).body.total).toBe(20);
  });
});
