// Several instances, one PostgreSQL database: two real `serve` processes on different ports share a
// database. A deploy through one is served by the other at once, a key revoked through one is
// refused by the other on the very next request, a login started on one completes on the other,
// submissions and page bytes live in the database, the per-IP rate limit is one budget, and no
// instance starts without the server secret they all share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, runCli, startPlatform, type Platform } from '../helpers/platform.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

interface Answer {
  status: number;
  body: any;
}

async function api(p: Platform, method: string, path: string, options: { key?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(p.url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function createKey(db: TestDatabase, email: string, name: string): Promise<string> {
  const result = await runCli(['admin', 'create-key', email, '--name', name], db.env);
  if (result.code !== 0) throw new Error(`admin create-key failed: ${result.stderr}`);
  return result.stdout.trim();
}

const page = (p: Platform, slug: string) => httpRequest(p.port, { host: `${slug}.localhost:${p.port}` });

describe('two serve processes sharing one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: Platform;
  let b: Platform;
  let key: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Started together: the second waits for the first's migrations under the advisory lock.
    [a, b] = await Promise.all([startPlatform({ env: db.env }), startPlatform({ env: db.env })]);
    key = await createKey(db, 'team@example.com', 'main');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('serves on B, at once, what was deployed, published and deleted through A', async () => {
    // B looked first and found nothing: no stale answer may survive A's deploy.
    expect((await page(b, 'shared')).status).toBe(404);
    const v1 = await api(a, 'POST', '/deploy', { key, body: { html: '<h1>one</h1>', slug: 'shared', publish: true } });
    expect(v1.status).toBe(201);
    const first = await page(b, 'shared');
    expect(first.status).toBe(200);
    expect(first.body).toBe('<h1>one</h1>');

    const v2 = await api(a, 'PUT', `/deploy/${v1.body.id}`, { key, body: { html: '<h1>two</h1>', publish: true } });
    expect(v2.body).toMatchObject({ version: 2, live_version: 2 });
    expect((await page(b, 'shared')).body).toBe('<h1>two</h1>');

    expect((await api(b, 'POST', `/deploy/${v1.body.id}/publish`, { key, body: { version: 1 } })).status).toBe(200);
    expect((await page(a, 'shared')).body).toBe('<h1>one</h1>');

    expect((await api(a, 'DELETE', `/deploy/${v1.body.id}`, { key })).status).toBe(204);
    expect((await page(b, 'shared')).status).toBe(404);
  });

  it('first deploys of one slug racing on A and B: one site, and every version posts its form to it', async () => {
    const html = '<form method="post" action="{{SUBMIT_URL}}"><input name="q"></form>';
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => api(i % 2 ? a : b, 'POST', '/deploy', { key, body: { html, slug: 'racing', publish: true } })));
    expect(answers.map((r) => r.status).sort(), JSON.stringify(answers.filter((r) => r.status >= 300).map((r) => r.body))).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const versions = await api(a, 'GET', `/deploy/${id}/versions`, { key });
    expect(versions.body.versions).toHaveLength(12);
    for (const v of versions.body.versions) {
      const url = new URL(v.preview_url);
      const preview = await httpRequest(Number(url.port), { host: url.host });
      expect(preview.body).toContain(`/submit/${id}"`);
    }
  });

  it('refuses on B, on the very next request, a key revoked through A', async () => {
    const doomed = await createKey(db, 'team@example.com', 'doomed');
    // Warm B: the key is verified there first.
    expect((await api(b, 'GET', '/me', { key: doomed })).status).toBe(200);
    const keys = await api(a, 'GET', '/api-keys', { key });
    const id = keys.body.keys.find((k: { name: string }) => k.name === 'doomed').id;
    expect((await api(a, 'DELETE', `/api-keys/${id}`, { key })).status).toBe(204);
    const refused = await api(b, 'GET', '/me', { key: doomed });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('unauthenticated');
  });

  it('captures a form on A and lists and exports it on B', async () => {
    const site = await api(b, 'POST', '/deploy', {
      key,
      body: { html: '<form method="post" action="/_submit"><input name="email"></form>', slug: 'newsletter', publish: true },
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    const submitted = await httpRequest(a.port, {
      method: 'POST',
      path: `/submit/${site.body.id}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    expect(submitted.status, submitted.body).toBeLessThan(400);
    const listed = await api(b, 'GET', `/submissions/${site.body.id}`, { key });
    expect(listed.body.total).toBe(1);
    expect(listed.body.submissions[0].data).toEqual({ email: 'ada@example.com' });
    const csv = await fetch(`${b.url}/submissions/${site.body.id}/export.csv`, { headers: { authorization: `Bearer ${key}` } });
    expect(await csv.text()).toContain('ada@example.com');
  });

  it('completes on B a login started on A', async () => {
    const post = (p: Platform, path: string, body: unknown) => api(p, 'POST', path, { body });
    const session = await post(a, '/auth/session', { client_name: 'Two instances' });
    expect(session.status).toBe(201);
    expect((await post(b, '/auth/otp', { user_code: session.body.user_code, email: 'roamer@example.com' })).status).toBe(200);
    // Development mode: the instance that sent the code logs it.
    await expect.poll(() => b.stderr()).toMatch(/sign-in code for roamer@example\.com: \d{6}/);
    const code = /sign-in code for roamer@example\.com: (\d{6})/.exec(b.stderr())?.[1];
    expect((await post(a, '/auth/verify', { user_code: session.body.user_code, code })).status).toBe(200);
    const done = await post(b, '/auth/session/poll', { session_id: session.body.session_id });
    expect(done.body).toMatchObject({ status: 'complete', email: 'roamer@example.com' });
    expect((await api(a, 'GET', '/me', { key: done.body.api_key })).status).toBe(200);
    // Handed out once: a second poll, on either instance, gets no key.
    expect((await post(a, '/auth/session/poll', { session_id: session.body.session_id })).body.api_key).toBeUndefined();
  });
});

describe('the per-IP rate limit across instances', () => {
  let db: TestDatabase;
  let a: Platform;
  let b: Platform;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { ...db.env, INVOKER_RATE_LIMIT: '4' };
    [a, b] = await Promise.all([startPlatform({ env }), startPlatform({ env })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('is one budget: requests through A and B draw on the same count', async () => {
    const statuses = [];
    for (const p of [a, b, a, b, a]) statuses.push((await api(p, 'GET', '/openapi.json')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const refused = await fetch(`${b.url}/openapi.json`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('the server secret across instances', () => {
  it('must be given: serve on PostgreSQL without INVOKER_SECRET exits at once, saying how to make one', async () => {
    const db = await createTestDatabase();
    try {
      const result = await runCli(['serve', '--port', '0'], { DATABASE_URL: db.url });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('Set INVOKER_SECRET (at least 32 characters, the same on every instance) when DATABASE_URL is set');
      expect(result.stderr).toContain('openssl rand -base64 32');
      expect(result.stdout).toBe('');
    } finally {
      await db.drop();
    }
  });
});
