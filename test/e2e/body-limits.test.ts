// Request-body limits over real HTTP (SPEC section 10), by route class: sign-in endpoints 16 KB,
// submissions 64 KB, other API requests 1 MB, deploys 40 MB. A declared Content-Length is checked as
// a number before any of the body is read (src/server/body-limits.ts); a chunked body has no length
// up front and is counted as it streams. Both answer 413 in the JSON error format naming the limit,
// and nothing of a refused request is stored. Also here: what a body may hold once it is read (JSON
// depth, malformed forms), and that every limit is a setting.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';
import { recordIncoming } from '../helpers/responses.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: { error?: string; code?: string; [k: string]: unknown };
}

interface Sent {
  method?: string;
  path: string;
  key?: string;
  host?: string;
  type?: string;
  headers?: Record<string, string>;
  /** Declared as Content-Length (whatever is actually sent); chunked when unset. */
  declaredLength?: number;
  body: Buffer | string;
}

/**
 * Sends the head, then the body, and reads the answer. A server that waited for a declared body
 * that never comes would hang: after 10 s that is a failure, not a timeout of the whole test.
 */
function send(platform: Platform, options: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: options.host ?? `localhost:${platform.port}`, 'content-type': options.type ?? 'application/json', ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    // Without an explicit framing header, node would declare the length of a body passed to end().
    if (options.declaredLength !== undefined) headers['content-length'] = String(options.declaredLength);
    else headers['transfer-encoding'] = 'chunked';
    // A connection of its own: after a declared length that was never sent, the server still expects the rest.
    const req = request({ host: '127.0.0.1', port: platform.port, method: options.method ?? 'POST', path: options.path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let body: Answer['body'] = {};
        try {
          body = JSON.parse(text) as Answer['body'];
        } catch {
          // An HTML page: the text says it.
        }
        // Checked against the OpenAPI document at the end of the run, like httpRequest's answers.
        recordIncoming({ method: options.method ?? 'POST', host: headers.host as string, target: options.path }, res, text);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${options.path} in 10 s: the server is waiting for the body`)));
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    // Closed without a whole answer (a reset can overtake it): a failure, never a hang.
    req.on('close', () => reject(new Error(`the connection for ${options.path} closed before a whole answer`)));
    req.end(options.body);
  });
}

const MB = 1024 * 1024;

describe('request-body limits over HTTP', () => {
  let platform: Platform;
  let key: string;
  let siteId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'limits@example.com');
    const site = await send(platform, { path: '/deploy', key, body: JSON.stringify({ slug: 'form-site', html: '<form></form>' }) });
    expect(site.status).toBe(201);
    siteId = site.body.id as string;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a declared length over the deploy limit before reading the body, and a chunked API body once it passes 1 MB', async () => {
    // 41 MB declared on a deploy (limit 40 MB); only 1 KB follows, so a server waiting for the body would hang.
    const declared = await send(platform, { path: '/deploy', key, declaredLength: 41 * MB, body: Buffer.alloc(1024, 0x20) });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'too_large', error: 'The request body is over 40 MB, the limit for a deploy. Send fewer or smaller files.' });

    const chunked = await send(platform, { method: 'PATCH', path: '/deploy/dep_x/slug', key, body: Buffer.alloc(1536 * 1024, 0x20) });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toMatchObject({ code: 'too_large', error: expect.stringContaining('over 1 MB, the limit for API requests') });
    const declaredPatch = await send(platform, { method: 'PATCH', path: '/deploy/dep_x/slug', key, declaredLength: 2 * MB, body: Buffer.alloc(16, 0x20) });
    expect(declaredPatch.status).toBe(413);

    // Only POST /deploy and PUT /deploy/{id} take 40 MB: every other POST gets the API limit.
    const bigKeyName = await send(platform, { path: '/api-keys', key, declaredLength: 2 * MB, body: Buffer.alloc(16, 0x20) });
    expect(bigKeyName.status).toBe(413);
    const publish = await send(platform, { path: `/deploy/${siteId}/publish`, key, body: JSON.stringify({ pad: 'x'.repeat(1.2 * MB) }) });
    expect(publish.status).toBe(413);

    // Under the limits, both framings are read and answered normally, on the scoped form too.
    const page = Buffer.from(JSON.stringify({ slug: 'limits-ok', html: '<h1>ok</h1>', publish: true }));
    expect((await send(platform, { path: '/orgs/c/deploy', key, declaredLength: page.length, body: page })).status).toBe(201);
    expect((await send(platform, { path: '/api-keys', key, body: JSON.stringify({ name: 'chunked' }) })).status).toBe(201);

    // Nothing of the refused requests was stored.
    const sites = await fetch(`${platform.url}/deploys`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json() as Promise<{ deploys: Array<{ slug: string }> }>);
    expect(sites.deploys.map((d) => d.slug).sort()).toEqual(['form-site', 'limits-ok']);
  });

  it('gives the keyless sign-in endpoints 16 KB, refused before a declared 39 MB body is read', async () => {
    // The reproduction: eight of these once took serve from 91 MB to 517 MB.
    const poll = await send(platform, { path: '/auth/session/poll', declaredLength: 39 * MB, body: '{"session_id":"' });
    expect(poll.status).toBe(413);
    expect(poll.body).toMatchObject({ code: 'too_large', error: 'The request body is over 16 KB, the limit for sign-in requests.' });
    // A 5 MB session request once answered 201. Only its first 64 KB is sent: a server that reads
    // the body waits for the rest (and times out here); one that checks the length answers at once.
    const padded = JSON.stringify({ client_name: 'padded', pad: 'x'.repeat(5 * MB) });
    const session = await send(platform, { path: '/auth/session', declaredLength: Buffer.byteLength(padded), body: padded.slice(0, 64 * 1024) });
    expect(session.status).toBe(413);
    const otp = await send(platform, { path: '/auth/otp', body: JSON.stringify({ user_code: 'BCDF-GHJK', email: `${'a'.repeat(20_000)}@example.com` }) });
    expect(otp.status).toBe(413);
    // The dashboard's sign-in forms are keyless too.
    const form = `email=${'a'.repeat(17 * 1024)}`;
    const login = await send(platform, { path: '/dashboard/login', type: 'application/x-www-form-urlencoded', declaredLength: form.length, body: form });
    expect(login.status).toBe(413);
    const code = await send(platform, { path: '/dashboard/login/code', type: 'application/x-www-form-urlencoded', body: `code=${'1'.repeat(17 * 1024)}` });
    expect(code.status).toBe(413);
    expect(code.body.code).toBe('too_large');

    // Under the limit, a sign-in starts as before.
    const ok = await send(platform, { path: '/auth/session', body: JSON.stringify({ client_name: 'small' }) });
    expect(ok.status).toBe(201);
  });

  it('gives form submissions 64 KB, on /submit/{id} and on the site host', async () => {
    const big = `message=${'x'.repeat(65 * 1024)}`;
    const submit = await send(platform, { path: `/submit/${siteId}`, type: 'application/x-www-form-urlencoded', body: big });
    expect(submit.status).toBe(413);
    expect(submit.body.error).toBe('The request body is over 64 KB, the limit for a form submission. Shorten the fields or leave out files.');
    const onHost = await send(platform, { path: '/_submit', host: `form-site.localhost:${platform.port}`, type: 'application/x-www-form-urlencoded', declaredLength: big.length, body: big });
    expect(onHost.status).toBe(413);
    const list = await fetch(`${platform.url}/submissions/${siteId}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json() as Promise<{ total: number }>);
    expect(list.total).toBe(0);
  });

  it('answers JSON nested deeper than 64 levels with a 400, on public forms and the API', async () => {
    // ~5,000 levels in 30 KB: once "Maximum call stack size exceeded", a 500.
    const deep = `{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    for (const [path, host] of [[`/submit/${siteId}`, undefined], ['/_submit', `form-site.localhost:${platform.port}`]] as const) {
      const res = await send(platform, { path, host, body: deep });
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'invalid_input' });
      expect(res.body.error).toBe('The submission is JSON nested more than 64 levels deep. Send a flatter structure.');
    }
    const api = await send(platform, { path: '/api-keys', key, body: `{"name":"k","x":${'{"a":'.repeat(65)}1${'}'.repeat(65)}}` });
    expect(api.status).toBe(400);
    expect(api.body.error).toMatch(/nested more than 64 levels/);
    // 64 levels is allowed: the submission is stored, flattened to text.
    const ok = await send(platform, { path: `/submit/${siteId}`, body: `{"a":${'['.repeat(62)}${']'.repeat(62)}}` });
    expect(ok.status).toBe(200);
    // A lone surrogate is no text: a 400, not a 500 when it is later put in a URL.
    const surrogate = await send(platform, { path: '/deploy', key, body: '{"html":"<html><head></head><p>x</p></html>","favicon":"\\ud800","slug":"surrogate"}' });
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error).toMatch(/not valid Unicode/);
  });

  it('answers a malformed multipart body to the dashboard sign-in with the form again, never a 500', async () => {
    const broken = { type: 'multipart/form-data; boundary=XyZ', body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nno-end' };
    const login = await send(platform, { path: '/dashboard/login', ...broken });
    expect(login.status).toBe(400);
    expect(login.text).toContain('The form could not be read');

    // The code form is read only with a pending sign-in: start one for real.
    const started = await httpRequest(platform.port, {
      method: 'POST',
      path: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=limits%40example.com',
    });
    expect(started.status).toBe(303);
    const cookie = String(started.headers['set-cookie']).split(';')[0] as string;
    const code = await send(platform, { path: '/dashboard/login/code', headers: { cookie }, ...broken });
    expect(code.status).toBe(400);
    expect(code.text).toContain('The form could not be read');
    // Also without a boundary at all, and on the login API's form posts.
    for (const path of ['/dashboard/login', '/auth/otp', '/auth/verify', `/submit/${siteId}`]) {
      const res = await send(platform, { path, type: 'multipart/form-data', headers: { cookie }, body: 'garbage' });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect(platform.process.exitCode).toBeNull();
  });
});

describe('limits are settings', () => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform({
      env: { INVOKER_MAX_SUBMISSION_KB: '2', INVOKER_MAX_SIGN_IN_BODY_KB: '1', INVOKER_MAX_API_BODY_KB: '4', INVOKER_MAX_FILE_MB: '1', INVOKER_MAX_JSON_DEPTH: '8', INVOKER_MAX_FILES: '2' },
    });
    key = await createKey(platform, 'settings@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('enforces each configured limit and names it in the message', async () => {
    const site = await send(platform, { path: '/deploy', key, body: JSON.stringify({ slug: 'small', html: '<form></form>' }) });
    expect(site.status).toBe(201);
    const submission = await send(platform, { path: `/submit/${site.body.id as string}`, type: 'application/x-www-form-urlencoded', body: `a=${'x'.repeat(3000)}` });
    expect(submission.body.error).toMatch(/^The request body is over 2 KB/);
    const signIn = await send(platform, { path: '/auth/session', body: JSON.stringify({ client_name: 'x'.repeat(1100) }) });
    expect(signIn.body.error).toMatch(/^The request body is over 1 KB/);
    const api = await send(platform, { path: '/api-keys', key, body: JSON.stringify({ name: 'x'.repeat(5000) }) });
    expect(api.body.error).toMatch(/^The request body is over 4 KB/);
    const deep = await send(platform, { path: '/api-keys', key, body: `{"name":"k","x":${'['.repeat(9)}${']'.repeat(9)}}` });
    expect(deep.body.error).toMatch(/nested more than 8 levels/);
    const file = await send(platform, { path: '/deploy', key, body: JSON.stringify({ slug: 'big', html: 'x'.repeat(1.5 * MB) }) });
    expect(file.status).toBe(413);
    expect(file.body.error).toMatch(/the limit is 1 MB per file/);
    const files = await send(platform, {
      path: '/deploy',
      key,
      body: JSON.stringify({ slug: 'many', files: ['index.html', 'a.css', 'b.css'].map((path) => ({ path, content: 'x' })) }),
    });
    expect(files.body.error).toBe('A deploy may hold at most 2 files; this one has 3.');
  });
});
