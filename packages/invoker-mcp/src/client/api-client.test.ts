import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { AppError } from '../errors.js';
import { ApiClient, type HttpSend } from './api-client.js';

function scripted(responses: Array<{ status: number; headers?: Record<string, string>; body?: string }>) {
  const calls: string[] = [];
  const send: HttpSend = async (url) => {
    calls.push(url);
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return { status: next.status, headers: next.headers ?? {}, text: async () => next.body ?? '' };
  };
  return { send, calls };
}

describe('ApiClient', () => {
  it('retries a 429 after Retry-After, a bounded number of times', async () => {
    const slept: number[] = [];
    const { send, calls } = scripted([
      { status: 429, headers: { 'retry-after': '2' }, body: '{"error":"slow down","code":"rate_limited"}' },
      { status: 200, body: '{"ok":true}' },
    ]);
    const api = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', userAgent: 't', send, sleep: async (ms) => void slept.push(ms) });
    expect(await api.call('GET', '/me')).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(2000);
    expect(slept[0]).toBeLessThan(2300);
  });

  it('gives up with rate_limited when the wait is too long or retries run out', async () => {
    const long = scripted([{ status: 429, headers: { 'retry-after': '3600' }, body: '{"error":"later","code":"rate_limited"}' }]);
    const api = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', userAgent: 't', send: long.send, sleep: async () => {} });
    await expect(api.call('GET', '/me')).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: 3600 } });

    const many = scripted(Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '1' } })));
    const api2 = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', userAgent: 't', send: many.send, sleep: async () => {}, maxRetries: 2 });
    await expect(api2.call('GET', '/me')).rejects.toBeInstanceOf(AppError);
    expect(many.calls).toHaveLength(3);
  });

  it('keeps the server\'s message and code, and names the URL when the network fails', async () => {
    const { send } = scripted([{ status: 409, body: '{"error":"The slug is taken.","code":"conflict"}' }]);
    const api = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', userAgent: 't', send });
    await expect(api.call('POST', '/deploy', {})).rejects.toMatchObject({ code: 'conflict', message: 'The slug is taken.' });
    const down = new ApiClient({ apiUrl: 'http://127.0.0.1:9', apiKey: 'k', userAgent: 't', send: async () => { throw new Error('ECONNREFUSED'); } });
    await expect(down.me()).rejects.toMatchObject({ code: 'upstream', message: expect.stringContaining('http://127.0.0.1:9') });
  });

  it('says what to do with INVOKER_API_KEY when the server refuses it, and keeps the server\'s words for a saved key', async () => {
    const refused = { status: 401, body: '{"error":"Invalid or revoked API key. Log in again (`invoker-mcp login`) or create a new key.","code":"unauthenticated"}' };
    const fromEnv = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', keySource: 'environment', userAgent: 't', send: scripted([refused]).send });
    const e = (await fromEnv.me().then(() => null, (error: unknown) => error)) as AppError;
    expect(e).toMatchObject({ code: 'unauthenticated' });
    expect(e.message).toMatch(/INVOKER_API_KEY was refused by http:\/\/x.*remove INVOKER_API_KEY.*replace it with a working key/);
    expect(e.message).not.toMatch(/Log in again/);
    const fromFile = new ApiClient({ apiUrl: 'http://x', apiKey: 'k', keySource: 'file', userAgent: 't', send: scripted([refused]).send });
    await expect(fromFile.me()).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid or revoked API key/) });
  });

  it('talks HTTP with node:http: real requests, headers and bodies, and an unreachable server named', async () => {
    const seen: Array<{ method?: string; auth?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        res.writeHead(seen.length === 1 ? 429 : 200, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(seen.length === 1 ? '{"error":"slow","code":"rate_limited"}' : '{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const api = new ApiClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: 'inv_k', userAgent: 't', sleep: async () => {} });
      expect(await api.call('POST', '/deploy', { html: '<p>é</p>' })).toEqual({ ok: true });
      expect(seen).toEqual([
        { method: 'POST', auth: 'Bearer inv_k', body: '{"html":"<p>é</p>"}' },
        { method: 'POST', auth: 'Bearer inv_k', body: '{"html":"<p>é</p>"}' },
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
    // A port nothing listens on any more (a fresh one: the closed server's kept-alive socket would say "closed" instead).
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const down = new ApiClient({ apiUrl: `http://127.0.0.1:${freePort}`, apiKey: 'k', userAgent: 't' });
    await expect(down.me()).rejects.toMatchObject({ code: 'upstream', message: expect.stringMatching(/Cannot reach .*ECONNREFUSED/) });
  });

  it('reads the answer over node:http as sent: a redirect is not followed, UTF-8 split across chunks stays whole, a cut body is an upstream error', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere', 'content-type': 'application/json' });
        res.end('{"error":"moved","code":"not_found"}');
      } else if (req.url === '/split') {
        // "é" is two bytes: send them in two writes, with a pause between.
        const bytes = Buffer.from('{"name":"é"}');
        const at = bytes.indexOf(0xc3) + 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(bytes.subarray(0, at));
        setTimeout(() => res.end(bytes.subarray(at)), 20);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const api = new ApiClient({ apiUrl: `http://127.0.0.1:${port}`, apiKey: 'k', userAgent: 't' });
      await expect(api.call('GET', '/moved')).rejects.toMatchObject({ message: 'moved' });
      expect(await api.call('GET', '/split')).toEqual({ name: 'é' });
      await expect(api.call('GET', '/cut')).rejects.toMatchObject({ code: 'upstream', message: expect.stringMatching(/Cannot reach .*(closed|aborted|reset|hang up)/) });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
