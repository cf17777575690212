// Hostile HTTP input against a real `serve` over TCP, on both backends: the same seeded campaign
// through node:http (covering the node:http lane that app.request() never reaches: a stored value that
// breaks a header once ended the process there), plus raw socket requests no well-behaved client can
// send (NUL bytes, bad request lines, oversized headers). `npm test` runs 1,500 requests per backend;
// the full campaign is INVOKER_FUZZ_REQUESTS=20000 npx vitest run test/security/hostile-serve.test.ts
// (figures in docs/SECURITY.md).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { HostileGenerator, judge } from './hostile.js';

const REQUESTS = Number(process.env.INVOKER_FUZZ_REQUESTS ?? 1_500);
const CONCURRENCY = 8;
const MANY = '1000000';
/** Limits raised so fuzzed fields reach the code behind them; the limits are tested on their own. */
const ENV = {
  INVOKER_RATE_LIMIT: MANY,
  INVOKER_MAX_SITES: MANY,
  INVOKER_SUBMISSIONS_PER_MINUTE: MANY,
  INVOKER_LOGIN_SESSIONS_PER_MINUTE: MANY,
  INVOKER_LOGIN_CODES_PER_EMAIL: MANY,
  INVOKER_LOGIN_CODES_PER_IP: MANY,
  INVOKER_LOGIN_VERIFY_PER_MINUTE: MANY,
};

/** A browser signed in to the dashboard the way a person does it, with the code from the dev-mail log. */
async function dashboardBrowser(platform: Platform, email: string): Promise<{ cookie: string; csrf: string }> {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const started = await httpRequest(platform.port, { method: 'POST', path: '/dashboard/login', headers: form, body: `email=${encodeURIComponent(email)}` });
  const pending = String(started.headers['set-cookie']).split(';')[0] as string;
  const codes = () => [...platform.stderr().matchAll(new RegExp(`sign-in code for ${email.replace('.', '\\.')}: (\\d{6})`, 'g'))];
  for (let i = 0; i < 100 && codes().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  const code = codes().at(-1)?.[1] as string;
  const signedIn = await httpRequest(platform.port, { method: 'POST', path: '/dashboard/login/code', headers: { ...form, cookie: pending }, body: `code=${code}` });
  const set = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => c.startsWith('invoker_session='))?.split(';')[0] ?? '';
  const page = await httpRequest(platform.port, { path: '/dashboard/keys', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error(`dashboard sign-in failed: ${signedIn.status} ${page.status}`);
  return { cookie, csrf };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

/** One raw request on its own socket; resolves with the status line and the rest of the answer. */
function raw(port: number, bytes: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    // Written without closing our side, or node may drop an answer still on its way (PostgreSQL
    // answers a little later than SQLite); a request still waiting for its body is ended after 1.5 s.
    socket.write(bytes);
    setTimeout(() => socket.end(), 1_500).unref();
  });
}

describe.each(BACKENDS)('hostile HTTP input against a real serve (%s)', (backend) => {
  let platform: Platform;
  let key: string;
  let schemaKey: string;
  let siteId: string;
  let keeperKey: string;
  let login: { session_id: string; user_code: string };
  const dashboard: Array<{ cookie: string; csrf: string }> = [];

  beforeAll(async () => {
    platform = await startPlatform({ backend, env: ENV });
    key = await createKey(platform, 'owner@example.com');
    schemaKey = await createKey(platform, 'owner@example.com', 'fields');
    login = JSON.parse((await httpRequest(platform.port, { method: 'POST', path: '/auth/session', headers: { 'content-type': 'application/json' }, body: '{"client_name":"fuzz"}' })).body);
    for (let i = 0; i < 3; i++) dashboard.push(await dashboardBrowser(platform, 'owner@example.com'));
    const res = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'target', html: '<p>target</p>' }),
    });
    expect(res.status).toBe(201);
    siteId = JSON.parse(res.body).id;
    // The campaign never sees this key or this site: it must come through untouched.
    keeperKey = await createKey(platform, 'keeper@example.com');
    const keeper = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${keeperKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'keeper', html: '<p>keeper</p>' }),
    });
    expect(keeper.status).toBe(201);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it(`answers ${REQUESTS.toLocaleString('en')} generated requests over TCP with no 5xx, never ends the process, and keeps memory bounded`, { timeout: Math.max(60_000, REQUESTS * 15) }, async () => {
    const host = `localhost:${platform.port}`;
    const gen = new HostileGenerator(7, {
      platformHost: host,
      sitesDomain: host,
      key,
      otherKey: await createKey(platform, 'other@example.com'),
      siteId,
      slug: 'target',
      otherSiteId: 'dep_0000000000000000',
      orgId: 'c',
      subOrgId: 'org_0000000000000000',
      keyId: 'key_0000000000000000',
      submissionId: 'sub_0000000000000000',
      schemaKey,
      userCode: login.user_code,
      sessionId: login.session_id,
      dashboard,
    }, 1);
    const pid = platform.process.pid as number;
    const rssBefore = rssMb(pid);
    let rssPeak = rssBefore;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();
    let tried = 0;
    let refused = 0;
    const worker = async () => {
      while (tried < REQUESTS) {
        const req = gen.next();
        // node:http refuses some of what the generator makes (e.g. unescaped characters in the
        // path); those go to the raw-socket test below instead.
        let res;
        try {
          // node:http frames a DELETE or OPTIONS body only with an explicit length.
          const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
          res = await httpRequest(platform.port, { method: req.method.toUpperCase(), path: req.path.startsWith('/') ? req.path : `/${req.path}`, headers, body: req.body });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ERR_UNESCAPED_CHARACTERS' || (e as NodeJS.ErrnoException).code === 'ERR_INVALID_CHAR' || (e as NodeJS.ErrnoException).code === 'ERR_INVALID_HTTP_TOKEN') {
            refused++;
            continue;
          }
          // A reset for an oversized body is the server refusing to read it; anything else is a failure.
          if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE') {
            tried++;
            continue;
          }
          throw e;
        }
        tried++;
        gen.observe(req, res.status, res.body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (tried % 500 === 0) rssPeak = Math.max(rssPeak, rssMb(pid));
        const verdict = judge(req, res.status, String(res.headers['content-type'] ?? ''), res.body);
        if (!verdict.ok && failures.length < 20) {
          // A 500 names its request id: the server's log line for it says what went wrong.
          const id = /req_[0-9A-Za-z]{16}/.exec(res.body)?.[0];
          const logged = id ? platform.stderr().split('\n').find((l) => l.includes(id)) : undefined;
          failures.push(`${req.method} ${req.path.slice(0, 200)} host=${req.headers.host} [${req.label}] body ${(req.body ?? '').slice(0, 300)}: ${verdict.why}${logged ? `\n  log: ${logged.slice(0, 400)}` : ''}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const rssAfter = rssMb(pid);
    rssPeak = Math.max(rssPeak, rssAfter);
    const fields = gen.allFields();
    const unfuzzed = fields.filter((f) => !gen.fuzzed.has(f));
    console.log(
      `[figures] hostile-http over TCP (${backend}): ${tried} requests (${refused} refused by the node:http client) in ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
        `${fields.length - unfuzzed.length} of ${fields.length} schema fields given hostile values, ${gen.followUps} requests for deployed pages, ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}, ` +
        `serve RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB (peak ${rssPeak.toFixed(0)} MB)`,
    );
    expect(failures).toEqual([]);
    expect(platform.process.exitCode).toBeNull();
    expect(statuses.get(500) ?? 0).toBe(0);
    // The full campaign reaches every field; the smaller one in `npm test` most of them.
    if (REQUESTS >= 10_000) expect(unfuzzed).toEqual([]);
    expect(rssAfter - rssBefore).toBeLessThan(300);
    const health = await httpRequest(platform.port, { path: '/healthz' });
    expect(health.status).toBe(200);
  });

  it('answers raw malformed requests without a 5xx and keeps serving', async () => {
    const port = platform.port;
    const host = `localhost:${port}`;
    const cases: Array<string | Buffer> = [
      `GET /s/target/\u0000 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET /\u0000/../../etc/passwd HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET /../../../etc/passwd HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET /%ff%fe%c0%ae HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET //etc/passwd HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET C:\\Windows\\win.ini HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET http://evil.example/ HTTP/1.1\r\nHost: target.${host}\r\nConnection: close\r\n\r\n`,
      `GET * HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${'a'.repeat(70)}.${host}\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: \u202eetis.${host}\r\nConnection: close\r\n\r\n`,
      Buffer.from(`GET / HTTP/1.1\r\nHost: ѕite.${host}\r\nConnection: close\r\n\r\n`, 'utf8'),
      `GET / HTTP/1.1\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.0\r\n\r\n`,
      `BREW /pot HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      `GET /me HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${key.slice(0, 20)}\r\nConnection: close\r\n\r\n`,
      `POST /deploy HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"html":`,
      `POST /deploy HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{"htm\r\n0\r\n\r\n`,
      `POST /submit/${siteId} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n{"a":1}`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'h'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      `GARBAGE\r\n\r\n`,
      `GET / HTTP/9.9\r\nHost: ${host}\r\n\r\n`,
    ];
    const statuses: number[] = [];
    for (const c of cases) {
      const res = await raw(port, c);
      statuses.push(res.status);
      // 0: the server closed the connection without an answer, which some malformed input gets.
      expect(res.status, String(c).slice(0, 80)).toBeLessThan(500);
      // A site host may answer with its HTML not-found page; every other error is the JSON format,
      // including the refusals node:http's parser makes before the app sees the request.
      const siteHost = /\r\nHost: [^\r]*\.localhost:/i.test(String(c));
      if (res.status >= 400 && !(siteHost && /content-type: text\/html/i.test(res.head))) {
        expect(res.head, String(c).slice(0, 80)).toMatch(/content-type: application\/json/i);
        expect(JSON.parse(res.body)).toMatchObject({ error: expect.any(String), code: expect.any(String) });
      }
    }
    console.log(`[figures] raw malformed requests: ${cases.length}, statuses ${statuses.join(',')}`);
    expect(platform.process.exitCode).toBeNull();
    const page = await httpRequest(port, { host: `keeper.${host}`, path: '/' });
    expect(page.body).toContain('<p>keeper</p>');
    const me = await httpRequest(port, { path: '/me', headers: { authorization: `Bearer ${keeperKey}` } });
    expect(me.status).toBe(200);
  });
});
