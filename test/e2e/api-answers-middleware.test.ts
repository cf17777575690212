// The answers every operation gets from what stands in front of its handler, for every operation in
// the route table, over real HTTP: 431 for headers over node's limit, 404 for a path parameter that
// names nothing, 401 without a key, 404 for an org out of reach, 400 for JSON nested
// deeper than the limit, 413 for a body declared over its route's limit, 429 past INVOKER_RATE_LIMIT
// (with Retry-After), and 500 with a request id when the store fails (PostgreSQL here: the rate limit
// counts in it, so every operation behind the limit meets the failure). Also: 502 when the mail server
// refuses a sign-in code. Each answer is checked against the OpenAPI document as well
// (test/openapi/conformance.test.ts).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutePaths, ROUTES, type RouteSpec } from '../../packages/invoker-mcp/src/contract/routes.js';
import { startApiServer, type ApiServer } from '../helpers/api-server.js';

const OUT_OF_REACH = 'org_0000000000000000';

/** The route's path with every parameter filled: `:org` as given, ids with ones of the right shape. */
function concrete(path: string, ids: { org?: string; id?: string } = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'org') return ids.org ?? 'c';
    if (name === 'id') return ids.id ?? 'dep_0000000000000000';
    return `${name === 'submissionId' ? 'sub' : name === 'keyId' ? 'key' : 'org'}_0000000000000000`;
  });
}

const ROUTE_PATHS = allRoutePaths(ROUTES);
const name = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
/** Statuses by route, for one readable failure listing every route that answered otherwise. */
async function statuses(routes: typeof ROUTE_PATHS, send: (r: (typeof ROUTE_PATHS)[number]) => Promise<{ status: number }>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of routes) out[name(r)] = (await send(r)).status;
  return out;
}
const every = (routes: typeof ROUTE_PATHS, status: number) => Object.fromEntries(routes.map((r) => [name(r), status]));
const behindTheLimit = ROUTE_PATHS.filter((r) => !r.spec.bare);

describe('what every operation gets from the middleware', () => {
  let api: ApiServer;
  let key: string;
  let siteId: string;

  beforeAll(async () => {
    api = await startApiServer();
    ({ key } = await api.tenant('middleware@example.com'));
    siteId = (await api.call('POST', '/deploy', { key, json: { html: '<form></form>' } })).json.id;
  });
  afterAll(async () => api?.stop());

  it('401 for every operation that needs a key, without one or with a malformed one', async () => {
    const keyed = ROUTE_PATHS.filter((r) => r.spec.auth === 'key');
    expect(await statuses(keyed, (r) => api.call(r.method, concrete(r.path)))).toEqual(every(keyed, 401));
    const malformed = await api.call('GET', '/deploys', { headers: { authorization: 'Bearer inv_nope' } });
    expect([malformed.status, malformed.json.code]).toEqual([401, 'unauthenticated']);
  });

  it('404 for every operation under an organization the key cannot reach', async () => {
    const underOrg = ROUTE_PATHS.filter((r) => r.path.startsWith('/orgs/:org'));
    expect(await statuses(underOrg, (r) => api.call(r.method, concrete(r.path, { org: OUT_OF_REACH }), { key }))).toEqual(every(underOrg, 404));
  });

  it('404 for every operation whose path parameter holds a control character: it names nothing', async () => {
    const withParameter = ROUTE_PATHS.filter((r) => r.path.includes('/:'));
    const send = (r: (typeof ROUTE_PATHS)[number]) => api.call(r.method, r.path.replace(/:\w+/g, 'x%00y'), { key });
    expect(await statuses(withParameter, send)).toEqual(every(withParameter, 404));
  });

  it('431 for every operation asked with headers over 16 KB, before any route', async () => {
    const answers = await statuses(ROUTE_PATHS, async (r) => {
      const answer = await api.call(r.method, concrete(r.path), { key, headers: { 'x-padding': 'p'.repeat(17 * 1024), connection: 'close' } });
      expect(answer.json?.code, name(r)).toBe('too_large');
      return answer;
    });
    expect(answers).toEqual(every(ROUTE_PATHS, 431));
  });

  it('400 for every JSON body nested deeper than 64 levels', async () => {
    const withJson = ROUTE_PATHS.filter((r) => r.spec.body);
    const deep = '['.repeat(65) + ']'.repeat(65);
    const answers = await statuses(withJson, async (r) => {
      const answer = await api.call(r.method, concrete(r.path, { id: siteId }), { key, raw: deep });
      // OAuth endpoints say it in error_description (RFC 6749 §5.2), beside the house code.
      expect(answer.json?.error_description ?? answer.json?.error, name(r)).toMatch(/nested more than 64 levels deep/);
      return answer;
    });
    expect(answers).toEqual(every(withJson, 400));
  });

  it('413 for every operation sent a body declared over its limit, before any of it is read', async () => {
    const withBody = ROUTE_PATHS.filter((r) => r.method !== 'GET' && !r.spec.bare);
    // Only the head is sent: the declared length alone decides. The connection is not reused after it.
    const declared = { 'content-length': String(10 ** 12), 'content-type': 'application/json', connection: 'close' };
    expect(await statuses(withBody, (r) => api.call(r.method, concrete(r.path, { id: siteId }), { key, headers: declared }))).toEqual(every(withBody, 413));
  });
});

describe('past the rate limit, and a mail server that refuses', () => {
  let api: ApiServer;

  beforeAll(async () => {
    // Nothing listens on port 9 of loopback (discard): the mail cannot be handed over.
    api = await startApiServer({ INVOKER_RATE_LIMIT: '3', INVOKER_SMTP_URL: 'smtp://127.0.0.1:9' });
  });
  afterAll(async () => api?.stop());

  it('502 when the sign-in mail cannot be sent, then 429 with Retry-After for every operation', async () => {
    const ip = '192.0.2.7';
    const session = await api.call('POST', '/auth/session', { ip, json: {} });
    expect(session.status).toBe(201);
    const refused = await api.call('POST', '/auth/otp', { ip, json: { user_code: session.json.user_code, email: 'mail@example.com' } });
    expect([refused.status, refused.json.code]).toEqual([502, 'upstream']);
    expect(refused.json.error).toContain('INVOKER_SMTP_URL');
    await api.call('GET', '/openapi.json', { ip });
    // The budget is spent: every operation behind it waits, however it is asked.
    const answers = await statuses(behindTheLimit, async (r) => {
      const answer = await api.call(r.method, concrete(r.path), { ip });
      expect(Number(answer.headers['retry-after']), name(r)).toBeGreaterThan(0);
      return answer;
    });
    expect(answers).toEqual(every(behindTheLimit, 429));
    expect((await api.call('GET', '/healthz', { ip })).status).toBe(200);
  });
});

describe('a store that fails (PostgreSQL)', () => {
  let api: ApiServer;

  beforeAll(async () => {
    // A budget this small is counted in the database on every request (postgres-rate-limit.ts:
    // larger ones are batched in memory, which rides out a failing database for a few requests).
    api = await startApiServer({ INVOKER_RATE_LIMIT: '19' }, 'postgres');
  });
  afterAll(async () => api?.stop());

  it('500 with a request id for every operation, the id also in the log; liveness still answers', async () => {
    expect((await api.call('GET', '/openapi.json')).status).toBe(200);
    // The table the rate limit counts in goes away under the running server.
    const admin = new pg.Client({ connectionString: api.databaseUrl });
    await admin.connect();
    await admin.query('ALTER TABLE rate_limits RENAME TO rate_limits_gone');
    await admin.end();
    const answers = await statuses(behindTheLimit, async (r: { method: string; path: string; spec: RouteSpec }) => {
      const answer = await api.call(r.method, concrete(r.path));
      expect([answer.json?.code, answer.headers['x-request-id']], name(r)).toEqual(['internal', answer.json?.request_id]);
      expect(api.log.some((l) => l.includes(answer.json.request_id)), name(r)).toBe(true);
      return answer;
    });
    expect(answers).toEqual(every(behindTheLimit, 500));
    expect((await api.call('GET', '/healthz')).status).toBe(200);
  });
});
