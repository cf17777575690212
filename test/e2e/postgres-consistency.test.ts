// Three `serve` processes on one PostgreSQL database, each talked to directly, each caching sites and
// keys (SPEC section 16): a publish through one is served by the others on their next request, a key
// revoked through one is refused by the others on their next request, the per-IP budget holds within
// 10% across the three, and an instance whose listening connection is killed (pg_terminate_backend)
// or silenced (a proxy that drops its traffic) stops caching, never answers stale meanwhile, and
// caches again once it listens again. That an answer really came from an instance's cache is shown
// by PostgreSQL itself: it was given while the table it would be read from was locked.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, runCli, startPlatform, type Platform } from '../helpers/platform.js';
import { startPgProxy, type PgProxy } from '../helpers/pg-proxy.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const LIMIT = 300;
/** Long enough to watch an instance without its listener, short enough for the test. */
const RECONNECT_MS = 2_500;

async function api(p: Platform, method: string, path: string, options: { key?: string; body?: unknown; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(p.url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function createKey(db: TestDatabase, name: string): Promise<string> {
  const result = await runCli(['admin', 'create-key', 'three@example.com', '--name', name], { DATABASE_URL: db.url });
  if (result.code !== 0) throw new Error(`admin create-key failed: ${result.stderr}`);
  return result.stdout.trim();
}

const page = async (p: Platform, slug: string) => (await httpRequest(p.port, { host: `${slug}.localhost:${p.port}` })).body;

describe('three serve processes caching from one PostgreSQL database', () => {
  let db: TestDatabase;
  let proxy: PgProxy;
  let admin: pg.Client;
  let a: Platform;
  let b: Platform;
  let c: Platform;
  let key: string;

  /**
   * Whether request is answered while another transaction holds `table` locked, so that no instance
   * can read it: it then came from the instance's cache. Otherwise it waits for the lock ('blocked'),
   * and is let through at the end.
   */
  const answeredWithLocked = async (table: string, request: () => Promise<unknown>): Promise<boolean> => {
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const answer = request();
    try {
      return await Promise.race([answer.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000))]);
    } finally {
      await admin.query('ROLLBACK');
      await answer;
    }
  };
  const pageFromCache = (p: Platform, slug: string, body: string) =>
    answeredWithLocked('sites', async () => expect(await page(p, slug)).toBe(body));
  /**
   * The instance answers the page from its cache. Polled: on a loaded machine a heartbeat may come
   * late and turn caching off for a moment, which is the safe side (its log says so).
   */
  const cached = (p: Platform, slug: string, body: string) =>
    expect.poll(() => pageFromCache(p, slug, body), { timeout: 15_000, interval: 0, message: p.stderr() }).toBe(true);

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startPgProxy(db.url);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const env = { ...db.env, INVOKER_RATE_LIMIT: String(LIMIT), INVOKER_TRUST_PROXY: '1', INVOKER_PG_RECONNECT_MS: String(RECONNECT_MS) };
    // c reaches the database through the proxy, which can silence its listener.
    [a, b, c] = await Promise.all([startPlatform({ env }), startPlatform({ env }), startPlatform({ env: { ...env, DATABASE_URL: proxy.url(db.url) } })]);
    key = await createKey(db, 'main');
  });
  afterAll(async () => {
    for (const p of [a, b, c]) await p?.stop();
    await admin?.end();
    await proxy?.close();
    await db?.drop();
  });

  it('serves on 2 and 3, on their next request, what was published through 1', async () => {
    const v1 = await api(a, 'POST', '/deploy', { key, body: { html: '<h1>one</h1>', slug: 'three', publish: true } });
    expect(v1.status).toBe(201);
    for (const p of [b, c]) {
      expect(await page(p, 'three')).toBe('<h1>one</h1>');
      await cached(p, 'three', '<h1>one</h1>');
    }
    // A new version, not live yet: the cached live page is still the right answer.
    expect((await api(a, 'PUT', `/deploy/${v1.body.id}`, { key, body: { html: '<h1>two</h1>', publish: false } })).body.version).toBe(2);
    for (const p of [b, c]) expect(await page(p, 'three')).toBe('<h1>one</h1>');
    expect((await api(a, 'POST', `/deploy/${v1.body.id}/publish`, { key, body: { version: 2 } })).status).toBe(200);
    for (const p of [b, c]) expect(await page(p, 'three')).toBe('<h1>two</h1>');
    expect((await api(a, 'DELETE', `/deploy/${v1.body.id}`, { key })).status).toBe(204);
    for (const p of [b, c]) expect((await httpRequest(p.port, { host: `three.localhost:${p.port}` })).status).toBe(404);
  });

  it('refuses on 1 and 3, on their next request, a key revoked through 2', async () => {
    const doomed = await createKey(db, 'doomed');
    for (const p of [a, c]) {
      expect((await api(p, 'GET', '/me', { key: doomed })).status).toBe(200);
      const fromCache = () => answeredWithLocked('api_keys', async () => expect((await api(p, 'GET', '/me', { key: doomed })).status).toBe(200));
      await expect.poll(fromCache, { timeout: 15_000, interval: 0, message: p.stderr() }).toBe(true);
    }
    const id = (await api(b, 'GET', '/api-keys', { key })).body.keys.find((k: { name: string }) => k.name === 'doomed').id;
    expect((await api(b, 'DELETE', `/api-keys/${id}`, { key })).status).toBe(204);
    for (const p of [a, c]) {
      const refused = await api(p, 'GET', '/me', { key: doomed });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('unauthenticated');
    }
  });

  it(`holds one per-IP budget of ${LIMIT} across the three within 10%`, async () => {
    // Each has heard the other two: its share of the rate budget is a third.
    for (const p of [a, b, c]) await expect.poll(() => p.stderr(), { timeout: 10_000 }).toMatch(/3 instance\(s\) share this database/);
    const ip = '203.0.113.50';
    const statuses: number[] = [];
    const started = Date.now();
    // 20 concurrent clients per instance, 600 requests in all: twice the budget.
    await Promise.all(
      [a, b, c].flatMap((p) =>
        Array.from({ length: 20 }, async () => {
          for (let i = 0; i < 10; i++) statuses.push((await api(p, 'GET', '/openapi.json', { ip })).status);
        }),
      ),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(admitted).toBeGreaterThanOrEqual(LIMIT);
    // The budget is a sliding window of a minute on wall-clock minutes: a burst that runs past a minute
    // boundary (a slow, loaded machine) is rightly granted the part of the next minute it reached too.
    const ended = Date.now();
    const windowMs = 60_000;
    const boundary = started - (started % windowMs) + windowMs;
    const granted = LIMIT * (1 + Math.max(0, ended - boundary) / windowMs);
    expect(admitted, `admitted over ${ended - started} ms`).toBeLessThanOrEqual(granted + LIMIT * 0.1);
    // Another address has its own budget.
    expect((await api(b, 'GET', '/openapi.json', { ip: '198.51.100.7' })).status).toBe(200);
  });

  it('stops caching on 2 when its listening connection is killed, answers nothing stale, and caches again once back', async () => {
    const site = await api(a, 'POST', '/deploy', { key, body: { html: '<p>v1</p>', slug: 'killed', publish: true } });
    const id = site.body.id;
    expect(await page(b, 'killed')).toBe('<p>v1</p>');
    await cached(b, 'killed', '<p>v1</p>');

    const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1', [
      `invoker-mcp listener pid=${b.process.pid}`,
    ]);
    expect(rows).toEqual([{ done: true }]);
    // Published at once, before 2 has even logged the loss: its next answer is the new page.
    await api(a, 'PUT', `/deploy/${id}`, { key, body: { html: '<p>v2</p>', publish: true } });
    expect(await page(b, 'killed')).toBe('<p>v2</p>');
    await expect.poll(() => b.stderr()).toMatch(/PostgreSQL listener lost \(.*\): caching nothing/);
    // While it cannot hear changes, every page comes from the database.
    expect(await pageFromCache(b, 'killed', '<p>v2</p>'), b.stderr()).toBe(false);
    await api(c, 'PUT', `/deploy/${id}`, { key, body: { html: '<p>v3</p>', publish: true } });
    expect(await page(b, 'killed')).toBe('<p>v3</p>');

    await expect.poll(() => b.stderr(), { timeout: RECONNECT_MS * 4 }).toMatch(/PostgreSQL listener back after \d+ attempt\(s\): caching again/);
    expect(await page(b, 'killed')).toBe('<p>v3</p>');
    await cached(b, 'killed', '<p>v3</p>');
    await api(a, 'PUT', `/deploy/${id}`, { key, body: { html: '<p>v4</p>', publish: true } });
    expect(await page(b, 'killed')).toBe('<p>v4</p>');
  });

  it('stops caching on 3 within two heartbeats of its listener going silent, and caches again once back', async () => {
    const site = await api(a, 'POST', '/deploy', { key, body: { html: '<p>s1</p>', slug: 'silent', publish: true } });
    expect(await page(c, 'silent')).toBe('<p>s1</p>');
    await cached(c, 'silent', '<p>s1</p>');

    // Nothing is closed and nothing arrives: only the missing heartbeat can tell.
    expect(proxy.silenceListeners()).toBe(1);
    const silencedAt = Date.now();
    await api(a, 'PUT', `/deploy/${site.body.id}`, { key, body: { html: '<p>s2</p>', publish: true } });
    // 1 waited for 3's acknowledgement until 3 must have stopped caching: no stale answer follows.
    expect(await page(c, 'silent')).toBe('<p>s2</p>');
    await expect.poll(() => c.stderr(), { timeout: 5_000 }).toMatch(/PostgreSQL listener lost \(no heartbeat for \d+ ms\)/);
    expect(Date.now() - silencedAt).toBeLessThan(5_000);
    expect(await pageFromCache(c, 'silent', '<p>s2</p>'), c.stderr()).toBe(false);

    await expect.poll(() => c.stderr(), { timeout: RECONNECT_MS * 4 }).toMatch(/PostgreSQL listener back/);
    expect(await page(c, 'silent')).toBe('<p>s2</p>');
    await cached(c, 'silent', '<p>s2</p>');
  });
});
