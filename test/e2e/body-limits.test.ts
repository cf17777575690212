// Request-body limits over real HTTP. A declared Content-Length is checked as a number before any
// of the body is read (src/server/app.ts); a chunked body has no length up front and is counted as
// it streams. Both must answer 413 in the JSON error format, and neither may store anything.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, startPlatform, type Platform } from '../helpers/platform.js';

interface Answer {
  status: number;
  body: { error?: string; code?: string };
}

/** Sends the head, then `body` (chunked when no length is declared), and reads the answer. */
function send(platform: Platform, options: { method?: string; path: string; key: string; declaredLength?: number; body: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' };
    // Without an explicit framing header, node would declare the length of a body passed to end().
    if (options.declaredLength !== undefined) headers['content-length'] = String(options.declaredLength);
    else headers['transfer-encoding'] = 'chunked';
    // A connection of its own: after a declared length that was never sent, the server still expects the rest.
    const req = request({ host: '127.0.0.1', port: platform.port, method: options.method ?? 'POST', path: options.path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(options.body);
  });
}

describe('request-body limits over HTTP', () => {
  let platform: Platform;
  let key: string;

  beforeAll(async () => {
    platform = await startPlatform();
    key = await createKey(platform, 'limits@example.com');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a declared length over the limit before reading the body, and a chunked body once it passes it', async () => {
    // 41 MB declared on a deploy (limit 40 MB); only 1 KB follows, so a server waiting for the body would hang.
    const declared = await send(platform, { path: '/deploy', key, declaredLength: 41 * 1024 * 1024, body: Buffer.alloc(1024, 0x20) });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 'too_large', error: expect.stringMatching(/too large/) });

    // 1 MB is the limit for everything but POST and PUT: 1.5 MB chunked to a rename.
    const chunked = await send(platform, { method: 'PATCH', path: '/deploy/dep_x/slug', key, body: Buffer.alloc(1536 * 1024, 0x20) });
    expect(chunked.status).toBe(413);
    expect(chunked.body.code).toBe('too_large');

    // A declared length over the 1 MB default on a rename, refused the same way.
    const declaredPatch = await send(platform, { method: 'PATCH', path: '/deploy/dep_x/slug', key, declaredLength: 2 * 1024 * 1024, body: Buffer.alloc(16, 0x20) });
    expect(declaredPatch.status).toBe(413);

    // Under the limits, both framings are read and answered normally.
    const page = Buffer.from(JSON.stringify({ slug: 'limits-ok', html: '<h1>ok</h1>', publish: true }));
    expect((await send(platform, { path: '/deploy', key, declaredLength: page.length, body: page })).status).toBe(201);
    const name = Buffer.from(JSON.stringify({ name: 'chunked' }));
    expect((await send(platform, { path: '/api-keys', key, body: name })).status).toBe(201);

    // Nothing of the refused requests was stored.
    const sites = await fetch(`${platform.url}/deploys`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json() as Promise<{ deploys: Array<{ slug: string }> }>);
    expect(sites.deploys.map((d) => d.slug)).toEqual(['limits-ok']);
  });
});
