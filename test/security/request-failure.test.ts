// One request's failure stays in that request (SPEC section 10). A store that throws while the node:http
// lane (site pages, GET /me) or the Hono app (/s/, the API) answers must give that request a 500
// `{"error","code":"internal","request_id"}`, log the same id with the stack, and leave the process
// serving everyone else. Real HTTP against startServer(), with the store made to fail on purpose.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeConfig } from '../../packages/platform/src/config.js';
import { issueApiKey } from '../../packages/platform/src/services/keys.js';
import { startServer, type RunningServer } from '../../packages/platform/src/server/main.js';
import type { Store } from '../../packages/platform/src/store/store.js';
import { httpRequest, type HttpResult } from '../helpers/platform.js';

/** Store methods that throw while their name is in `failing`. */
function failingStore(failing: Set<string>) {
  return (store: Store): Store =>
    new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failing.has(String(name))) throw new Error(`disk on fire in ${String(name)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

describe('a failing request stays in its request', () => {
  const failing = new Set<string>();
  const lines: string[] = [];
  let dataDir: string;
  let server: RunningServer;
  let key: string;
  let freshKeys: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'invoker-fail-'));
    const config = parseServeConfig({ port: '0', 'data-dir': dataDir }, { INVOKER_RATE_LIMIT: '100000' });
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(`error ${m}`) };
    server = await startServer(config, log, { wrapStore: failingStore(failing) });
    const now = new Date().toISOString();
    const { user, org } = await server.store.ensureUser('fail@example.com', now);
    key = (await issueApiKey(server.store, { orgId: org.id, userId: user.id, name: 'main', now })).key;
    // Keys never used yet, so their lookup reaches the (failing) store rather than the cache.
    freshKeys = [];
    for (let i = 0; i < 2; i++) freshKeys.push((await issueApiKey(server.store, { orgId: org.id, userId: user.id, name: `fresh ${i}`, now })).key);
    const deployed = await httpRequest(server.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'steady', html: '<p>steady</p>' }),
    });
    expect(deployed.status).toBe(201);
  });

  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const expectFailure = (what: string, res: HttpResult) => {
    expect({ what, status: res.status, type: res.headers['content-type'] }).toEqual({ what, status: 500, type: 'application/json' });
    const body = JSON.parse(res.body) as { error: string; code: string; request_id: string };
    expect(body).toMatchObject({ code: 'internal', request_id: expect.stringMatching(/^req_[0-9A-Za-z]{16}$/) });
    expect(body.error).toContain(body.request_id);
    // Nothing of the failure's internals reaches the client; the log line has them, under the same id.
    expect(body.error).not.toContain('disk on fire');
    expect(res.headers['x-request-id']).toBe(body.request_id);
    const line = lines.find((l) => l.includes(body.request_id));
    expect(line, `a log line for ${body.request_id}`).toMatch(/^error request req_\w+: .* failed: Error: disk on fire/);
    return body.request_id;
  };

  it('answers 500 with a request id on the lane and on Hono, and keeps serving', async () => {
    const host = `localhost:${server.port}`;
    const ids: string[] = [];

    failing.add('findHosted');
    // A page on the site host is the node:http lane; /s/ and a path the lane leaves alone are Hono.
    ids.push(expectFailure('lane: site page', await httpRequest(server.port, { host: `steady.${host}`, path: '/' })));
    ids.push(expectFailure('hono: /s/', await httpRequest(server.port, { path: '/s/steady/' })));
    ids.push(expectFailure('hono: site host, dot segment', await httpRequest(server.port, { host: `steady.${host}`, path: '/x/../' })));
    failing.delete('findHosted');

    failing.add('findPrincipalByKeyHash');
    ids.push(expectFailure('lane: GET /me', await httpRequest(server.port, { path: '/me', headers: { authorization: `Bearer ${freshKeys[0]}` } })));
    ids.push(expectFailure('hono: GET /orgs/c/me', await httpRequest(server.port, { path: '/orgs/c/me', headers: { authorization: `Bearer ${freshKeys[1]}` } })));
    failing.delete('findPrincipalByKeyHash');

    failing.add('listSites');
    ids.push(expectFailure('hono: GET /deploys', await httpRequest(server.port, { path: '/deploys', headers: { authorization: `Bearer ${key}` } })));
    failing.delete('listSites');

    expect(new Set(ids).size).toBe(ids.length);
    // The process and every other request carry on.
    expect((await httpRequest(server.port, { path: '/healthz' })).status).toBe(200);
    expect((await httpRequest(server.port, { host: `steady.${host}`, path: '/' })).body).toContain('<p>steady</p>');
    expect((await httpRequest(server.port, { path: '/me', headers: { authorization: `Bearer ${freshKeys[0]}` } })).status).toBe(200);
    expect((await httpRequest(server.port, { path: '/deploys', headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('answers a failing dashboard page with the request id on the page', async () => {
    failing.add('findDashboardSession');
    const res = await httpRequest(server.port, { path: '/dashboard/', headers: { cookie: 'invoker_session=whatever' } });
    failing.delete('findDashboardSession');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const id = /req_[0-9A-Za-z]{16}/.exec(res.body)?.[0];
    expect(id).toBeDefined();
    expect(lines.some((l) => l.includes(id as string) && l.includes('disk on fire'))).toBe(true);
  });
});
