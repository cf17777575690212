import { describe, expect, it } from 'vitest';
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
});
