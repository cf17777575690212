// One implementation of a site's answers (packages/platform/src/services/hosting.ts). Its page on `{slug}.{domain}`
// is served by the node:http lane when the request is plain and by the Hono app otherwise; the
// `/s/{slug}/` fallback always by Hono. Over real HTTP, the same paths (ordinary and hostile) sent
// both ways must get the same status, headers and body, apart from what the fallback adds on
// purpose: its CSP sandbox and the API's RateLimit headers. (They once differed: `/x/../about` was a
// 404 on the site host and a 200 under /s/.) Raw sockets, so no client library tidies a path first.
import { connect } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createKey, httpRequest, startPlatform, type Platform } from '../helpers/platform.js';

interface Raw {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function raw(port: number, head: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).toLowerCase();
        headers[name] = headers[name] === undefined ? line.slice(colon + 1).trim() : `${headers[name]}, ${line.slice(colon + 1).trim()}`;
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: all.subarray(split + 4) });
    });
    // write, not end: a half-closed socket lets node drop an answer still on its way (Connection: close ends it).
    socket.write(Buffer.from(head, 'latin1'));
  });
}

/** Headers the /s/ fallback adds by design, and those that differ by the second. */
const FALLBACK_ONLY = new Set(['content-security-policy', 'ratelimit', 'ratelimit-policy']);
const PER_ANSWER = new Set(['date', 'x-request-id']);

function comparable(answer: Raw) {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !FALLBACK_ONLY.has(k) && !PER_ANSWER.has(k)));
  return { status: answer.status, headers, body: answer.body.toString('latin1') };
}

/**
 * Ordinary paths and hostile ones, as they appear on the request line (latin1: raw bytes included).
 * Not here: paths whose dot segments climb above the root. The URL parser resolves them as browsers
 * do, so on the site host they stay at its root, while under /s/ they leave the site (checked below).
 */
const PATHS = [
  '/',
  '/index.html',
  '/about',
  '/about.html',
  '/about/',
  '/ABOUT',
  '/about?x=1&y=%00',
  '/about#fragment',
  '/blog',
  '/blog/',
  '/blog/index.html',
  '/css/site.css',
  '/file%20name.txt',
  '/caf%C3%A9.html',
  '/100%25.html',
  '/missing',
  '/missing/',
  '/x/../about',
  '/x/%2e%2e/about',
  '/x/%2E%2E/about',
  '/./about',
  '/.',
  '/..%2f..%2fetc%2fpasswd',
  '//about',
  '///',
  '/a%2Fb',
  '/blog%2Findex.html',
  '/a%00b',
  '/%00',
  '/%ff%fe',
  '/%',
  '/%zz',
  '/%E2%80%AE.html',
  '/index.html%00.png',
  '/a\\b',
  '/{x}',
  '/"quoted"',
  '/caf\u00c3\u00a9.html',
  '/\u00ff',
  `/${'a'.repeat(3000)}`,
];

describe.each(BACKENDS)('a site answers alike on its host and under /s/ (%s)', (backend) => {
  let platform: Platform;
  let etag: string;

  beforeAll(async () => {
    platform = await startPlatform({ backend, env: { INVOKER_RATE_LIMIT: '1000000' } });
    const key = await createKey(platform, 'answers@example.com');
    const files = [
      ['index.html', '<h1>home</h1>'],
      ['about.html', '<h1>about</h1>'],
      ['blog/index.html', '<h1>blog</h1>'],
      ['css/site.css', 'h1{color:red}'],
      ['file name.txt', 'spaced'],
      ['café.html', '<h1>café</h1>'],
      ['100%.html', '<h1>percent</h1>'],
      ['404.html', '<h1>custom not found</h1>'],
      // Large enough to be sent compressed (1 KB or more of text).
      ['big.html', `<h1>big</h1>${'<p>compressible text</p>'.repeat(100)}`],
    ].map(([path, content]) => ({ path, content }));
    const res = await httpRequest(platform.port, {
      method: 'POST',
      path: '/deploy',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'cmp', files }),
    });
    expect(res.status).toBe(201);
    etag = String((await httpRequest(platform.port, { host: `cmp.localhost:${platform.port}`, path: '/about' })).headers.etag);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it(`gives ${PATHS.length} paths × GET and HEAD the same status, headers and body both ways`, async () => {
    const host = `cmp.localhost:${platform.port}`;
    const platformHost = `localhost:${platform.port}`;
    const statuses: Record<number, number> = {};
    const requests = PATHS.flatMap((path) => [
      { method: 'GET', path, extra: '' },
      { method: 'HEAD', path, extra: '' },
    ]);
    requests.push({ method: 'GET', path: '/about', extra: `If-None-Match: ${etag}\r\n` });
    // Compressed answers, negotiated alike on both paths.
    for (const accept of ['br', 'gzip', 'gzip, deflate, br', 'br;q=0, gzip', 'identity', '*']) {
      for (const method of ['GET', 'HEAD']) requests.push({ method, path: '/big', extra: `Accept-Encoding: ${accept}\r\n` });
    }
    const brEtag = (await raw(platform.port, `HEAD /big HTTP/1.1\r\nHost: ${host}\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n`)).headers.etag;
    requests.push({ method: 'GET', path: '/big', extra: `Accept-Encoding: br\r\nIf-None-Match: ${brEtag}\r\n` });
    for (const { method, path, extra } of requests) {
      const onHost = await raw(platform.port, `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
      const fallback = await raw(platform.port, `${method} /s/cmp${path} HTTP/1.1\r\nHost: ${platformHost}\r\n${extra}Connection: close\r\n\r\n`);
      const label = `${method} ${path.slice(0, 60)} ${extra.trim()}`;
      expect({ label, ...comparable(onHost) }).toEqual({ label, ...comparable(fallback) });
      // What differs, differs as designed: the fallback runs user HTML in a sandbox.
      if (onHost.status < 400 || onHost.headers['content-type']?.startsWith('text/html')) {
        expect(fallback.headers['content-security-policy'], label).toMatch(/^sandbox /);
        expect(onHost.headers['content-security-policy'], label).toBeUndefined();
      }
      expect(onHost.status, label).toBeGreaterThan(0);
      statuses[onHost.status] = (statuses[onHost.status] ?? 0) + 1;
    }
    console.log(`[figures] site answers compared: ${requests.length} requests each way, statuses ${JSON.stringify(statuses)}`);

    // The answers themselves: dot segments are resolved as browsers resolve them, never escaped.
    const get = async (path: string) => raw(platform.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect((await get('/x/../about')).body.toString()).toBe('<h1>about</h1>');
    expect((await get('/x/%2e%2e/about')).body.toString()).toBe('<h1>about</h1>');
    expect((await get('/file%20name.txt')).body.toString()).toBe('spaced');
    expect((await get('/caf%C3%A9.html')).body.toString()).toBe('<h1>café</h1>');
    expect((await get('/100%25.html')).body.toString()).toBe('<h1>percent</h1>');
    for (const path of ['/..', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
      // On the host the climb ends at the site's root; under /s/ it leaves the site, for the API.
      const escape = await get(path);
      const resolved = await get(path.replace(/^(\/(\.\.|%2e%2e))+/, '') || '/');
      expect(comparable(escape)).toEqual(comparable(resolved));
      const out = await raw(platform.port, `GET /s/cmp${path} HTTP/1.1\r\nHost: ${platformHost}\r\nConnection: close\r\n\r\n`);
      expect(out.headers['content-type'], path).toBe('application/json');
      expect(out.status, path).toBeGreaterThanOrEqual(400);
    }
    expect((await get('/a\\b')).status).toBe(400);
    const squeezed = await raw(platform.port, `GET /big HTTP/1.1\r\nHost: ${host}\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n`);
    expect([squeezed.headers['content-encoding'], squeezed.headers.vary]).toEqual(['br', 'Accept-Encoding']);
    expect(brotliDecompressSync(squeezed.body).toString()).toContain('<h1>big</h1>');
  });
});
