// The node:http lane (src/server/node-lane.ts) answers GET /me without the Hono app. Over real HTTP,
// its answers must be the app's: GET /orgs/c/me is the same route served by Hono, so every case is
// asked of both and compared, and the per-IP budget must count and label both the same way.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createKey, httpRequest, startPlatform, type HttpResult, type Platform } from '../helpers/platform.js';

/** A request no HTTP client library would send (no Host, a broken Host); returns status and body. */
function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
    socket.end(head);
  });
}

/** What a client can see of an answer, minus what changes by the second (Date, the window's reset). */
function visible(a: HttpResult) {
  const headers = Object.keys(a.headers)
    .filter((h) => h !== 'date')
    .sort();
  return {
    status: a.status,
    headers,
    type: a.headers['content-type'],
    policy: a.headers['ratelimit-policy'],
    retryAfter: a.headers['retry-after'] !== undefined,
    body: JSON.parse(a.body) as unknown,
  };
}

describe.each(BACKENDS)('GET /me on the node:http lane (%s)', (backend) => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend });
    key = await createKey(platform, 'lane@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const get = (path: string, authorization?: string) =>
    httpRequest(platform.port, { path, headers: authorization === undefined ? {} : { authorization } });

  it('answers every case exactly as the Hono route does', async () => {
    // A second key, revoked, so "revoked" is a real case rather than a made-up string.
    const created = await httpRequest(platform.port, {
      method: 'POST',
      path: '/api-keys',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'to revoke' }),
    });
    const revoked = JSON.parse(created.body) as { key: string; id: string };
    expect((await httpRequest(platform.port, { method: 'DELETE', path: `/api-keys/${revoked.id}`, headers: { authorization: `Bearer ${key}` } })).status).toBe(204);

    const cases: Record<string, string | undefined> = {
      valid: `Bearer ${key}`,
      'lower-case scheme': `bearer ${key}`,
      missing: undefined,
      'not a key': 'Bearer hunter2',
      'bad checksum': `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`,
      revoked: `Bearer ${revoked.key}`,
      'no scheme': key,
    };
    const statuses: Record<string, number> = {};
    for (const [name, authorization] of Object.entries(cases)) {
      const lane = visible(await get('/me', authorization));
      const hono = visible(await get('/orgs/c/me', authorization));
      expect({ name, ...lane }).toEqual({ name, ...hono });
      statuses[name] = lane.status;
    }
    expect(statuses).toEqual({ valid: 200, 'lower-case scheme': 200, missing: 401, 'not a key': 401, 'bad checksum': 401, revoked: 401, 'no scheme': 401 });

    // Requests that are no requests at all get the app's JSON 400 on both paths, and nothing else.
    for (const host of ['', 'Host: [\r\n', 'Host: a b\r\n']) {
      for (const path of ['/me', '/orgs/c/me']) {
        const answer = await rawRequest(platform.port, `GET ${path} HTTP/1.1\r\n${host}Authorization: Bearer ${key}\r\nConnection: close\r\n\r\n`);
        expect({ host, path, status: answer.status }).toEqual({ host, path, status: 400 });
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'invalid_input' });
      }
    }

    const me = JSON.parse((await get('/me?fields=ignored', `Bearer ${key}`)).body);
    expect(me).toMatchObject({ user: { email: 'lane@example.com' }, key: { name: 'admin', preview: `inv_…${key.slice(-4)}` } });
  });
});

describe.each(BACKENDS)('the API rate limit over HTTP (%s)', (backend) => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend, env: { INVOKER_RATE_LIMIT: '4' } });
    key = await createKey(platform, 'counted@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('is one budget for both paths, with RateLimit headers once on every answer and 429 + Retry-After past it', async () => {
    const get = (path: string) => httpRequest(platform.port, { path, headers: { authorization: `Bearer ${key}` } });
    // The lane (/me), Hono (/deploys, an unknown route), then both refused.
    const answers = [await get('/me'), await get('/deploys'), await get('/no-such-route'), await get('/me'), await get('/me'), await get('/deploys')];

    expect(answers.map((a) => a.status)).toEqual([200, 200, 404, 200, 429, 429]);
    // One header each: a second copy would arrive joined with ", ".
    for (const a of answers) expect(a.headers['ratelimit-policy']).toBe('"ip";q=4;w=60');
    expect(answers.map((a) => String(a.headers.ratelimit).replace(/;t=\d+$/, ''))).toEqual(['"ip";r=3', '"ip";r=2', '"ip";r=1', '"ip";r=0', '"ip";r=0', '"ip";r=0']);

    for (const refused of answers.slice(4)) {
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'rate_limited', error: expect.stringMatching(/Retry after \d+ seconds/) });
    }
  });
});

describe('the lane behind a trusted proxy', () => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform({ env: { INVOKER_RATE_LIMIT: '2', INVOKER_TRUST_PROXY: '1' } });
    key = await createKey(platform, 'proxied@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('counts each client by the address the proxy appended, not what the client wrote', async () => {
    const me = (forwarded: string) =>
      httpRequest(platform.port, { path: '/me', headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': forwarded } });
    // The client forges a different first entry each time; the proxy's entry (the last) is the one counted.
    const first = [await me('6.6.6.1, 198.51.100.7'), await me('6.6.6.2, 198.51.100.7'), await me('6.6.6.3, 198.51.100.7')];
    expect(first.map((a) => a.status)).toEqual([200, 200, 429]);
    // Another client behind the same proxy has its own budget, on the lane and through Hono alike.
    expect((await me('198.51.100.8')).status).toBe(200);
    const hono = await httpRequest(platform.port, { path: '/orgs/c/me', headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': '198.51.100.8' } });
    expect(hono.status).toBe(200);
    expect(hono.headers.ratelimit).toMatch(/^"ip";r=0;/);
  });
});
